"""Following tickets by chat (R6-R9), the knowledge base (R9) and the profile (R11)."""

from __future__ import annotations

import csv
import io

import pytest
from fakes.chat import attachment, chat_for, mailed_code, pt

from core.conversation import UserInput
from core.conversation.export import COLUMNS, EXPORT_COLUMNS, header
from core.conversation.fmt import phone_shown
from core.i18n import label, t
from core.models import EntryKind, Status
from core.services import handling, knowledge, tramites, users


def test_r6_r8_tickets_lists_own_tickets_with_tabs_and_whole_company(world):
    mine = world.open("carla", assunto="Pedido de venda travado")
    colleague = world.open("joao", assunto="Estoque negativo")
    world.open("rival", assunto="Ticket da outra empresa")
    world.run(handling.take, world.ids["ana"], mine.id)
    chat = chat_for(world, "carla")
    chat.send("tickets")
    listing = chat.prompt.text
    assert mine.number in listing
    assert "Em atendimento" in listing
    assert colleague.number not in listing
    assert "Ticket da outra empresa" not in listing
    chat.click("Empresa toda")
    assert colleague.number in chat.prompt.text
    assert "Ticket da outra empresa" not in chat.prompt.text
    chat.click("Aba")
    assert chat.labels == ["Abertos", "Novos", "Em estimativa", "Em atendimento",
                           "Aguardando aprovação", "Encerrados", "Rejeitados", "Todos"]
    chat.click("Novos")
    assert colleague.number in chat.prompt.text
    assert mine.number not in chat.prompt.text
    chat.click("Só os meus")
    assert pt("conv.list.empty") in chat.prompt.text


@pytest.mark.parametrize("typed", ["7", "30", "90", "365"])
def test_r8_a_time_window_typed_as_its_days_picks_it(world, typed):
    """"30" at "últimos 30 dias" said "Não há opção 30: digite um número de 1 a 5"."""
    world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Período")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert pt("conv.list.window_days", days=int(typed)) in chat.prompt.text
    chat.click("Período")
    chat.send("9")  # in no label: still the option out of range
    assert chat.replies[0].text == pt("conv.error.choose_number", number=9, last=7)  # + 2 months


def test_r8_time_window_search_and_pages(world):
    old = world.open("carla", assunto="Chamado antigo de estoque")
    world.advance(days=40)
    for n in range(6):
        world.open("carla", assunto=f"Chamado recente {n}")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    assert "7 tickets" in chat.prompt.text
    assert "Página 1 de 2" in chat.prompt.text
    chat.click("Próxima")
    assert "Página 2 de 2" in chat.prompt.text
    assert "Anterior" in " ".join(chat.labels)
    chat.click("Período")
    chat.click("30 dias")
    assert "6 tickets" in chat.prompt.text
    assert old.number not in chat.prompt.text
    chat.click("Período")
    chat.click("todo o período")
    chat.click("Buscar")
    chat.send("estoque")
    assert ": 1 ticket." in chat.prompt.text
    assert old.number in chat.prompt.text
    chat.send("recente 3")  # typing on a listing searches it too
    assert "Chamado recente 3" in chat.prompt.text
    chat.click("Buscar")
    chat.click("Limpar")
    assert "7 tickets" in chat.prompt.text


def test_r9_the_chats_export_has_headings_a_person_reads_in_their_language(world):
    """The chat's CSV is opened by a person: its headings are words ("Ticket", "Opened",
    "From"), where `helpdesk tickets export` keeps one-word names a spreadsheet refers to
    (number, opened, requester); since one set served both, the chat's said "due", "assignee"."""
    world.open("carla", assunto="Pedido travado")


    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("export")
    [file_reply] = [r for r in chat.replies if r.file]
    rows = list(csv.reader(io.StringIO(file_reply.file.content.decode("utf-8-sig")),
                           delimiter=","))
    assert rows[0] == ["Ticket", "Opened", "From", "Subject", "Due", "Assignee", "Status",
                       "Justification", "Priority", "Type", "Item", "Service", "Version"]
    assert rows[1][3] == "Pedido travado"


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r9_both_exports_label_one_list_of_columns(lang):
    """The chat's columns are some of the CLI's, each with a machine name and a heading."""
    assert set(COLUMNS) <= set(EXPORT_COLUMNS)
    for readable in (False, True):
        names = header(EXPORT_COLUMNS, lang, readable=readable)
        assert len(set(names)) == len(EXPORT_COLUMNS)
        assert not any(name.startswith("export.") for name in names), names


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r9_exportar_on_an_empty_listing_says_there_is_nothing_to_export(world, lang):
    """An empty listing offered Exportar CSV and sent a file of headings only ("Exportei 0
    tickets"): the customer downloads and opens it to find nothing. Now no file: it says the
    list is empty and which list, and an empty listing offers no export."""
    world.open("joao", assunto="Do colega")  # the company's, not hers
    chat = chat_for(world, "carla")
    if lang == "en":
        english(world, "carla")
    chat.send("tickets")
    assert t("conv.list.export", lang) not in chat.labels
    chat.send("exportar")
    assert [r for r in chat.replies if r.file] == []
    scope, tab = t("conv.list.scope_mine", lang), t("tab.todos", lang)
    assert t("conv.export.none", lang, scope=scope, tab=tab,
             window=t("conv.list.window_all", lang)) in chat.text
    assert chat.state().step == "list.view"
    chat.click(t("conv.list.whole_company", lang))  # the colleague's ticket: exported
    chat.click(t("conv.list.export", lang))
    assert [r.file.filename.endswith(".csv") for r in chat.replies if r.file] == [True]


def test_r9_exportar_sends_the_current_listing_as_csv(world):
    world.open("carla", assunto="Pedido travado")
    world.open("carla", assunto="Relatório errado; com ponto e vírgula")
    world.open("joao", assunto="Do colega")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Exportar")
    [file_reply] = [r for r in chat.replies if r.file]
    assert file_reply.file.mime == "text/csv"
    assert file_reply.file.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(file_reply.file.content.decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0] == ["Ticket", "Abertura", "De", "Assunto", "Prazo de entrega", "Responsável",
                       "Status", "Justificativa", "Prioridade", "Tipo", "Item", "Serviço", "Versão"]
    assert {r[3] for r in rows[1:]} == {"Pedido travado", "Relatório errado; com ponto e vírgula"}
    assert chat.state().step == "list.view"
    chat.click("Empresa toda")
    chat.send("exportar")
    [file_reply] = [r for r in chat.replies if r.file]
    assert len(file_reply.file.content.decode("utf-8-sig").strip().splitlines()) == 4


def test_r6_r7_ticket_number_shows_status_responsible_prazo_and_public_tramites(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id, "Pode enviar o XML?")
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "cliente difícil")
    world.run(handling.set_justificativa, world.ids["ana"], ticket.id, "Em análise e Simulação")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    text = chat.prompt.text
    assert f"Ticket {ticket.number}" in text
    assert "Em atendimento (Em análise e Simulação)" in text
    assert "Responsável: Ana Atendente" in text
    assert "Prazo de entrega: 29/11/2026 10:00" in text
    assert "Pode enviar o XML?" in text
    assert "cliente difícil" not in text
    assert "assigned" not in text  # system lines are not trâmites
    # A bare number works as well as the slash form.
    chat.send("/ticket " + ticket.number.replace("/", ""))
    assert f"Ticket {ticket.number}" in chat.prompt.text


def test_r7_adding_a_tramite_with_text_and_files(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "joao")  # a colleague of the same company may write (R7)
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.files("nota.xml", "tela.png")
    assert "nota.xml, tela.png" in chat.prompt.text
    chat.send("   ")  # an empty line sent the files at once, without the text to come
    assert chat.replies[0].text == pt("conv.tramite.empty_with_files")
    assert world.read(lambda uow: uow.entries.list(ticket.id, False))[-1].attachments == []
    chat.send("Segue o XML e o print")
    assert pt("conv.tramite.added", number=ticket.number) in chat.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    last = [e for e in entries if e.kind == EntryKind.PUBLIC][-1]
    assert last.text == "Segue o XML e o print"
    assert [a.filename for a in last.attachments] == ["nota.xml", "tela.png"]
    assert "Segue o XML e o print" in chat.prompt.text  # back on the ticket, entry shown
    assert any(m.kind == "agent.customer_replied" for m in world.outbox())


def test_r7_files_alone_and_no_tramite_on_a_closed_ticket(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send(UserInput.of_files([attachment("video.mp4")]))
    chat.click("Enviar só os arquivos")
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert [a.filename for a in entries[-1].attachments] == ["video.mp4"]
    world.run(handling.reject_duplicate, world.ids["ana"], ticket.id,
              world.open("carla").number)
    chat.send(f"ticket {ticket.number}")
    assert "Adicionar trâmite" not in chat.labels
    assert "Rejeitado por duplicidade" in chat.prompt.text
    # Nobody will take it any more: no promise of a prazo "when someone takes it".
    assert pt("conv.ticket.no_due") not in chat.prompt.text


def test_r7_a_tramite_of_files_alone_shows_its_files_in_place_of_the_words(world):
    """A trâmite of files alone read "— 07/12 10:00, Carla Souza: — [anexos: log.txt]" on the
    ticket's page, a dash where words would be; it now reads "…: [anexos: log.txt]"."""
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send(UserInput.of_files([attachment("log.txt")]))
    chat.click("Enviar só os arquivos")
    chat.send(f"ticket {ticket.number}")
    line = next(x for x in chat.prompt.text.splitlines() if "log.txt" in x)
    assert line.endswith("Carla Souza: [anexos: log.txt]"), line


@pytest.mark.parametrize(("lang", "typed"), [("pt_BR", "resumo da empresa"),
                                             ("pt_BR", "/resumo empresa"),
                                             ("en", "company summary")])
def test_r9_the_company_s_summary_asked_in_words_is_the_company_s(world, lang, typed):
    """"resumo da empresa" was taken for a matter ("Quer abrir um ticket com essa
    mensagem?"), and "/resumo empresa" counted her own tickets: now it is the whole company's
    summary, asked which company by someone in two."""
    world.run(lambda ctx: users.change_language(ctx, ctx.uow.users.get(world.ids["carla"]),
                                                lang))
    world.open("joao", assunto="Cupom fiscal não sai")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "summary.view"
    assert f"({t('conv.list.scope_company_short', lang)})" in chat.prompt.text
    _dora_in_two_companies(world, lang)
    dora = chat_for(world, "dora")
    dora.send("oi")
    dora.send(typed)
    assert dora.prompt.text == t("conv.summary.ask_company", lang)


@pytest.mark.parametrize(("lang", "typed"), [("pt_BR", "voltar"), ("pt_BR", "Voltar"),
                                             ("en", "back")])
def test_r8_voltar_typed_at_the_listing_leaves_it_not_searched(world, lang, typed):
    """"voltar" typed at the listing searched the tickets for it: "Busca: voltar — Nenhum
    ticket aqui." Now it leaves the listing as its Menu button does."""
    world.run(lambda ctx: users.change_language(ctx, ctx.uow.users.get(world.ids["carla"]),
                                                lang))
    world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send(typed)
    assert chat.state().step == "menu.main"
    assert chat.prompt.text == t("conv.menu.prompt", lang)


def test_r8_r9_voltar_typed_at_the_search_question_and_the_knowledge_base_goes_back(world):
    """"voltar" typed at the search question searched the tickets for "voltar", and at the
    knowledge base's results or an article searched the articles for it (finding one). Now it
    goes back: to the listing with its search as it was, from an article to its results,
    from the results to the menu."""
    world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Buscar")
    chat.send("pedido")
    chat.click("Buscar")
    chat.send("voltar")
    assert chat.state().step == "list.view"
    assert pt("conv.list.searching", text="pedido") in chat.prompt.text
    chat.send("kb nota fiscal")
    results = chat.prompt.text
    chat.click(chat.labels[0])
    assert chat.state().step == "kb.article"
    chat.send("voltar")
    assert chat.prompt.text == results
    chat.send("voltar")
    assert chat.prompt.text == pt("conv.menu.prompt")


@pytest.mark.parametrize("where", ["Aba", "Período"])
def test_r8_voltar_typed_at_the_tab_or_window_question_shows_the_listing_as_it_was(world,
                                                                                   where):
    """"Qual aba?" and the window question have no Voltar button: "voltar" typed there said
    "Não entendi" until a tab was picked. Now the listing comes back unchanged."""
    world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send("tickets encerrados")
    listing = chat.prompt.text
    chat.click(where)
    chat.send("voltar")
    assert chat.prompt.text == listing


@pytest.mark.parametrize("command", ["resumo", "perfil"])
def test_r9_r11_voltar_typed_at_the_summary_or_the_profile_goes_to_the_menu(world, command):
    """Their way out is a Menu button: "voltar" typed said "Não entendi"."""
    chat = chat_for(world, "carla")
    chat.send(command)
    chat.send("voltar")
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r9_resumo_counts_open_in_attendance_and_closed(world):
    a = world.open("carla")
    world.open("carla")
    world.open("joao")
    world.run(handling.take, world.ids["ana"], a.id)
    chat = chat_for(world, "carla")
    chat.send("resumo")
    text = chat.prompt.text
    assert "Abertos: 2" in text
    assert "Novos: 1" in text
    assert "Em atendimento: 1" in text
    chat.click("Empresa toda")
    assert "Abertos: 3" in chat.prompt.text


def _dora_in_two_companies(world, lang):
    world.run(users.add_user, name="Dora Dupla", email="dora@exemplo.com.br",
              company_names=["Mercado Exemplo", "Loja Rival"], trained=True)

    def set_language(uow):
        user = uow.users.by_email("dora@exemplo.com.br")
        user.language = lang
        uow.users.update(user)
        uow.commit()
        return user.id

    world.ids["dora"] = world.read(set_language)


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r8_r9_resumo_offers_the_whole_company_to_a_person_in_two_companies(world, lang):
    """The listing asks which company's tickets; the Resumo offered no Empresa toda at all to
    someone in two companies (only their own counts), though the manual's summary is the
    company's as well as their own."""
    _dora_in_two_companies(world, lang)
    rival = world.read(lambda uow: uow.companies.by_name("Loja Rival").id)
    world.open("dora", company_id=rival)
    world.open("carla")
    world.open("joao")
    world.open("rival")
    chat = chat_for(world, "dora")
    chat.send("resumo")
    assert t("conv.list.scope_mine", lang) in chat.prompt.text
    assert t("conv.summary", lang, scope=t("conv.list.scope_mine", lang), abertos=1, novos=1,
             em_estimativa=0, em_atendimento=0, aguardando_aprovacao=0, encerrados=0,
             rejeitados=0) == chat.prompt.text
    chat.click(t("conv.list.whole_company", lang))
    assert chat.prompt.text == t("conv.summary.ask_company", lang)
    assert chat.labels == ["Mercado Exemplo", "Loja Rival", t("conv.list.only_mine", lang)]
    chat.click("Mercado Exemplo")
    scope = t("conv.list.scope_company", lang, company="Mercado Exemplo")
    assert chat.prompt.text.startswith(t("conv.summary", lang, scope=scope, abertos=2, novos=2,
                                         em_estimativa=0, em_atendimento=0,
                                         aguardando_aprovacao=0, encerrados=0,
                                         rejeitados=0))
    chat.click(t("conv.list.only_mine", lang))
    assert t("conv.list.scope_mine", lang) in chat.prompt.text
    assert t("conv.list.whole_company", lang) in chat.labels


def test_r9_kb_searches_articles_accent_insensitively(world):
    chat = chat_for(world, "carla")
    chat.send("kb rejeicao nfe")
    assert "NF-e" in chat.prompt.text
    chat.send("1")
    assert chat.state().step == "kb.article"
    assert "XML" in chat.prompt.text
    chat.click("Voltar aos resultados")
    chat.send("horário de atendimento")
    assert chat.state().step == "kb.results"
    assert "08:00" not in chat.prompt.text  # titles only in the results
    chat.send("xyzzy inexistente")
    assert pt("conv.kb.none", query="xyzzy inexistente") in chat.prompt.text


def test_r9_every_article_is_listed_as_such_not_as_found_for_an_asterisk(world):
    """"Ver todos os artigos" said "Encontrei 5 artigos para “*”:", and with none kept
    "Não encontrei artigos para “”"."""
    chat = chat_for(world, "carla")
    chat.send("kb")
    chat.click(pt("conv.kb.all"))
    assert chat.prompt.text.startswith(pt("conv.kb.all_found", count=5) + "\n1. ")
    assert "*" not in chat.prompt.text
    with world.store() as uow:
        for article in knowledge.load_articles(uow):
            knowledge.remove_article(uow, article.slug)
        uow.commit()
    chat.click(pt("conv.kb.again"))
    chat.click(pt("conv.kb.all"))
    assert chat.prompt.text == pt("conv.kb.all_none")
    assert t("conv.kb.all_found", "en", count=1) == "The knowledge base has 1 article:"


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r9_every_article_is_listed_a_page_at_a_time(world, lang):
    """"Ver todos os artigos" listed the first 20 by title and said "A base de conhecimento
    tem 20 artigos" with 25 kept: the other five could only be found by guessing words."""
    with world.store() as uow:
        for i in range(1, 21):
            knowledge.add_article(uow, f"passo-{i:02d}", f"---\ntitle: Passo {i:02d} do PDV\n"
                                  f"tags: [pdv]\n---\nMenu PDV > Passo {i:02d}.")
        uow.commit()
    every = sorted(a.title for a in world.read(knowledge.load_articles))
    assert len(every) == 25
    chat = chat_for(world, "carla")
    chat.send("kb")
    if lang == "en":
        english(world, "carla")
    chat.click(pt("conv.kb.all"))
    pages = [chat.prompt.text]
    assert pages[0].startswith(t("conv.kb.all_page", lang, count=25, page=1, pages=3) + "\n1. ")
    assert chat.labels[:10] == every[:10]
    assert t("conv.list.prev", lang) not in chat.labels
    chat.click(t("conv.list.next", lang))
    assert chat.prompt.text.startswith(t("conv.kb.all_page", lang, count=25, page=2, pages=3)
                                       + f"\n1. {every[10]}")
    chat.click(t("conv.list.next", lang))
    assert chat.labels[:5] == every[20:]
    assert f"5. {every[24]}" in chat.prompt.text  # numbered as the page's buttons are
    assert t("conv.list.next", lang) not in chat.labels
    chat.click(every[24])  # a title of the last page opens that article, and back returns there
    assert chat.prompt.text.startswith(every[24])
    chat.click(t("conv.kb.back", lang))
    assert chat.labels[:5] == every[20:]
    chat.click(t("conv.list.prev", lang))
    assert chat.labels[:10] == every[10:20]


def test_r9_a_search_finding_more_than_a_page_says_how_many_and_pages_them(world):
    """A search listed its best 5 and said "Encontrei 5 artigos" with 7 found alike."""
    with world.store() as uow:
        for i in range(1, 8):
            knowledge.add_article(uow, f"sangria-{i}", f"---\ntitle: Sangria do caixa {i}\n"
                                  f"tags: [sangria]\n---\nMenu PDV > Sangria, caixa {i}.")
        uow.commit()
    chat = chat_for(world, "carla")
    chat.send("kb sangria")
    assert chat.prompt.text.startswith(
        pt("conv.kb.found_page", count=7, query="sangria", page=1, pages=2) + "\n1. ")
    assert len([label for label in chat.labels if label.startswith("Sangria")]) == 5
    chat.click(pt("conv.list.next"))
    assert chat.prompt.text.startswith(
        pt("conv.kb.found_page", count=7, query="sangria", page=2, pages=2) + "\n1. ")
    shown = [label for label in chat.labels if label.startswith("Sangria")]
    assert len(shown) == 2
    chat.click(shown[1])
    assert chat.prompt.text.startswith(shown[1])
    assert t("conv.kb.found_page", "en", count=7, query="x", page=1, pages=2) == \
        "I found 7 articles for “x”. Page 1 of 2:"


def english(world, who):
    def set_english(uow):
        user = uow.users.get(world.ids[who])
        user.language = "en"
        uow.users.update(user)
        uow.commit()

    world.read(set_english)


def test_r9_kb_uses_the_articles_the_team_keeps(world):
    with world.store() as uow:
        knowledge.add_article(uow, "sped-fiscal", "---\ntitle: Gerar o SPED Fiscal\n"
                              "tags: [sped, fiscal]\n---\nMenu Fiscal > SPED > Gerar.")
        uow.commit()
    chat = chat_for(world, "carla")
    chat.send("kb")
    assert chat.prompt.text == pt("conv.kb.ask")
    chat.send("speds")
    assert "Gerar o SPED Fiscal" in chat.labels
    chat.click("Gerar o SPED Fiscal")
    assert "Menu Fiscal > SPED > Gerar." in chat.prompt.text


def test_r9_an_article_reads_as_text_not_as_markdown(world):
    article = ("---\ntitle: Cancelar uma NF-e\n---\nA nota pode ser **cancelada em até 24\n"
               "horas** depois da autorização.\n\n1. Abra *Fiscal / NF-e*.\n2. Escolha a nota e\n"
               "   clique em `Cancelar`.\n\n- Prazo vencido? Veja [a ajuda da SEFAZ]"
               "(https://sefaz.exemplo.gov.br/cancelamento).\n")
    with world.store() as uow:
        knowledge.add_article(uow, "cancelar-nfe", article)
        uow.commit()
    chat = chat_for(world, "carla")
    chat.send("kb cancelar nfe")
    chat.click("Cancelar uma NF-e")
    assert chat.prompt.text.startswith(
        "Cancelar uma NF-e\n\nA nota pode ser cancelada em até 24 horas depois da autorização."
        "\n\n1. Abra Fiscal / NF-e.\n2. Escolha a nota e clique em Cancelar.\n\n"
        "• Prazo vencido? Veja a ajuda da SEFAZ (https://sefaz.exemplo.gov.br/cancelamento).")
    for markup in ("**", "`", "](", "\n   "):
        assert markup not in chat.prompt.text


def test_r9_a_long_article_is_read_whole(world):
    body = "Menu Fiscal > SPED > Gerar. " + "Confira cada registro do bloco C. " * 150 + "FIM."
    with world.store() as uow:
        knowledge.add_article(uow, "sped-longo", f"---\ntitle: SPED passo a passo\n---\n{body}")
        uow.commit()
    chat = chat_for(world, "carla")
    chat.send("kb sped")
    chat.click("SPED passo a passo")
    assert any(body in r.text for r in chat.replies)  # it was cut at 3 500 characters
    assert chat.prompt.text == pt("conv.kb.read_above", title="SPED passo a passo")


def test_r11_profile_changes_email_phone_and_language(world):
    chat = chat_for(world, "carla")
    chat.reach = lambda: {"email"}
    chat.send("perfil")
    assert "carla@exemplo.com.br" in chat.prompt.text
    chat.click("Alterar e-mail")
    chat.send("carla@@errado")
    assert pt("error.email_invalid") in chat.text
    chat.send("joao@exemplo.com.br")
    assert pt("error.email_exists", email="joao@exemplo.com.br") in chat.text
    chat.send("Carla.Souza@Mercado.com.br")
    chat.send(mailed_code(world.store, "carla.souza@mercado.com.br"))
    assert pt("conv.profile.email_changed", email="carla.souza@mercado.com.br") in chat.text
    chat.click("Alterar telefone")
    chat.send("11 98765 4321")
    assert pt("conv.profile.phone_changed", phone="(11) 98765-4321") in chat.text  # stored +55…
    assert "Telefone: (11) 98765-4321" in chat.prompt.text  # was +5511987654321
    chat.click("Idioma")
    chat.click("English")
    assert "Language updated." in chat.text
    assert "Your registration" in chat.prompt.text
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))
    assert (carla.email, carla.phone, carla.language) == (
        "carla.souza@mercado.com.br", "+5511987654321", "en")


def test_r11_a_phone_is_shown_as_people_write_it():
    assert phone_shown("+5511987654321") == "(11) 98765-4321"
    assert phone_shown("+551134567890") == "(11) 3456-7890"
    assert phone_shown("+351912345678") == "+351912345678"  # not Brazilian: as stored
    assert phone_shown("+5508001234567") == "+5508001234567"


def test_help_keeps_the_current_prompt(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    before = chat.state()
    chat.send("ajuda")
    assert pt("conv.help", example="202611/0001") in chat.text
    assert pt("conv.expect.choice") in chat.text
    assert chat.prompt.text == pt("conv.intake.ask_servico")
    assert chat.state().step == before.step
    assert chat.state().prompt_id == before.prompt_id
    chat.click("Estoque")  # the buttons shown before help still work
    assert chat.state().step == "intake.versao"


def test_stale_conversation_restarts_politely(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    world.advance(hours=25)
    chat.send("Pedido não confirma")  # would have been the assunto a day ago
    assert pt("conv.stale") in chat.text
    assert "intake" not in chat.state().data
    # What was typed is not lost: it may start a new ticket.
    assert chat.prompt.text == pt("conv.typed.offer", text="Pedido não confirma")
    chat.click("Menu")
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_start_in_the_middle_of_an_intake_resumes_it(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.send("/start")
    assert pt("conv.resume") in chat.text
    assert chat.prompt.text == pt("conv.intake.ask_servico")


def test_staff_can_follow_but_not_open_by_chat(world):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    assert pt("conv.menu.new") not in chat.labels  # not offered to be refused
    assert pt("conv.menu.tickets_staff") in chat.labels  # not "Meus tickets": all of them
    chat.send("resumo")
    assert pt("conv.menu.tickets_staff") in chat.labels
    chat.send("menu")
    chat.send("novo")
    assert pt("conv.intake.staff") in chat.text
    chat.send(f"ticket {ticket.number}")
    assert ticket.number in chat.prompt.text
    assert world.ticket(ticket.id).status == Status.NEW


def test_r8_whole_company_listing_for_a_person_in_many_companies_by_typed_name(world):
    from core.services import users

    names = [f"Filial {i:02d} Mercado Exemplo" for i in range(1, 46)]
    for name in names:
        world.run(users.add_company, name)
    world.run(users.add_user, name="Gil Grupo", email="gil@exemplo.com.br",
              company_names=names, trained=True)
    world.ids["gil"] = world.read(lambda uow: uow.users.by_email("gil@exemplo.com.br").id)
    third = world.read(lambda uow: uow.companies.by_name(names[2]).id)
    ticket = world.open("gil", company_id=third, assunto="Balança da filial três")
    chat = chat_for(world, "gil")
    chat.send("tickets")
    chat.click("Empresa toda")
    assert pt("conv.company.type_name", count=45) in chat.prompt.text
    assert chat.labels == ["Só os meus"]
    chat.send("filial 0")  # Filial 01 … Filial 09: buttons, and "only mine" still there
    assert chat.labels == [*names[:9], "Só os meus"]
    chat.click("Filial 03")
    assert ticket.number in chat.prompt.text


def test_r7_a_captioned_file_is_a_whole_tramite(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.files("nota.xml")
    chat.send(UserInput.of_files([attachment("tela.png")], "Segue o print da rejeição"))
    assert pt("conv.tramite.added", number=ticket.number) in chat.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    last = [e for e in entries if e.kind == EntryKind.PUBLIC][-1]
    assert last.text == "Segue o print da rejeição"
    assert [a.filename for a in last.attachments] == ["nota.xml", "tela.png"]


def test_r11_the_profile_option_sharing_most_words_with_the_answer_is_picked(world):
    chat = chat_for(world, "carla")
    chat.send("perfil")
    chat.send("alterar o telefone")  # shares "alterar" with two options, "telefone" with one
    assert chat.state().step == "profile.phone"


def test_r6_words_an_agent_types_at_the_menu_search_the_tickets(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.open("carla", assunto="Pedido de venda travado")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("boleto vencimento")  # it got "Não entendi"
    assert chat.state().step == "list.view"
    assert ticket.number in chat.prompt.text
    assert "Pedido de venda travado" not in chat.prompt.text


def test_r8_an_agent_typing_tickets_nota_without_the_slash_gets_what_slash_tickets_gives(world):
    """'tickets nota' searched for the words 'tickets nota' (nothing found), while '/tickets
    nota' searched 'nota': an agent at the terminal types the command without its slash."""
    nota = world.open("carla", assunto="Nota fiscal rejeitada")
    boleto = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "ana")
    chat.send("oi")
    for typed in ("tickets nota", "chamados nota", "ticket nota"):
        chat.send("menu")
        chat.send(typed)
        assert chat.state().step == "list.view", typed
        assert pt("conv.list.searching", text="nota") in chat.prompt.text, typed
        assert nota.number in chat.prompt.text
        assert boleto.number not in chat.prompt.text
    chat.send("tickets boleto")  # typed at the listing: its search, as /tickets boleto
    assert pt("conv.list.searching", text="boleto") in chat.prompt.text
    assert boleto.number in chat.prompt.text
    chat.send("menu")
    chat.send("tickets encerrados nota")  # a tab after the command word, as after the slash
    assert pt("conv.list.searching", text="nota") in chat.prompt.text
    assert pt("tab.encerrados") in chat.prompt.text


def test_r8_a_search_that_found_nothing_is_cleared_in_one_click(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    assert pt("conv.list.clear_search") not in chat.labels  # nothing to clear yet
    chat.send("fila")
    assert pt("conv.list.empty") in chat.prompt.text
    chat.click(pt("conv.list.clear_search"))
    assert ticket.number in chat.prompt.text
    assert pt("conv.list.searching", text="fila") not in chat.prompt.text


def test_an_agent_narrows_the_listing_to_the_tickets_assigned_to_them(world):
    from core.services import handling

    mine = world.open("carla", assunto="Caixa travado na loja 2")
    bruno = world.open("rival", assunto="Boleto sem código de barras")
    waiting = world.open("joao", assunto="Relatório de vendas vazio")
    world.run(handling.take, world.ids["ana"], mine.id)
    world.run(handling.take, world.ids["bruno"], bruno.id)
    chat = chat_for(world, "ana")
    chat.send("tickets")
    assert all(t.number in chat.prompt.text for t in (mine, bruno, waiting))
    chat.click("Atribuídos a mim")
    assert pt("conv.list.scope_assigned") in chat.prompt.text
    assert mine.number in chat.prompt.text
    assert bruno.number not in chat.prompt.text
    assert waiting.number not in chat.prompt.text
    chat.click("Exportar CSV")
    exported = next(r.file for r in chat.replies if r.file is not None)
    assert mine.number in exported.content.decode("utf-8-sig")
    assert bruno.number not in exported.content.decode("utf-8-sig")
    chat.click("Todos os tickets")
    assert all(t.number in chat.prompt.text for t in (mine, bruno, waiting))


def test_r9_the_listing_starts_over_from_its_defaults_and_the_export_says_what_it_holds(world):
    old = world.open("carla", assunto="Caixa travado na loja 2")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Buscar")
    chat.send("boleto")  # a search that finds nothing
    assert pt("conv.list.empty") in chat.prompt.text
    chat.send("menu")
    chat.send("exportar")  # the current list: said so, with its search
    assert pt("conv.export.none", scope=pt("conv.list.scope_mine"), tab="Todos",
              window=pt("conv.list.window_all")) + "\n" + pt("conv.list.searching", text="boleto") \
        in chat.text
    chat.send("tickets")  # a listing asked anew shows every ticket again (it kept the search)
    assert old.number in chat.prompt.text
    assert pt("conv.list.searching", text="boleto") not in chat.prompt.text


def test_r6_a_ticket_named_by_the_end_of_its_number_opens_or_is_chosen_among_its_peers(world):
    first = world.open("carla", assunto="Caixa travado na loja 2")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {int(first.number.split('/')[1])}")  # "ticket 1": a new-ticket offer
    assert chat.state().step == "ticket.view"
    assert first.number in chat.prompt.text
    world.advance(days=40)  # next month: its first ticket ends in /0001 too
    second = world.open("carla", assunto="Boleto sem código de barras")
    assert second.number.endswith("/0001")
    chat.send("menu")
    chat.send("ticket 0001")
    assert chat.labels == [second.number, first.number]
    chat.click(first.number)
    assert "Caixa travado na loja 2" in chat.prompt.text
    rival = world.open("rival", assunto="Outro cliente")
    chat.send("menu")
    chat.send(f"ticket {int(rival.number.split('/')[1])}")  # another company's: not found
    assert chat.replies[0].text == pt("error.short_number_not_found",
                                      seq=rival.number.split("/")[1], months=12,
                                      example="202701/0001")  # the clock moved


def test_r12_listing_lines_mark_critical_tickets_and_say_whose_they_are(world):
    from core.models import CriticalReason, Priority

    stopped = world.open("joao", assunto="PDV parado na loja 3", priority=Priority.CRITICAL,
                         critical_reason=CriticalReason.AREA_STOPPED)
    rival = world.open("rival", assunto="Boleto sem código de barras")
    chat = chat_for(world, "ana")
    chat.send("tickets")
    lines = chat.prompt.text.splitlines()
    assert f"🚨 {stopped.number} · Novo · PDV parado na loja 3 · Mercado Exemplo" in lines
    assert f"{rival.number} · Novo · Boleto sem código de barras · Loja Rival" in lines
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Empresa toda")
    assert f"🚨 {stopped.number} · Novo · PDV parado na loja 3 · de João Lima" in \
        chat.prompt.text


def test_r8_a_request_in_words_at_the_listing_runs_other_words_search(world):
    world.open("carla", assunto="Cadastro de cliente não salva")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("quero abrir um chamado")  # it searched for "quero abrir um chamado"
    assert pt("conv.intake.intro") in chat.text
    assert chat.state().step == "intake.item"
    chat.send("cancelar")
    chat.send("meus tickets")
    chat.send("abrir ticket")
    assert chat.state().step == "intake.item"
    chat.send("cancelar")
    chat.send("meus tickets")
    chat.send("falar com atendente")  # the contact, and the listing stays on screen
    assert chat.state().step == "list.view"
    assert pt("conv.list.searching", text="falar com atendente") not in chat.prompt.text
    chat.send("cadastro")  # one word: searched, not the profile
    assert chat.state().step == "list.view"
    assert pt("conv.list.searching", text="cadastro") in chat.prompt.text
    assert "Cadastro de cliente não salva" in chat.prompt.text


@pytest.mark.parametrize("typed", ["open a ticket", "I want to open a new ticket",
                                   "open new ticket"])
def test_r8_open_a_ticket_at_an_english_listing_opens_one(world, typed):
    """"open a ticket" at an English listing showed the tab Open (the verb read as the tab's
    name), as "quero abrir um chamado" starts a ticket; "open tickets" is still that tab."""
    def english(uow):
        user = uow.users.get(world.ids["carla"])
        user.language = "en"
        uow.users.update(user)
        uow.commit()

    world.read(english)
    chat = chat_for(world, "carla")
    chat.send("my tickets")
    chat.send(typed)
    assert chat.state().step == "intake.item"
    chat.send("cancel")
    chat.send("my tickets")
    chat.send("open tickets")
    assert chat.state().step == "list.view"
    assert chat.state().data["list"]["tab"] == "abertos"


@pytest.mark.parametrize("typed", ["", "   ", "\u200b"])
def test_r11_an_empty_phone_typed_is_refused_not_the_phone_removed(world, typed):
    """It said "Telefone atualizado para ." and removed the phone kept."""
    world.run(users.update_profile, world.ids["carla"], phone="11 98765 4321")
    chat = chat_for(world, "carla")
    chat.send("perfil")
    chat.click("Alterar telefone")
    chat.send(UserInput(text=typed))
    assert chat.replies[0].text == pt("error.phone_invalid")
    assert chat.state().step == "profile.phone"
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).phone == "+5511987654321"


@pytest.mark.parametrize(("lang", "typed"), [("pt_BR", "tickets da empresa"),
                                             ("pt_BR", "chamados encerrados da empresa"),
                                             ("en", "company tickets")])
def test_r8_the_company_s_tickets_asked_in_words_ask_which_of_her_two_companies(world, lang,
                                                                                 typed):
    """Dora, in two companies, typed "tickets da empresa": she was told "Seu usuário pertence
    a mais de uma empresa: escolha qual." with the menu under it, nothing to choose from. Now
    the question the Empresa toda button asks comes, and the one chosen is listed."""
    _dora_in_two_companies(world, lang)
    world.open("rival", assunto="Cupom fiscal não sai")
    chat = chat_for(world, "dora")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "list.company"
    assert chat.prompt.text == t("conv.list.ask_company", lang)
    chat.click("Loja Rival")
    assert t("conv.list.scope_company", lang, company="Loja Rival") in chat.prompt.text


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r8_a_search_that_finds_none_of_hers_looks_in_each_of_her_two_companies(world, lang):
    """The fallback among the company's tickets was only for people in one company: Dora, in
    two, got "Nenhum ticket aqui." Now each of her companies is searched and named with what
    it found, one button each; a third company's ticket is never counted."""
    _dora_in_two_companies(world, lang)
    world.run(users.add_company, "Padaria Sol")
    pedro = world.run(users.add_user, name="Pedro Sol", email="pedro@exemplo.com.br",
                      company_names=["Padaria Sol"], trained=True)
    world.ids["pedro"] = pedro.id
    mercado = world.open("joao", assunto="PDV não abre o caixa")
    rival = world.open("rival", assunto="PDV da Loja Rival")
    world.open("rival", assunto="PDV trava na Loja Rival")
    world.open("pedro", assunto="PDV da padaria")
    chat = chat_for(world, "dora")
    chat.send("tickets")
    chat.click(t("conv.list.search", lang))
    chat.send("PDV")
    found = "; ".join([t("conv.list.company_count", lang, company="Mercado Exemplo", count=1),
                       t("conv.list.company_count", lang, company="Loja Rival", count=2)])
    assert t("conv.list.found_in_companies", lang, found=found) in chat.prompt.text
    assert "Padaria" not in chat.prompt.text
    assert t("conv.list.widen_company", lang, company="Loja Rival") in chat.labels
    assert t("conv.list.widen_company", lang, company="Mercado Exemplo") in chat.labels
    assert t("conv.list.widen", lang) not in chat.labels
    chat.click(t("conv.list.widen_company", lang, company="Loja Rival"))
    assert t("conv.list.scope_company", lang, company="Loja Rival") in chat.prompt.text
    assert rival.number in chat.labels
    assert mercado.number not in chat.labels
    assert len([c for c in chat.labels if "/" in c]) == 2


@pytest.mark.parametrize(("first", "now"), [("pt_BR", "en"), ("en", "pt_BR")])
def test_r11_the_question_asked_again_after_an_error_is_in_the_language_chosen_since(
        world, first, now):
    """The question stored when it was asked came again as it was shown, in the language of
    then: after a change elsewhere (perfil → Idioma in another chat, or `helpdesk user
    language`), a wrong answer had the error in the new language and the question in the
    old one; its buttons now answer in the new one too."""
    def speak(lang):
        def change(ctx):
            users.change_language(ctx, ctx.uow.users.get(world.ids["carla"]), lang)
        world.run(change)

    speak(first)
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click(t("conv.list.tab", first))
    assert chat.prompt.text == t("conv.list.ask_tab", first)
    speak(now)
    chat.send("xyzzy")
    assert chat.replies[0].text == t("conv.error.choose", now)
    assert chat.prompt.text == t("conv.list.ask_tab", now)
    closed = label("tab", "encerrados", now)
    assert closed in chat.labels
    chat.click(closed)
    assert t("conv.list.header", now, scope=t("conv.list.scope_mine", now), tab=closed,
             window=t("conv.list.window_all", now), total=0, page=1, pages=1) \
        in chat.prompt.text
    speak(first)
    chat.send("ajuda")  # the question on screen again, without an error: in the language of now
    assert chat.prompt.text.startswith(t("conv.list.header", first, scope=t(
        "conv.list.scope_mine", first), tab=label("tab", "encerrados", first),
        window=t("conv.list.window_all", first), total=0, page=1, pages=1))
    assert t("conv.list.tab", first) in chat.labels


@pytest.mark.parametrize(("typed", "tab"), [
    ("encerrados", "encerrados"), ("em atendimento", "em_atendimento"),
    ("aguardando aprovação", "aguardando_aprovacao"), ("aba novos", "novos"),
    ("pendentes", "abertos"), ("todos", "todos")])
def test_r6_a_tab_typed_at_the_listing_shows_it_not_a_search_for_its_name(world, typed, tab):
    """"encerrados" searched for the word (0 tickets); "em atendimento" gave the team's hours."""
    taken = world.open("carla", assunto="Pedido de venda travado")
    world.run(handling.take, world.ids["ana"], taken.id)
    waiting = world.open("carla", assunto="Estoque negativo")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Aba")
    chat.click("Rejeitados")
    chat.send(typed)
    listing = chat.prompt.text
    assert f"aba {label('tab', tab, 'pt_BR')}," in listing
    assert pt("conv.list.searching", text=typed) not in listing
    assert (taken.number in listing) == (tab in ("em_atendimento", "abertos", "todos"))
    assert (waiting.number in listing) == (tab in ("novos", "abertos", "todos"))


@pytest.mark.parametrize(("typed", "days"), [
    ("últimos 7 dias", 7), ("30 dias", 30), ("última semana", 7), ("último mês", 30),
    ("nos últimos 3 meses", 90), ("último ano", 365)])
def test_r8_a_time_window_typed_at_the_listing_sets_it(world, typed, days):
    """"últimos 7 dias" searched for those words (0 tickets)."""
    old = world.open("carla", assunto="Chamado antigo de estoque")
    world.advance(days=400)
    recent = world.open("carla", assunto="Chamado recente")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send(typed)
    listing = chat.prompt.text
    assert pt("conv.list.window_days", days=days) in listing
    assert pt("conv.list.searching", text=typed) not in listing
    assert recent.number in listing
    assert old.number not in listing
    chat.send("todo o período")
    assert pt("conv.list.window_all") in chat.prompt.text
    assert old.number in chat.prompt.text


def test_r8_the_whole_company_s_tickets_searched_in_words_stay_the_company_s(world):
    """"buscar boleto" after Empresa toda listed only her own tickets about it."""
    world.open("carla", assunto="Boleto da Carla")
    colleague = world.open("joao", assunto="Boleto com vencimento errado")
    world.open("carla", assunto="Estoque negativo")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Empresa toda")
    chat.send("buscar boleto")
    listing = chat.prompt.text
    assert pt("conv.list.searching", text="boleto") in listing
    assert colleague.number in listing
    assert "Estoque negativo" not in listing
    chat.send("encerrados da empresa")  # the search is kept, narrowed to the tab
    assert "aba Encerrados" in chat.prompt.text
    assert pt("conv.list.searching", text="boleto") in chat.prompt.text
    chat.send("só os meus")
    assert pt("conv.list.scope_mine") in chat.prompt.text


@pytest.mark.parametrize(("typed", "tab", "days"), [
    ("in progress", "em_atendimento", None), ("closed", "encerrados", None),
    ("open tickets in the last 30 days", "abertos", 30), ("last 30 days", None, 30),
    ("the last invoice", None, None),
    ("open", "abertos", None)])
def test_r6_r8_tabs_and_windows_typed_at_the_listing_in_english(world, typed, tab, days):
    world.run(lambda ctx: users.change_language(ctx, ctx.uow.users.get(world.ids["carla"]),
                                                "en"))
    world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send(typed)
    listing = chat.prompt.text
    searched = t("conv.list.searching", "en", text=typed) in listing
    assert searched == (tab is None and days is None)  # other words are a search
    if tab:
        assert f"tab {label('tab', tab, 'en')}," in listing
    if days:
        assert t("conv.list.window_days", "en", days=days) in listing
