"""Opening a ticket by chat, whole stories: R2-R5, R12, R14, R16, R17."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.chat import attachment, chat_for, open_ticket_by_chat, pt, to_summary

from core.catalog import default_catalog
from core.conversation import Expect, UserInput, slack_key, telegram_key
from core.i18n import label, t
from core.models import CriticalReason, EntryKind, Priority, Status
from core.outbox import Channel
from core.ports import TicketQuery
from core.services import users


def to_anexos(world):
    """Carla's chat at the anexos step of a Vendas intake, assunto and descrição given."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido de venda não confirma")
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
    return chat


def tickets(world):
    return world.read(lambda uow: uow.tickets.list(TicketQuery(limit=100)))


def test_r3_r5_open_a_ticket_with_every_field_and_two_attachments(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert pt("conv.menu.prompt") in chat.text
    chat.click("Abrir ticket")
    # One tipo in the catalog: it is filled in and the item is asked first (R3 order).
    assert chat.prompt.text == pt("conv.intake.ask_item")
    chat.click("Suporte")
    assert chat.prompt.text == pt("conv.intake.ask_servico")
    chat.click("Vendas / Pedidos")
    assert chat.prompt.expect == Expect.TEXT
    assert "2026.11 (atual)" in chat.labels
    chat.click("atual")
    chat.send("Erro ao confirmar pedido de venda")
    chat.send("Vendas / Pedidos de Vendas / Registrar Pedido - Novo pedido: o pedido 4431 "
              "não confirma")
    assert chat.prompt.expect == Expect.FILES
    chat.files("tela.png")
    chat.files("passos.zip")
    assert "tela.png, passos.zip" in chat.prompt.text
    chat.click("Concluir")
    chat.click("Padrão")
    summary = chat.prompt.text
    for value in ("Mercado Exemplo", "Sistemas de Varejo", "Suporte TOTALL SISTEMAS",
                  "Vendas / Pedidos de venda", "2026.11", "Erro ao confirmar pedido de venda",
                  "o pedido 4431 não confirma", "tela.png, passos.zip", "Padrão"):
        assert value in summary
    assert chat.labels == ["Registrar o Ticket", "Corrigir", "Cancelar"]
    chat.reach = lambda: {"email"}  # an instance sends e-mail: the confirmation is promised
    chat.click("Registrar o Ticket")
    assert "Ticket 202611/0001 registrado" in chat.text
    assert "Enviamos a confirmação para carla@exemplo.com.br" in chat.text
    [ticket] = tickets(world)
    assert (ticket.tipo, ticket.item, ticket.servico, ticket.versao) == (
        "Sistemas de Varejo", "Suporte TOTALL SISTEMAS", "Vendas / Pedidos de venda", "2026.11")
    assert ticket.assunto == "Erro ao confirmar pedido de venda"
    assert ticket.priority == Priority.STANDARD
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    files = [a.filename for e in entries if e.kind == EntryKind.PUBLIC for a in e.attachments]
    assert files == ["tela.png", "passos.zip"]
    # R5: the confirmation e-mail is queued in the same transaction.
    assert any(m.channel == Channel.EMAIL and m.kind == "ticket.registered"
               for m in world.outbox())
    # The conversation is back at the menu, the draft gone.
    assert chat.state().step == "menu.main"
    assert "intake" not in chat.state().data


def test_r3_correct_a_field_from_the_summary_keeps_the_others(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send("2026.11")
    chat.send("Assunto primeiro")
    chat.send("Vendas / Pedidos / Novo: pedido 4431 não confirma, versão 2026.11")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Corrigir")
    assert "Tipo" not in chat.labels  # a single tipo is never asked
    chat.click("Assunto")
    assert pt("conv.intake.current", value="Assunto primeiro") in chat.prompt.text
    chat.send("Assunto corrigido")
    assert chat.prompt.text.startswith("Confira o seu ticket")
    assert "Assunto corrigido" in chat.prompt.text
    assert "pedido 4431" in chat.prompt.text
    # Changing the item drops the serviço chosen under it, which is asked again.
    chat.click("Corrigir")
    chat.click("Item")
    chat.click("implementação")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_servico"))  # Vendas said: the
    chat.click("Estoque")  # descrição's pedido
    assert chat.prompt.text.startswith("Confira o seu ticket")
    assert "Solicitação de implementação" in chat.prompt.text
    chat.click("Registrar")
    # R16: an implementation request goes to Em estimativa, and the bot says so.
    assert pt("conv.intake.registered_estimate") in chat.text
    [ticket] = tickets(world)
    assert ticket.assunto == "Assunto corrigido"
    assert ticket.status == Status.ESTIMATE
    assert ticket.servico == "Estoque"


def test_cancel_drops_what_was_typed_only_after_confirmation(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Um assunto")
    chat.send("cancelar")
    assert chat.prompt.text == pt("conv.cancel.confirm")
    chat.click("Não, continuar")
    assert chat.prompt.text == pt("conv.intake.ask_descricao")
    assert chat.state().data["intake"]["draft"]["assunto"] == "Um assunto"
    chat.send("cancelar")
    chat.send("sim")
    assert pt("conv.cancel.discarded") in chat.text
    assert "intake" not in chat.state().data
    assert tickets(world) == []


def test_cancel_from_the_summary_button(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("Não sei")
    chat.send("Assunto")
    chat.send("Vendas > Pedidos, pedido 4431, versão 2026.11")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Cancelar")
    chat.click("Sim, descartar")
    assert tickets(world) == []
    assert chat.state().step == "menu.main"


def test_r4_nfe_ticket_asks_for_the_rejection_print_and_the_xml(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Fiscal / NF-e")
    chat.click("atual")
    chat.send("Rejeição 539 ao autorizar NF-e")
    chat.send("Fiscal / NF-e / Emitir: nota 10125 rejeitada, versão 2026.11")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_anexos_nfe", document="NF-e"))
    chat.files("rejeicao.png")
    chat.click("Concluir")
    # The XML is still missing: asked once more, explicitly, without blocking.
    assert "Para NF-e ainda falta o XML da nota." in chat.text
    assert "Concluir assim mesmo" in chat.labels
    chat.files("nota-10125.xml")
    chat.click("Concluir")
    assert chat.prompt.text == pt("conv.intake.ask_prioridade")
    chat.click("Padrão")
    chat.click("Registrar")
    [ticket] = tickets(world)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert [a.filename for e in entries for a in e.attachments] == [
        "rejeicao.png", "nota-10125.xml"]


def test_r4_nfe_ticket_may_be_concluded_without_the_files_after_the_reminder(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("NFC-e")
    chat.click("atual")
    chat.send("Rejeição NFC-e")
    chat.send("PDV > Vender, cupom 778, versão 2026.11")
    chat.click("Concluir")
    assert "Para NFC-e ainda faltam a imagem da rejeição e o XML da nota." in chat.text
    chat.click("Concluir assim mesmo")
    assert chat.prompt.text == pt("conv.intake.ask_prioridade")


@pytest.mark.parametrize(("servico", "assunto", "descricao", "document"), [
    ("Vendas", "Nota fiscal rejeição 225", "Vendas > Faturar pedido 4431, versão 2026.11",
     "NF-e"),
    ("PDV", "NFC-e rejeitada", "PDV > Vender, cupom 778, versão 2026.11", "NFC-e"),
    ("Faturamento", "Erro ao faturar o pedido 4431",
     "Faturamento > Gerar nota: dá rejeição 539 na nota, versão 2026.11", "NF-e")])
def test_r4_a_rejection_told_under_another_servico_asks_for_the_print_and_the_xml(
        world, servico, assunto, descricao, document):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click(servico)
    chat.click("atual")
    chat.send(assunto)
    chat.send(descricao)
    assert chat.prompt.text.startswith(pt("conv.intake.ask_anexos_nfe", document=document))
    chat.click("Concluir")
    assert f"Para {document} ainda faltam a imagem da rejeição e o XML da nota." in chat.text


@pytest.mark.parametrize(("servico", "assunto", "document"), [
    ("Fiscal / NF-e", "NFC-e rejeitada no caixa 2", "NFC-e"),  # "assunto de NF-e" before
    ("NFC-e", "Cupom rejeitado no caixa 2", "NFC-e/SAT"),  # none named: the serviço's
    ("Fiscal / NF-e", "Rejeição 225 na nfe e na nfce", "NF-e/NFC-e"),
])
def test_r4_the_files_request_names_the_document_the_customer_wrote_about(
        world, servico, assunto, document):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click(servico)
    chat.click("atual")
    chat.send(assunto)
    chat.send("Vendas > Caixa: cupom 778 rejeitado, versão 2026.11")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_anexos_nfe", document=document))
    chat.click("Concluir")
    assert f"Para {document} ainda faltam" in chat.text


def test_r4_a_matter_that_is_no_nfe_rejection_is_not_asked_for_them(world):
    chat = to_anexos(world)  # "Pedido de venda não confirma", under Vendas
    assert chat.prompt.text == pt("conv.intake.ask_anexos")


def test_r2_untrained_user_is_refused_with_the_reason(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    before = chat.state()
    chat.send("novo")  # no contact configured: the coordinators registered are named
    assert pt("error.not_trained_colleagues",
              contact=" (Anderson Coordenação, coord@exemplo.com.br)",
              names="Carla Souza, João Lima") in chat.text
    assert "treinamento" in chat.text
    assert chat.state() == before
    world.policy = world.policy.model_copy(
        update={"coordination_contact": "anderson@total.com.br, Skype anderson_totall"})
    chat = chat_for(world, "novato")
    chat.send("novo")  # whom to ask, when the team set it (the manual names them)
    assert "fale com a coordenação técnica (anderson@total.com.br, Skype anderson_totall)." \
        in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")
    # Following the company's tickets stays possible.
    chat.send("tickets")
    assert chat.state().step == "list.view"


def test_r2_an_untrained_users_typed_matter_is_offered_only_to_the_knowledge_base(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("o caixa não abre")  # it was offered as a ticket, then refused when clicked
    assert chat.prompt.text == pt(  # whom to ask for the training, named
        "conv.typed.offer_untrained", text="o caixa não abre",
        contact=" (Anderson Coordenação, coord@exemplo.com.br)") + "\n" + pt(
        "conv.untrained.colleagues", names="Carla Souza, João Lima")
    assert chat.labels == [pt("conv.typed.kb"), pt("conv.menu.back")]
    chat.click(pt("conv.typed.kb"))
    assert chat.state().step.startswith("kb.")
    chat.send("menu")
    before = chat.state()
    chat.files("tela.png")  # no ticket to attach it to
    assert chat.replies[0].text == pt("error.not_trained_colleagues",
                                      contact=" (Anderson Coordenação, coord@exemplo.com.br)",
                                      names="Carla Souza, João Lima")
    assert chat.state() == before


def test_r2_unknown_telegram_person_gets_the_invite_path_then_links(world):
    key = telegram_key(5550001, 5550001)
    chat = chat_for(world, "carla", key=key)
    chat.send("/start")
    assert pt("conv.eligibility.unknown") in chat.text
    chat.send("novo")
    assert pt("conv.eligibility.unknown") in chat.text
    assert tickets(world) == []
    chat.send("/start WRONGCODE1")
    assert chat.text == pt("error.invite_unknown")
    invite = world.run(users.create_invite, "carla@exemplo.com.br")
    chat.send(f"/start {invite.code}")
    assert pt("conv.eligibility.linked", name="Carla Souza") in chat.text
    assert pt("conv.menu.prompt") in chat.text
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))
    assert carla.telegram_id == 5550001
    assert "Ticket 202611/0001 registrado" in open_ticket_by_chat(chat)


def test_r2_a_used_invite_code_is_refused(world):
    invite = world.run(users.create_invite, "carla@exemplo.com.br")
    chat_for(world, "carla", key=telegram_key(1, 1)).send(f"/start {invite.code}")
    other = chat_for(world, "carla", key=telegram_key(2, 2))
    other.send(invite.code)
    assert other.text == pt("error.invite_used")
    other.send("ABCDEFGHJK")  # capitals alone read as a code too
    assert other.text == pt("error.invite_unknown")
    other.send("Bom dia")  # mixed case, no digit: no code (and a greeting, so nothing kept)
    assert other.text == pt("conv.eligibility.unknown")


def test_r14_registration_outside_business_hours_says_when_the_team_is_back(world):
    world.now = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # Friday 19:30 in São Paulo
    text = open_ticket_by_chat(chat_for(world, "carla"))
    assert pt("conv.intake.after_hours", when="segunda-feira, 30/11 às 08:00") in text


def test_r14_registration_in_business_hours_has_no_after_hours_note(world):
    text = open_ticket_by_chat(chat_for(world, "carla"))
    assert "fora do horário" not in text


def test_r14_lunch_break_and_holiday(world):
    world.now = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # Tuesday 12:30, lunch
    assert "A equipe volta hoje às 13:30." in open_ticket_by_chat(chat_for(world, "carla"))
    world.now = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # Tuesday 20:00
    assert "A equipe volta amanhã às 08:00." in open_ticket_by_chat(chat_for(world, "joao"))
    world.now = datetime(2026, 12, 25, 13, 0, tzinfo=UTC)  # Christmas, a Friday
    assert "segunda-feira, 28/12 às 08:00" in open_ticket_by_chat(chat_for(world, "joao"))


def test_r17_an_older_version_is_warned_about_but_kept(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send("2025.3")
    assert pt("conv.intake.version_old", reported="2025.3", current="2026.11") in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    chat.send("Assunto")
    chat.send("Vendas > Pedidos: pedido 4431")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    assert tickets(world)[0].versao == "2025.3"


def test_r17_current_or_newer_version_has_no_warning(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send("v2026.11.2")
    assert "Atenção" not in chat.text
    assert chat.state().data["intake"]["draft"]["versao"] == "2026.11.2"  # the number itself


@pytest.mark.parametrize("typed", ["2027.1", "2062.11", "20261.1"])
def test_r17_a_release_after_the_current_one_is_questioned_but_kept(world, typed):
    """A release not out yet is a typo most likely (2062.11 for 2026.11); it went silently
    into the ticket."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send(typed)
    assert pt("conv.intake.version_newer", reported=typed, current="2026.11") in chat.text
    assert chat.state().data["intake"]["draft"]["versao"] == typed
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))


@pytest.mark.parametrize("typed", ["2026.11", "v2026.10"])
def test_r3_r17_a_version_typed_a_step_early_is_kept_for_its_question(world, typed):
    """A version typed at the serviço's question was "Não entendi", and lost."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.send(typed)
    version = typed.removeprefix("v")
    assert pt("conv.intake.version_kept", version=version) in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_servico"))
    chat.click("Vendas")
    assert pt("conv.intake.version_typed", version=version) in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    assert chat.state().data["intake"]["draft"]["versao"] == version


def _at_the_assunto(world, versao: str):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click(versao)
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    return chat


@pytest.mark.parametrize("typed", ["v2026.11.2", "versão 2026.11.2", "2026.11.2"])
def test_r3_r17_a_version_typed_at_the_assunto_is_no_assunto(world, typed):
    """A version typed at the assunto's question became the ticket's title ("v2026.11.2")."""
    chat = _at_the_assunto(world, "atual")
    chat.send(typed)
    assert pt("conv.intake.assunto_is_version", typed=typed.strip(), versao="2026.11") \
        in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    intake = chat.state().data["intake"]["draft"]
    assert intake["assunto"] is None
    assert intake["versao"] == "2026.11"


@pytest.mark.parametrize("typed", ["atual", "a última", "latest"])
def test_r3_r17_the_version_named_in_words_at_the_assunto_is_no_assunto(world, typed):
    """"atual" typed a step late became the ticket's assunto."""
    chat = _at_the_assunto(world, "atual")
    chat.send(typed)
    assert pt("conv.intake.assunto_is_version", typed=typed, versao="2026.11") in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    assert chat.state().data["intake"]["draft"]["assunto"] is None


def test_r3_r17_atual_at_the_assunto_answers_the_version_left_unknown(world):
    chat = _at_the_assunto(world, "Não sei")
    chat.send("a atual")
    assert pt("conv.intake.version_typed", version="2026.11") in chat.text
    intake = chat.state().data["intake"]["draft"]
    assert (intake["assunto"], intake["versao"]) == (None, "2026.11")


def test_r17_a_version_with_no_such_month_at_the_assunto_is_said_so(world):
    """"2026.13" at the assunto was told to be the version (2026.11 given already)."""
    chat = _at_the_assunto(world, "atual")
    chat.send("2026.13")
    assert "mês 13" in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    assert chat.state().data["intake"]["draft"]["versao"] == "2026.11"


def test_r3_r17_a_version_typed_at_the_assunto_answers_the_version_left_unknown(world):
    chat = _at_the_assunto(world, "Não sei")
    chat.send("versão 2026.11.2")
    assert pt("conv.intake.version_typed", version="2026.11.2") in chat.text
    assert chat.prompt.text.startswith(pt("conv.intake.ask_assunto", max=100))
    intake = chat.state().data["intake"]["draft"]
    assert intake["assunto"] is None
    assert intake["versao"] == "2026.11.2"


@pytest.mark.parametrize("typed", ["2026.13", "v2026.13.1"])
def test_r17_a_version_with_no_such_month_is_refused_and_asked_again(world, typed):
    """Versions are year.month (2026.11): "2026.13" was told "later than the current"."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send(typed)
    assert "mês 13" in chat.text
    assert pt("conv.intake.version_newer", reported=typed, current="2026.11") not in chat.text
    assert chat.state().data["intake"]["draft"]["versao"] is None
    assert chat.prompt.text.startswith(pt("conv.intake.ask_versao", current="2026.11"))


def test_r17_a_version_with_no_such_month_in_the_descricao_is_said_so(world):
    chat = _at_the_assunto(world, "Não sei")
    chat.send("Erro ao confirmar pedido")
    chat.send("Vendas / Pedidos: na versão 2026.13 o pedido 4431 não confirma")
    assert pt("conv.intake.version_named_unknown", version="2026.13", current="2026.11") \
        in chat.text
    assert "posterior" not in chat.text
    assert chat.state().data["intake"]["draft"]["versao"] is None


def test_r3_a_long_assunto_is_kept_as_the_descricao_and_a_summary_asked(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send("atual")  # typed, as the button says: it was stored as the version "atual"
    assert chat.state().data["intake"]["draft"]["versao"] == "2026.11"
    long = "Erro ao confirmar o pedido de venda quando o cliente tem crédito bloqueado " \
           "e o vendedor tenta liberar"
    assert len(long) > 100
    chat.send(long)  # it was refused: the whole account had to be typed again, shorter
    assert pt("conv.intake.assunto_kept_as_descricao", length=len(long), max=100) in chat.text
    assert chat.state().step == "intake.assunto"
    assert chat.state().data["intake"]["draft"]["descricao"] == long
    assert pt("conv.intake.use_suggested") in chat.labels  # a summary of it, as with one
    chat.send("Pedido de venda não confirma")
    assert chat.state().step == "intake.descricao"
    assert long in chat.prompt.text  # shown to keep or replace
    assert chat.labels == [pt("conv.intake.keep_descricao")]


def test_r3_the_summary_suggested_from_a_first_long_text_can_be_taken_with_a_tap(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send("atual")
    long = "Erro ao confirmar o pedido de venda. O cliente tem crédito bloqueado e o " \
           "vendedor tenta liberar pela tela de crédito, sem sucesso."
    chat.send(long)
    chat.click(pt("conv.intake.use_suggested"))
    draft = chat.state().data["intake"]["draft"]
    assert draft["assunto"] == "Erro ao confirmar o pedido de venda"
    assert draft["descricao"] == long


def to_assunto_with_descricao(world):
    """Carla's chat at the assunto question, a descrição typed at the menu already kept."""
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O pedido 4431 não confirma")
    chat.click("Abrir ticket com essa mensagem")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    return chat


def test_r3_a_long_assunto_with_a_descricao_is_added_to_it_and_a_summary_suggested(world):
    chat = to_assunto_with_descricao(world)
    long = "Erro ao confirmar o pedido de venda quando o cliente tem crédito bloqueado " \
           "e o vendedor tenta liberar"
    chat.send(long)  # it was refused and kept nowhere: only shown back
    assert pt("conv.intake.assunto_too_long", length=len(long), max=100) in chat.text
    draft = chat.state().data["intake"]["draft"]
    assert draft["descricao"] == "O pedido 4431 não confirma\n" + long  # nothing typed is lost
    assert draft["assunto"] is None
    suggested = "Erro ao confirmar o pedido de venda quando o cliente tem crédito bloqueado " \
                "e o vendedor tenta…"  # cut at a word, not in the middle of "liberar"
    assert pt("conv.intake.assunto_suggested", text=suggested) in chat.prompt.text
    assert chat.labels == [pt("conv.intake.use_suggested")]
    chat.click("Usar este resumo")
    assert chat.state().data["intake"]["draft"]["assunto"] == suggested
    assert chat.state().step == "intake.descricao"
    assert long in chat.prompt.text  # the descrição shown to keep carries the whole text


def test_r3_a_summary_typed_instead_of_the_one_suggested_is_the_assunto(world):
    chat = to_assunto_with_descricao(world)
    chat.send("O pedido de venda não confirma. Quando o cliente tem crédito bloqueado o "
              "vendedor tenta liberar e o sistema mostra um erro")
    assert pt("conv.intake.assunto_suggested", text="O pedido de venda não confirma") \
        in chat.prompt.text  # its first sentence, which fits
    chat.send("Pedido com crédito bloqueado não confirma")
    draft = chat.state().data["intake"]["draft"]
    assert draft["assunto"] == "Pedido com crédito bloqueado não confirma"
    assert "o sistema mostra um erro" in draft["descricao"]
    assert chat.state().step == "intake.descricao"


def test_r3_a_very_long_assunto_is_kept_whole_in_the_descricao_not_shown_back(world):
    chat = to_assunto_with_descricao(world)
    pasted = "o caixa trava ao fechar a venda " * 160  # ~5 000 characters
    chat.send(pasted)
    [notice, prompt] = chat.replies
    assert notice.text == pt("conv.intake.assunto_too_long", length=len(pasted.strip()),
                             max=100)
    assert len(prompt.text) < 600  # the suggestion, not the whole text back
    assert chat.state().data["intake"]["draft"]["descricao"].endswith(pasted.strip())
    assert chat.state().step == "intake.assunto"


def test_r3_a_long_assunto_already_in_the_descricao_is_not_added_twice(world):
    chat = to_assunto_with_descricao(world)
    long = "Erro ao confirmar o pedido de venda quando o cliente tem crédito bloqueado " \
           "e o vendedor tenta liberar"
    chat.send(long)
    descricao = chat.state().data["intake"]["draft"]["descricao"]
    chat.send(long)  # sent again
    assert pt("conv.intake.assunto_long_in_descricao", length=len(long), max=100) in chat.text
    assert chat.state().data["intake"]["draft"]["descricao"] == descricao


def test_r3_a_long_assunto_typed_to_correct_it_goes_back_to_the_summary(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.click("Corrigir")
    chat.click("Assunto")
    long = "Pedido de venda não confirma quando o cliente tem crédito bloqueado, e isso " \
           "acontece em todas as lojas"
    chat.send(long)
    assert chat.state().data["intake"]["draft"]["descricao"].endswith("\n" + long)
    chat.click("Usar este resumo")
    assert chat.state().step == "intake.resumo"
    assert "Assunto: Pedido de venda não confirma quando o cliente tem crédito bloqueado" \
        in chat.prompt.text


def test_r3_descricao_coaching_points_out_what_is_missing_without_blocking(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("Não sei")
    chat.send("Pedido não confirma")
    chat.send("Não consigo confirmar")
    for part in ("path", "document", "version"):
        assert pt(f"conv.coach.{part}") in chat.prompt.text
    chat.send("Vendas / Pedidos / Novo, pedido 4431, versão 2026.11")
    assert pt("conv.coach.added") in chat.text
    draft = chat.state().data["intake"]["draft"]
    assert draft["descricao"] == "Não consigo confirmar\nVendas / Pedidos / Novo, pedido 4431, " \
                                 "versão 2026.11"
    assert chat.prompt.expect == Expect.FILES


def test_r3_coaching_can_be_skipped(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    chat.send("Não consigo confirmar o pedido")
    assert pt("conv.coach.version") not in chat.prompt.text  # the versão step answered it
    chat.click("Seguir assim")
    assert chat.state().data["intake"]["draft"]["descricao"] == "Não consigo confirmar o pedido"


def test_r3_a_bare_sim_or_ok_to_the_coaching_goes_on_without_adding_it(world):
    for answer in ("sim", "OK!", "não"):
        chat = chat_for(world, "carla")
        chat.send("novo")
        chat.click("Suporte")
        chat.click("Vendas")
        chat.click("atual")
        chat.send("Pedido não confirma")
        chat.send("Não consigo confirmar o pedido")
        chat.send(answer)
        assert pt("conv.coach.added") not in chat.text
        assert chat.state().data["intake"]["draft"]["descricao"] == \
            "Não consigo confirmar o pedido", answer
        assert chat.prompt.expect == Expect.FILES
        chat.send("cancelar")
        chat.click("Descartar")


def test_r12_critical_needs_one_of_the_two_reasons(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("PDV")
    chat.click("atual")
    chat.send("Caixa não abre")
    chat.send("PDV > Abrir caixa: caixa 3 não abre no cupom 1234")
    chat.click("Concluir")
    chat.click("Crítico")
    assert len(chat.labels) == 3
    chat.send("porque sim")
    assert pt("conv.error.choose") in chat.text
    chat.click("parada")
    chat.click("Registrar")
    [ticket] = tickets(world)
    assert ticket.priority == Priority.CRITICAL
    assert ticket.critical_reason == CriticalReason.AREA_STOPPED


def _rest_of_the_intake(chat) -> None:
    """From the item question on, with sensible answers, up to registration."""
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Assunto")
    chat.send("Vendas > Pedidos: pedido 4431")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")


def test_r3_a_person_in_two_companies_chooses_the_empresa_first(world):
    world.run(users.add_user, name="Dora Dupla", email="dora@exemplo.com.br",
              company_names=["Mercado Exemplo", "Loja Rival"], trained=True)
    world.ids["dora"] = world.read(lambda uow: uow.users.by_email("dora@exemplo.com.br").id)
    chat = chat_for(world, "dora")
    chat.send("novo")
    assert chat.prompt.text == pt("conv.intake.ask_empresa")
    assert chat.labels == ["Mercado Exemplo", "Loja Rival"]
    chat.click("Loja Rival")
    assert chat.prompt.text == pt("conv.intake.ask_item")
    _rest_of_the_intake(chat)
    rival = world.read(lambda uow: uow.companies.by_name("Loja Rival").id)
    assert tickets(world)[0].company_id == rival


def test_attachments_can_be_removed_and_resent(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Assunto")
    chat.send("Vendas > Pedidos: pedido 4431")
    chat.send(UserInput.of_files([]))  # an empty upload is plain empty text: refused
    assert chat.state().step == "intake.anexos"
    chat.files("a.png")
    chat.click("Remover anexos")
    assert chat.state().data["intake"]["draft"]["attachments"] == []


def _in_many_companies(world, who: str, n: int) -> list[str]:
    names = [f"Filial {i:02d} Mercado Exemplo" for i in range(1, n + 1)]
    for name in names:
        world.run(users.add_company, name)
    world.run(users.add_user, name="Gil Grupo", email=f"{who}@exemplo.com.br",
              company_names=names, trained=True)
    world.ids[who] = world.read(lambda uow: uow.users.by_email(f"{who}@exemplo.com.br").id)
    return names


def test_r3_a_person_in_more_companies_than_buttons_types_the_empresa(world):
    _in_many_companies(world, "gil", 45)
    chat = chat_for(world, "gil")
    chat.send("novo")
    assert pt("conv.intake.ask_empresa") in chat.prompt.text
    assert pt("conv.company.type_name", count=45) in chat.prompt.text
    assert chat.labels == []  # 45 buttons would not fit a chat keyboard
    chat.send("Atacadão")
    assert chat.replies[0].text == pt("conv.company.none", typed="Atacadão")
    assert pt("conv.company.type_name", count=45) in chat.prompt.text  # asked again
    chat.send("filial")
    assert chat.replies[0].text == pt("conv.company.too_many", count=45)
    chat.send("filial 1")  # Filial 10 … Filial 19
    assert chat.labels == [f"Filial {i} Mercado Exemplo" for i in range(10, 20)]
    chat.click("Filial 12")
    assert chat.prompt.text == pt("conv.intake.ask_item")
    _rest_of_the_intake(chat)
    chosen = world.read(lambda uow: uow.companies.by_name("Filial 12 Mercado Exemplo").id)
    assert tickets(world)[0].company_id == chosen


def test_r3_a_typed_empresa_naming_one_company_is_taken_at_once(world):
    _in_many_companies(world, "gil", 45)
    chat = chat_for(world, "gil")
    chat.send("novo")
    chat.send("filial 07")
    assert chat.prompt.text == pt("conv.intake.ask_item")
    chat.send("cancelar")
    chat.click("Sim")
    chat.send("novo")
    chat.send("FILIAL 33 MERCADO EXEMPLO")
    assert chat.prompt.text == pt("conv.intake.ask_item")


def test_r3_a_typed_empresa_may_be_any_part_of_a_word_when_no_word_starts_with_it(world):
    _in_many_companies(world, "gil", 45)
    chat = chat_for(world, "gil")
    chat.send("novo")
    chat.send("filial 9")  # no word starts with "9": Filial 09, 19, 29, 39
    assert chat.labels == [f"Filial {i:02d} Mercado Exemplo" for i in (9, 19, 29, 39)]
    chat.send("xemplo 45")
    assert chat.prompt.text == pt("conv.intake.ask_item")


def _pdv_keeping_the_descricao(chat, shown: str) -> None:
    """From the item question to the anexos one, keeping the descrição already written."""
    chat.click("Suporte")
    chat.click("PDV")
    chat.click("atual")
    chat.send("PDV trava ao emitir NFC-e")
    assert shown in chat.prompt.text  # shown again at its question, to keep or replace
    chat.click("Manter esta descrição")
    if chat.labels == [pt("conv.coach.skip")]:  # coached like a typed descrição
        chat.click(pt("conv.coach.skip"))


def test_r3_a_matter_typed_at_the_menu_becomes_the_descricao_of_a_new_ticket(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    for no_matter in ("bom dia", "Boa tarde, tudo bem?", "Sim", "beleza, obrigado", "x"):
        chat.send(no_matter)
        assert chat.state().step == "menu.main"  # no ticket offered
        assert "typed" not in chat.state().data
    chat.send("travou")  # one real word is a matter too: offered, not "Não entendi"
    assert chat.prompt.text == pt("conv.typed.offer", text="travou")
    chat.click("Menu")
    chat.send("PDV travado")
    assert chat.prompt.text == pt("conv.typed.offer", text="PDV travado")
    chat.click("Menu")
    typed = "O PDV trava ao emitir a NFC-e do cupom 5521\nDesde a atualização de ontem"
    chat.send(typed)
    assert chat.prompt.text == pt("conv.typed.offer", text=typed)
    chat.click("Abrir ticket com essa mensagem")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_item"))  # Suporte suggested too
    _pdv_keeping_the_descricao(chat, shown=typed)
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    [ticket] = tickets(world)
    assert ticket.descricao == typed
    assert ticket.assunto == "PDV trava ao emitir NFC-e"


def test_r3_the_first_message_of_a_session_may_be_the_matter_and_may_go_to_the_kb(world):
    chat = chat_for(world, "carla")
    chat.send("Como faço para cancelar uma nota fiscal emitida hoje?")
    assert pt("conv.welcome", name="Carla") in chat.text
    assert chat.prompt.text == pt("conv.typed.offer",
                                  text="Como faço para cancelar uma nota fiscal emitida hoje?")
    chat.click("Procurar na base de conhecimento")
    assert chat.state().step == "kb.results"  # searched for the words typed
    assert "cancelar uma nota fiscal emitida hoje" in chat.prompt.text
    assert tickets(world) == []


def test_r2_staff_typing_at_the_menu_is_not_offered_a_ticket(world):
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("o cliente ligou reclamando do PDV")
    assert chat.state().step == "list.view"  # a search of the tickets, no ticket offered
    assert "typed" not in chat.state().data


def test_r2_a_matter_written_before_linking_is_offered_once_linked(world):
    key = telegram_key(5550002, 5550002)
    chat = chat_for(world, "carla", key=key)
    chat.send("O PDV trava ao emitir a NFC-e")
    assert pt("conv.eligibility.unknown") in chat.text
    assert pt("conv.eligibility.kept") in chat.text
    chat.send("bom dia")  # not a matter: what was kept stays
    assert pt("conv.eligibility.kept") not in chat.text
    invite = world.run(users.create_invite, "carla@exemplo.com.br")
    chat.send(f"/start {invite.code}")
    assert pt("conv.eligibility.linked", name="Carla Souza") in chat.text
    assert chat.prompt.text == pt("conv.typed.offer", text="O PDV trava ao emitir a NFC-e")
    chat.click("Abrir ticket com essa mensagem")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_item"))  # Suporte suggested too


def test_r3_r5_files_sent_outside_any_question_become_the_anexos_of_a_new_ticket(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.files("erro.png")  # a screenshot sent without a word
    assert chat.prompt.text == pt("conv.typed.offer_files", count=1, names="erro.png")
    assert chat.labels == ["Abrir ticket com isso", "Menu"]
    chat.send("O PDV trava ao emitir a NFC-e")  # then the words: both are kept
    chat.files("log.txt")
    assert chat.prompt.text == pt("conv.typed.offer_both", text="O PDV trava ao emitir a NFC-e",
                                  count=2, names="erro.png, log.txt")
    chat.click("Abrir ticket com isso")
    _pdv_keeping_the_descricao(chat, shown="O PDV trava ao emitir a NFC-e")
    assert "erro.png, log.txt" in chat.prompt.text  # the anexos question lists them
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    [ticket] = tickets(world)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    files = [a.filename for e in entries if e.kind == EntryKind.PUBLIC for a in e.attachments]
    assert files == ["erro.png", "log.txt"]
    assert ticket.descricao == "O PDV trava ao emitir a NFC-e"


def test_staff_files_outside_any_question_are_refused(world):
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.files("erro.png")
    assert chat.replies[0].text == pt("conv.error.files_not_expected")


def test_r3_a_screenshot_captioned_with_the_problem_brings_both(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(UserInput.of_files([attachment("erro.png")], "O PDV trava ao emitir a NFC-e"))
    assert chat.prompt.text == pt("conv.typed.offer_both", text="O PDV trava ao emitir a NFC-e",
                                  count=1, names="erro.png")
    chat.send(UserInput.of_files([attachment("log.txt")], "ok"))  # a caption that is no matter
    assert chat.prompt.text == pt("conv.typed.offer_both", text="O PDV trava ao emitir a NFC-e",
                                  count=2, names="erro.png, log.txt")


def test_r3_a_caption_at_the_anexos_step_joins_the_descricao(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    chat.send("Vendas > Pedidos: pedido 4431")
    chat.send(UserInput.of_files([attachment("tela.png")], "tela do erro ao confirmar"))
    assert pt("conv.intake.caption_added") in chat.text
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    [ticket] = tickets(world)
    assert ticket.descricao == "Vendas > Pedidos: pedido 4431\ntela do erro ao confirmar"


def test_r3_r4_a_screenshot_captioned_at_the_assunto_question_brings_both(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas / Pedidos")
    chat.click("atual")
    chat.send(UserInput.of_files([attachment("erro.png")], "Erro ao confirmar pedido de venda"))
    assert chat.replies[0].text == pt("conv.intake.files_kept", names="erro.png")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_descricao").split("\n")[0])
    chat.send("Vendas / Pedidos de Vendas / Registrar Pedido - Novo pedido: o pedido 4431 "
              "não confirma")
    assert "erro.png" in chat.prompt.text  # the anexos question lists it
    chat.files("log.txt")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    [ticket] = tickets(world)
    assert ticket.assunto == "Erro ao confirmar pedido de venda"
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    files = [a.filename for e in entries if e.kind == EntryKind.PUBLIC for a in e.attachments]
    assert files == ["erro.png", "log.txt"]


def test_small_talk_at_the_menu_is_answered_in_kind_with_the_menu(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    menu = chat.labels
    for typed, key in (("Oi, tudo bem?", "hello"), ("Bom dia!", "hello"),
                       ("Muito obrigada!", "thanks"), ("valeu", "thanks"),
                       ("tchau, até logo", "bye"), ("ok", "assent"), ("Beleza", "assent")):
        chat.send(typed)
        assert [r.text for r in chat.replies] == [
            pt(f"conv.smalltalk.{key}", name="Carla"), pt("conv.menu.prompt")], typed
        assert chat.labels == menu
    chat.send("x")  # a stray character is still not understood
    assert chat.replies[0].text == pt("conv.error.not_understood")


def test_small_talk_while_a_typed_matter_is_offered_keeps_the_offer(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O PDV travou")
    chat.send("obrigada")  # answered in kind, as at the menu (not "Não entendi")
    assert chat.replies[0].text == pt("conv.smalltalk.thanks", name="Carla")
    assert chat.prompt.text == pt("conv.typed.offer", text="O PDV travou")


def test_r3_a_greeting_is_no_assunto_or_descricao(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("oi")
    assert chat.replies[0].text == pt("conv.intake.assunto_small_talk", text="oi")
    assert chat.state().step == "intake.assunto"
    assert chat.state().data["intake"]["draft"]["assunto"] is None
    chat.send("Oi, o caixa não abre")  # a greeting in front of a matter is fine
    assert chat.state().data["intake"]["draft"]["assunto"] == "Oi, o caixa não abre"
    chat.send("Obrigada!")
    assert chat.replies[0].text == pt("conv.intake.descricao_small_talk", text="Obrigada!")
    assert chat.state().step == "intake.descricao"
    assert chat.state().data["intake"]["draft"]["descricao"] is None


def test_r3_a_kept_draft_a_stricter_rule_now_refuses_is_sent_back_to_that_question(world):
    chat = to_summary(chat_for(world, "carla"))
    assert chat.labels[0] == "Registrar o Ticket"
    with world.store() as uow:  # a draft saved before assuntos needed a letter
        state = uow.conversations.get(chat.key)
        state.data["intake"]["draft"]["assunto"] = "1"
        uow.conversations.save(state)
        uow.commit()
    chat.click("Registrar o Ticket")
    assert chat.replies[0].text == pt("error.no_letters", field_label=pt("field.assunto"))
    assert chat.state().step == "intake.assunto"
    assert tickets(world) == []
    chat.send("Pedido de venda não confirma")
    assert chat.labels[0] == "Registrar o Ticket"  # back at the summary, the rest kept
    assert "o pedido 4431 não confirma" in chat.prompt.text
    chat.click("Registrar o Ticket")
    [ticket] = tickets(world)
    assert ticket.assunto == "Pedido de venda não confirma"


def test_r3_a_matter_told_over_several_messages_is_kept_whole(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O PDV travou")
    chat.send("na loja 2, desde as 9h")  # it replaced the first message
    both = "O PDV travou\nna loja 2, desde as 9h"
    assert chat.prompt.text == pt("conv.typed.offer", text=both)
    chat.click("Abrir ticket com essa mensagem")
    assert chat.state().data["intake"]["draft"]["descricao"] == both


def test_r3_an_option_named_by_a_word_of_its_label_is_chosen_or_the_candidates_named(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    before = chat.state()
    chat.send("fiscal")  # two services have it: both named back ("Não entendi" before)
    assert chat.replies[0].text == pt("conv.error.ambiguous", text="fiscal",
                                      options="Fiscal / NF-e; NFC-e / SAT; "
                                              "Fiscal / Livros e apuração")
    assert chat.state() == before
    chat.send("sped")  # one service has it
    assert chat.state().data["intake"]["draft"]["servico_id"]
    assert chat.prompt.text.startswith("Qual a versão")
    [servico] = [c for c in default_catalog().tipos[0].itens[0].servicos
                 if c.id == chat.state().data["intake"]["draft"]["servico_id"]]
    assert servico.label == "Contabilidade / SPED"


def test_r4_words_at_the_anexos_step_join_the_descricao_and_pronto_concludes(world):
    chat = to_anexos(world)
    assert chat.state().step == "intake.anexos"
    chat.send("a loja está parada desde as 9h")  # it was refused, and lost
    assert pt("conv.coach.added") in chat.text
    assert chat.state().data["intake"]["draft"]["descricao"].endswith(
        "\na loja está parada desde as 9h")
    assert chat.state().step == "intake.anexos"
    chat.send("pronto")  # it was refused: Concluir had to be tapped
    assert chat.state().step == "intake.prioridade"
    assert chat.prompt.text.endswith(pt("conv.intake.ask_prioridade"))


@pytest.mark.parametrize("typed", ["registrar", "Registrar o ticket", "pode registrar",
                                   "finalizar", "enviar", "pode enviar", "submit"])
def test_r5_registrar_typed_at_the_anexos_step_concludes_and_is_no_part_of_the_descricao(
        world, typed):
    chat = to_anexos(world)
    chat.send(typed)  # joined the descrição as a complement ("…não confirma\nregistrar")
    assert pt("conv.coach.added") not in chat.text
    assert chat.state().data["intake"]["draft"]["descricao"].endswith("4431 não confirma")
    assert chat.prompt.text == pt("conv.intake.ask_prioridade")


@pytest.mark.parametrize(("typed", "step"), [
    ("padrão", "intake.resumo"), ("Normal", "intake.resumo"), ("standard", "intake.resumo"),
    ("urgente", "intake.motivo"), ("crítico", "intake.motivo")])
def test_r12_a_priority_typed_a_step_early_at_the_anexos_answers_the_priority(
        world, typed, step):
    """João typed "standard" at the files step (the priority was the next question): "Complement
    added to the description", the word joined his descrição; then it concluded the files and
    the priority was asked again, as if he had said nothing."""
    chat = to_anexos(world)
    chat.send(typed)
    assert pt("conv.coach.added") not in chat.text
    assert chat.state().data["intake"]["draft"]["descricao"].endswith("4431 não confirma")
    assert chat.state().step == step  # Padrão: the summary; Crítico: which of its reasons


def test_r5_registrar_typed_at_the_complement_question_goes_on_without_adding_it(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    chat.send("o pedido não confirma")  # no menu path, no document: the complement is offered
    assert chat.state().step == "intake.descricao_mais"
    chat.send("registrar")
    assert chat.state().data["intake"]["draft"]["descricao"] == "o pedido não confirma"
    assert chat.state().step == "intake.anexos"


def test_r12_the_critical_reason_named_in_words_is_picked_and_a_negation_picks_nothing(world):
    chat = to_anexos(world)
    chat.click("Concluir")
    chat.click("Crítico")
    chat.send("a loja está parada")  # "Não entendi" before
    assert chat.state().data["intake"]["draft"]["critical_reason"] == \
        CriticalReason.AREA_STOPPED.value
    assert chat.labels[0] == "Registrar o Ticket"
    chat.send("não quero registrar ainda")  # shares "registrar", but says no
    assert chat.replies[0].text == pt("conv.error.choose")
    assert tickets(world) == []


def test_r12_a_plural_names_the_option_as_its_singular_does(world):
    chat = to_anexos(world)
    chat.click("Concluir")
    chat.click("Crítico")
    chat.send("as vendas estão paradas desde as 9h")  # "paradas" for "parada": Não entendi
    assert chat.state().data["intake"]["draft"]["critical_reason"] == \
        CriticalReason.AREA_STOPPED.value


def test_r3_files_sent_as_a_sessions_first_message_are_kept(world):
    chat = chat_for(world, "carla")
    chat.send(UserInput.of_files([attachment("erro.png")], "O PDV trava ao emitir a NFC-e"))
    assert pt("conv.welcome", name="Carla") in chat.text  # they were dropped for the greeting
    assert chat.prompt.text == pt("conv.typed.offer_both", text="O PDV trava ao emitir a NFC-e",
                                  count=1, names="erro.png")


def test_r7_a_matter_naming_an_open_ticket_can_be_added_to_it(world):
    mine = world.open("carla", assunto="Impressora fiscal não imprime")
    theirs = world.open("rival", assunto="Segredo da Loja Rival")
    chat = chat_for(world, "carla")
    chat.send("oi")
    said = f"O chamado {mine.number} voltou a dar erro na impressora"
    chat.send(said)  # it was only offered as a new ticket
    assert chat.labels[0] == pt("conv.typed.add_to", number=mine.number)
    chat.click(pt("conv.typed.add_to", number=mine.number))
    assert pt("conv.tramite.added", number=mine.number) in chat.text
    assert chat.state().step == "ticket.view"
    entries = world.read(lambda uow: uow.entries.list(mine.id, True))
    assert [e.text for e in entries if e.kind == EntryKind.PUBLIC] == [said]
    chat.send("menu")
    chat.send(f"O chamado {theirs.number} também travou")  # another company's: no such offer
    assert not any(theirs.number in label for label in chat.labels)
    assert len(tickets(world)) == 2


def test_r7_an_answer_to_what_support_asked_is_offered_to_that_ticket(world):
    from core.services import handling, tramites

    asked = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.open("carla", assunto="Outro assunto, sem pergunta da equipe")
    world.run(handling.take, world.ids["ana"], asked.id)
    world.run(tramites.add_tramite, world.ids["ana"], asked.id, "Pode enviar o print do erro?")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(UserInput.of_files([attachment("print.png")], "segue o print"))
    # It was only offered as a new ticket: the answer went nowhere near the question.
    assert chat.labels[0] == pt("conv.typed.add_to", number=asked.number)
    assert pt("conv.typed.awaiting", number=asked.number,
              assunto="Erro reajuste contrato de venda") in chat.prompt.text
    chat.click(pt("conv.typed.add_to", number=asked.number))
    assert pt("conv.tramite.added", number=asked.number) in chat.text
    entries = world.read(lambda uow: uow.entries.list(asked.id, False))
    mine = [e for e in entries if e.kind == EntryKind.PUBLIC and e.author_id == world.ids["carla"]]
    assert [(e.text, [a.filename for a in e.attachments]) for e in mine] == [
        ("segue o print", ["print.png"])]
    assert len(tickets(world)) == 2


def test_r7_no_ticket_is_offered_once_the_customer_answered_or_long_after(world):
    from core.services import handling, tramites

    asked = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], asked.id)
    world.run(tramites.add_tramite, world.ids["ana"], asked.id, "Pode enviar o print do erro?")
    world.run(tramites.add_tramite, world.ids["carla"], asked.id, "Enviei por e-mail.")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("o caixa travou de novo na loja 2")
    assert pt("conv.typed.add_to", number=asked.number) not in chat.labels  # they answered
    chat.send("menu")
    world.run(tramites.add_tramite, world.ids["ana"], asked.id, "Recebi, obrigado.")
    world.advance(days=8)
    chat.send("o caixa travou de novo na loja 3")
    assert pt("conv.typed.add_to", number=asked.number) not in chat.labels  # a week ago


def test_r3_a_typo_or_an_english_cognate_still_names_the_option(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.send("support")  # "Não entendi": the label is "Suporte TOTALL SISTEMAS"
    assert chat.state().step == "intake.servico"
    chat.send("o estque do cliente ficou errado hoje cedo")  # a sentence: no typo reading
    assert chat.state().step == "intake.servico"
    assert draft_of(chat)["descricao"] == "o estque do cliente ficou errado hoje cedo"
    chat.send("estque")
    [servico] = [c for c in default_catalog().tipos[0].itens[0].servicos
                 if c.id == chat.state().data["intake"]["draft"]["servico_id"]]
    assert servico.label == "Estoque"


def test_a_request_in_words_mid_intake_runs_and_the_ticket_is_put_aside(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    before = chat.state()
    chat.send("quero ver meus chamados")  # "Não entendi", then refused, before
    assert chat.state().step == "list.view"
    assert chat.state().data["parked"]["intake"] == before.data["intake"]


def draft_of(chat):
    """The intake draft the conversation keeps."""
    return chat.state().data["intake"]["draft"]


def test_r3_r4_catalog_options_answer_to_their_aliases_and_to_nfe_however_it_is_typed(world):
    for typed in ("NF-e", "nfe", "NFe", "nota fiscal", "a nota fiscal eletrônica travou"):
        chat = chat_for(world, "carla")
        chat.send("novo")
        chat.send("erro")  # the item question says "Suporte: dúvidas ou erros"
        assert draft_of(chat)["item_id"] == "suporte"
        chat.send(typed)  # "Não entendi" before: "NF-e" folds to two short words
        assert draft_of(chat)["servico_id"] == "nfe", typed
        chat.send("cancelar")
        chat.click("Sim")
    chat.send("novo")
    chat.send("quero uma melhoria no sistema")
    assert draft_of(chat)["item_id"] == "implementacao"
    chat.send("boleto")
    assert draft_of(chat)["servico_id"] == "financeiro"


def test_r3_an_english_user_reads_the_catalog_in_english_and_may_type_it(world):
    users_set_english(world, "carla")
    chat = chat_for(world, "carla")
    chat.send("novo")
    assert chat.labels == ["Support (TOTALL SISTEMAS)", "Implementation request",
                           "Services (outside the contract)"]
    chat.send("support")
    assert "Inventory" in chat.labels
    chat.send("inventory")
    assert draft_of(chat)["servico_id"] == "estoque"
    chat.click("2026.11")
    chat.send("Negative stock")
    chat.send("Inventory / Balance: product 123 shows -4 units since update 2026.11")
    while chat.state().step != "intake.resumo":
        chat.send(chat.prompt.choices[-1].label if chat.prompt.choices else "x")
    assert "Inventory" in chat.prompt.text
    assert "Estoque" not in chat.prompt.text


def users_set_english(world, who):
    """The user chose English in the profile."""
    def change(uow):
        user = uow.users.get(world.ids[who])
        user.language = "en"
        uow.users.update(user)
        uow.commit()
    world.read(change)


def test_r3_voltar_asks_the_question_before_and_is_never_kept_as_an_answer(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.send("voltar")  # the first question, nothing typed: back to the menu (intake_back)
    assert pt("conv.intake.left_first") in chat.text
    chat.send("novo")
    chat.click("Suporte")
    chat.send("voltar")  # to the item
    chat.send("voltar")  # the first question again, an answer given: nothing before it
    assert pt("conv.intake.first_question") in chat.text
    assert chat.state().step == "intake.item"
    chat.click("Suporte")
    chat.click("Estoque")
    chat.send("voltar")  # at the version: "voltar" was stored as the version
    assert chat.state().step == "intake.servico"
    assert draft_of(chat)["versao"] is None
    chat.click("Financeiro")
    chat.click("2026.11")
    chat.send("Boleto sem código de barras")
    chat.send("back")  # at the descrição: the assunto again
    assert chat.state().step == "intake.assunto"
    assert draft_of(chat)["assunto"] == "Boleto sem código de barras"
    assert draft_of(chat)["servico_id"] == "financeiro"


def test_r3_voltar_to_the_company_never_asks_the_tipo_that_has_one_answer(world):
    """Dora, in two companies, went back from the item to the company and chose again: the
    bot then asked "Qual o tipo?" with its one option (Sistemas de Varejo), a question never
    asked on the way forward; now the item comes next, as it did the first time."""
    world.run(users.add_user, name="Dora Dupla", email="dora@exemplo.com.br",
              company_names=["Mercado Exemplo", "Loja Rival"], trained=True)
    world.ids["dora"] = world.read(lambda uow: uow.users.by_email("dora@exemplo.com.br").id)
    chat = chat_for(world, "dora")
    chat.send("novo")
    chat.click("Loja Rival")
    assert chat.state().step == "intake.item"
    chat.send("voltar")
    assert chat.state().step == "intake.empresa"
    chat.click("Mercado Exemplo")
    assert chat.state().step == "intake.item"
    assert chat.prompt.text.startswith(pt("conv.intake.ask_item")[:15])
    chat.click("Suporte")
    chat.send("voltar")  # from the serviço: the item, then the company, never the tipo
    assert chat.state().step == "intake.item"
    chat.send("voltar")
    assert chat.state().step == "intake.empresa"


def test_r3_words_for_going_on_at_the_complement_and_anexos_questions_are_not_added(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Estoque")
    chat.click("2026.11")
    chat.send("Saldo negativo")
    chat.send("O saldo do produto ficou negativo")  # short: the complement question
    assert chat.state().step == "intake.descricao_mais"
    chat.send("pular")  # was added to the descrição
    assert chat.state().step == "intake.anexos"
    chat.send("skip")
    assert draft_of(chat)["descricao"] == "O saldo do produto ficou negativo"
    assert chat.state().step != "intake.anexos"


def test_r3_r4_an_empty_file_or_one_already_attached_is_left_out_and_said(world):
    chat = to_anexos(world)
    chat.files("print.png", "print.png")  # the same screenshot twice in one album
    assert pt("conv.files.duplicate", name="print.png") in chat.text
    chat.send(UserInput.of_files([attachment("vazio.xml", b""), attachment("nota.xml")]))
    assert pt("conv.files.empty", name="vazio.xml") in chat.text  # it counted as the XML
    assert [a["filename"] for a in draft_of(chat)["attachments"]] == ["print.png", "nota.xml"]


def test_r3_an_overlong_descricao_keeps_what_fits_cut_at_a_line_and_says_so(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("PDV")
    chat.click("atual")
    chat.send("PDV fecha sozinho")
    log = "Log do PDV:\n" + "".join(f"{i:05d} ERRO ao gravar o cupom no caixa 2\n"
                                    for i in range(1500))
    chat.send(log)  # refused whole before: the customer had to shorten a pasted log
    kept = draft_of(chat)["descricao"]
    assert 19_000 < len(kept) <= 20_000
    assert log.startswith(kept)
    assert kept.endswith("no caixa 2")  # a whole line
    assert pt("conv.intake.descricao_cut", length=len(log.strip()), kept=len(kept),
              end=kept[-60:].lstrip()) in chat.text
    assert chat.state().step != "intake.descricao"


def test_r12_urgente_names_critico_and_a_typed_reason_names_the_manuals_one(world):
    chat = to_anexos(world)
    chat.click("Concluir")
    chat.send("urgente")  # "Não entendi" before
    assert chat.state().step == "intake.motivo"
    chat.send("a loja está parada, não conseguimos emitir nenhuma NF-e desde cedo")
    assert (draft_of(chat)["priority"], draft_of(chat)["critical_reason"]) == (
        "critico", "area_parada")
    chat.click("Corrigir")
    chat.click("Prioridade")
    chat.send("normal")
    assert (draft_of(chat)["priority"], draft_of(chat)["critical_reason"]) == ("padrao", None)


def test_r17_a_version_told_in_a_sentence_is_kept_as_the_number_and_warned_about(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send("acho que a versão é a 2026.9")  # kept as the sentence, no R17 warning
    assert pt("conv.intake.version_old", reported="2026.9", current="2026.11") in chat.text
    assert draft_of(chat)["versao"] == "2026.9"


@pytest.mark.parametrize(("typed", "stored"), [
    ("versao 2025.3", "2025.3"), ("v2026.11", "2026.11"),  # "versao 2025.3" was kept whole
    ("2026.11-b3", "2026.11-b3"),  # a build typed after the number stays
    ("nao sei a versao", None), ("não sei qual é", None),  # stored as typed, not "Não sei"
    ("a atual mesmo", "2026.11"),
    ("2026,11", "2026.11"), ("versão 2026,10", "2026.10"),  # the comma was stored as typed
    ("uso a 2025", "2025"), ("2025", "2025")])
def test_r17_a_version_is_stored_as_the_number_or_the_buttons_meaning(world, typed, stored):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.send(typed)
    assert chat.state().step == "intake.assunto"
    assert draft_of(chat)["versao"] == stored


def test_r3_chatter_at_the_complement_and_anexos_questions_stays_out_of_the_descricao(world):
    chat = to_anexos(world)
    before = draft_of(chat)["descricao"]
    chat.send("segue o xml")  # was added to the descrição
    assert chat.replies[0].text == pt("conv.intake.send_the_file")
    chat.send("não tenho o xml agora")
    assert chat.state().step == "intake.prioridade"
    assert draft_of(chat)["descricao"] == before


def test_r3_an_english_user_reads_a_tickets_catalog_labels_in_english(world):
    ticket = world.open("carla", servico_id="estoque")
    users_set_english(world, "carla")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(f"ticket {ticket.number}")
    assert "Retail Systems / Support (TOTALL SISTEMAS) / Inventory" in chat.prompt.text
    assert "Sistemas de Varejo" not in chat.prompt.text
    assert f"Description: {ticket.descricao}" in chat.prompt.text  # was "Descrição:"


def test_r3_a_request_in_words_at_the_assunto_is_not_kept_as_the_assunto(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("meus tickets")  # was stored as the ticket's assunto
    assert chat.state().step == "list.view"
    assert chat.state().data["parked"]["intake"]["draft"]["assunto"] is None
    chat.send("menu")
    chat.click(pt("conv.parked.continue"))
    chat.send("Cadastro")  # one word: an assunto as good as any
    assert draft_of(chat)["assunto"] == "Cadastro"


def test_r3_a_sentence_at_a_question_with_options_is_kept_for_the_descricao(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    said = "o caixa da loja 3 travou na hora de fechar, urgente"
    chat.send(said)  # "Não entendi", and the sentence lost
    assert pt("conv.intake.sentence_kept") in chat.text
    assert chat.state().step == "intake.item"
    chat.click("Suporte")
    chat.send("o caixa da loja 3 travou de novo")  # names PDV: chosen, the first one stays
    assert draft_of(chat)["servico_id"] == "pdv"
    assert draft_of(chat)["descricao"] == said


def test_r23_the_summary_of_a_billable_service_says_it_is_charged_before_registering(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Serviços")
    chat.click("Backup")
    chat.click("atual")
    chat.send("Backup da base")
    chat.send("Preciso de um backup completo da base de dados e da aplicação antes da troca")
    while chat.state().step != "intake.resumo":
        chat.send(chat.prompt.choices[0].label if chat.prompt.choices else "x")
    assert pt("conv.intake.registered_billable") in chat.prompt.text  # only after, before


@pytest.mark.parametrize(("typed", "priority", "reason", "step"), [
    ("é urgente, a loja parou", "critico", "area_parada", "intake.resumo"),
    ("urgente, o SPED vence amanhã", "critico", "obrigacao_acessoria", "intake.resumo"),
    ("crítico", None, None, "intake.motivo"),  # no reason told: the reason question
    ("está parado", "critico", "area_parada", "intake.resumo"),
    ("normal", "padrao", None, "intake.resumo"),
    ("não é urgente", "padrao", None, "intake.resumo"),
    ("pode ser o padrão", "padrao", None, "intake.resumo"),
    # The manual's own example of a stop (R12): cannot issue notas, sell, invoice.
    ("não consigo emitir nota", "critico", "area_parada", "intake.resumo"),
    ("a loja não está vendendo", "critico", "area_parada", "intake.resumo"),
])
def test_r12_the_priority_told_in_words_is_read(world, typed, priority, reason, step):
    chat = to_anexos(world)
    chat.click("Concluir")
    assert chat.state().step == "intake.prioridade"
    chat.send(typed)  # "Não entendi" before (but for "crítico" and "normal")
    assert chat.state().step == step
    if step == "intake.resumo":
        assert (draft_of(chat)["priority"], draft_of(chat)["critical_reason"]) == (
            priority, reason)


@pytest.mark.parametrize("typed", [
    "urgente, preciso emitir nota",  # was Crítico — área parada, a reason nobody gave
    "é urgente, preciso faturar hoje",
    "urgente, o cliente quer a entrega hoje",  # was Crítico — obrigação acessória
    "urgente, o prazo vence amanhã",
])
def test_r12_urgency_in_words_without_its_reason_asks_for_the_reason(world, typed):
    chat = to_anexos(world)
    chat.click("Concluir")
    chat.send(typed)
    assert chat.state().step == "intake.motivo"
    assert chat.prompt.text == pt("conv.intake.ask_motivo")
    assert [label("critical_reason", r, "pt_BR") for r in CriticalReason] == chat.labels[:2]
    assert draft_of(chat)["critical_reason"] is None
    chat.click(label("critical_reason", CriticalReason.TAX_DEADLINE, "pt_BR"))
    assert (draft_of(chat)["priority"], draft_of(chat)["critical_reason"]) == (
        "critico", "obrigacao_acessoria")


def test_r12_other_words_at_the_priority_are_told_what_the_options_are(world):
    chat = to_anexos(world)
    chat.click("Concluir")
    before = chat.state()
    chat.send("Erro ao emitir nota")  # was "Não entendi"
    assert chat.replies[0].text == pt("conv.intake.priority_options")
    assert chat.prompt.text == pt("conv.intake.ask_prioridade")
    assert chat.state() == before


def _link_chats(world, who="carla", telegram=5550001, slack="UCARLA"):
    """Link a person's Telegram and Slack accounts directly (as their invites would)."""
    def link(ctx):
        user = ctx.uow.users.get(world.ids[who])
        user.telegram_id, user.slack_id = telegram, slack
        ctx.uow.users.update(user)
    world.run(link)


def _registered_notices(world):
    return sorted((m.channel, m.target) for m in world.outbox() if m.kind == "ticket.registered")


@pytest.mark.parametrize(("key", "skipped"), [
    (telegram_key(5550001, 5550001), (Channel.TELEGRAM, "5550001")),
    (slack_key("DCARLA", "UCARLA"), (Channel.SLACK, "user:UCARLA")),
])
def test_r5_a_ticket_registered_in_a_chat_is_not_confirmed_again_in_that_chat(
        world, key, skipped):
    """The chat's answer already says the number: the notice 'Recebemos o seu ticket' is not
    queued for that chat; the e-mail (R5) and the person's other chat still get it. The chat's
    answer says how to follow the ticket, which only the notice said."""
    _link_chats(world)
    chat = chat_for(world, "carla", key=key)
    said = open_ticket_by_chat(chat)
    every = [(Channel.EMAIL, "carla@exemplo.com.br"), (Channel.SLACK, "user:UCARLA"),
             (Channel.TELEGRAM, "5550001")]
    assert _registered_notices(world) == sorted(n for n in every if n != skipped)
    assert pt("conv.intake.follow", number="202611/0001") in said


def test_r5_a_ticket_registered_at_the_terminal_is_told_in_every_linked_chat(world):
    _link_chats(world)
    open_ticket_by_chat(chat_for(world, "carla"))
    assert _registered_notices(world) == sorted([
        (Channel.EMAIL, "carla@exemplo.com.br"), (Channel.SLACK, "user:UCARLA"),
        (Channel.TELEGRAM, "5550001")])


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize("typed", ["1", "2", "26", "0", "9.1", "v1"])
def test_r17_a_number_that_is_no_version_is_refused_and_the_answers_kept(world, lang, typed):
    """Versions are the release's shape, 2026.11 (a year, then the month): "1" typed at the
    version question (the first button's number, on Telegram) was stored as version "1",
    with the warning that it is older than the current one. Now it is refused with the
    options, and the answers given stay."""
    if lang == "en":
        users_set_english(world, "carla")
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.send("1")  # Suporte: the first option's number, taken at the item question
    assert chat.state().step == "intake.servico"
    chat.click("Vendas" if lang == "pt_BR" else "Sales")
    chat.send(typed)
    assert t("conv.intake.version_shape", lang, typed=typed, current="2026.11") in chat.text
    assert chat.state().step == "intake.versao"
    assert chat.prompt.text.startswith(t("conv.intake.ask_versao", lang, current="2026.11"))
    assert (draft_of(chat)["item_id"], draft_of(chat)["servico_id"]) == ("suporte", "vendas")
    assert draft_of(chat)["versao"] is None
    chat.send("2026.10")
    assert draft_of(chat)["versao"] == "2026.10"
    assert chat.state().step == "intake.assunto"


def test_r17_a_number_that_is_no_version_keeps_the_version_given_when_correcting(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.click("Corrigir")
    chat.click("Versão")
    chat.send("1")
    assert pt("conv.intake.version_shape", typed="1", current="2026.11") in chat.text
    assert draft_of(chat)["versao"] == "2026.11"
    chat.click("atual")
    assert chat.prompt.text.startswith("Confira o seu ticket")


def test_r5_an_e_mail_is_promised_only_to_an_address_where_one_goes() -> None:
    """A person with no e-mail on file, or no instance sending e-mail: no promise."""
    from core.services.context import Ctx
    from storage.memory import MemoryStore

    def ctx(*channels: str) -> Ctx:
        return Ctx(MemoryStore()(), datetime(2026, 11, 24, 13, 0, tzinfo=UTC),
                   reach=lambda: channels)

    assert ctx("email", "telegram").mails("carla@exemplo.com.br")
    assert not ctx("email").mails("  ")
    assert not ctx("telegram", "slack").mails("carla@exemplo.com.br")
    assert not ctx().mails("carla@exemplo.com.br")


def test_r23_a_service_s_descricao_is_asked_as_a_request_and_not_coached_as_an_error(world):
    """A reinstall (Serviços, outside the contract) was asked to "descreva o problema" with the
    menu path "que reproduz o problema" and then coached for that path and an example
    document, which a request for a service has not."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Serviços")
    chat.click("Instalação")
    chat.click("atual")
    chat.send("Reinstalar o sistema no caixa novo")
    assert chat.prompt.text == pt("conv.intake.ask_descricao_service")
    chat.send("O computador do caixa 3 foi trocado, precisamos reinstalar o PDV")
    assert chat.state().step == "intake.anexos"  # no coaching for a menu path or a document


def test_r16_an_implementation_request_s_descricao_asks_what_the_system_should_do(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Solicitação de implementação")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Relatório de vendas por vendedor com margem")
    assert chat.prompt.text == pt("conv.intake.ask_descricao_implementation")
    chat.send("Queremos um relatório de vendas por vendedor com a margem de cada venda")
    assert chat.state().step == "intake.descricao_mais"  # where in the system: still useful
    assert pt("conv.coach.path") in chat.prompt.text
    assert pt("conv.coach.document") not in chat.prompt.text


def test_r16_an_implementation_request_s_anexos_ask_for_examples_not_the_error(world):
    """An implementation request's descrição said "exemplos e modelos você envia depois, no
    passo Anexos", and the anexos step then asked for prints "que mostrem a tela ou o erro"."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Solicitação de implementação")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Relatório de vendas por vendedor com margem")
    chat.send("Em Relatórios / Vendas, um relatório por vendedor com a margem de cada venda")
    assert chat.state().step == "intake.anexos"
    assert chat.prompt.text.startswith(pt("conv.intake.ask_anexos_implementation"))
    assert "erro" not in chat.prompt.text


def test_r23_a_service_s_anexos_ask_for_files_of_the_service_not_the_error(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Serviços")
    chat.click("Instalação")
    chat.click("atual")
    chat.send("Reinstalar o sistema no caixa novo")
    chat.send("O computador do caixa 3 foi trocado, precisamos reinstalar o PDV")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_anexos_service"))
    assert "erro" not in chat.prompt.text


def test_r3_correcting_the_descricao_says_it_replaces_and_offers_to_add_instead(world):
    """Corrigir > Descrição, then "ao confirmar aparece Erro 57": the menu path and the order
    typed before were gone, replaced without a word, and the coaching asked for them again."""
    chat = to_anexos(world)
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Corrigir")
    chat.click("Descrição")
    assert pt("conv.intake.descricao_replaces") in chat.prompt.text
    chat.click("Acrescentar à descrição")
    assert chat.prompt.text.startswith(pt("conv.intake.ask_descricao_more"))
    chat.send("ao confirmar aparece Erro 57")
    assert chat.state().data["intake"]["draft"]["descricao"] == \
        "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma\nao confirmar aparece Erro 57"
    assert chat.state().step == "intake.resumo"
    chat.click("Corrigir")
    chat.click("Descrição")
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4432 não confirma")  # replaces, as said
    assert chat.state().data["intake"]["draft"]["descricao"] == \
        "Vendas / Pedidos / Novo pedido: o pedido 4432 não confirma"


def test_r12_the_priority_typed_before_the_nfe_reminder_answers_after_it(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Fiscal / NF-e")
    chat.click("atual")
    chat.send("NF-e não autoriza")
    chat.send("Fiscal / NF-e / Emitir: a nota 10125 dá rejeição 225")
    assert chat.state().step == "intake.anexos"
    chat.send("crítico")  # the NF-e files are missing: reminded first
    assert chat.state().step == "intake.anexos"
    chat.click("Concluir")
    assert chat.state().step == "intake.motivo"


@pytest.mark.parametrize("typed", ["baixa", "prioridade baixa", "normal", "pode esperar",
                                   "não é urgente", "low"])
def test_r12_a_low_priority_typed_at_the_reason_keeps_padrao(world, typed):
    """At 'Por que é crítico?', "baixa" was "Não entendi": the customer took it back."""
    chat = to_anexos(world)
    chat.click("Concluir")
    chat.send("urgente")
    assert chat.state().step == "intake.motivo"
    chat.send(typed)
    assert chat.state().step == "intake.resumo"
    assert (draft_of(chat)["priority"], draft_of(chat)["critical_reason"]) == ("padrao", None)
