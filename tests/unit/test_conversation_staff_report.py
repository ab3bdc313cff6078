"""The coordinator's report in the team's chat (terminal, Telegram, Slack's DM): "relatório",
"relatório 7 dias Mercado Exemplo", "report 15 days" or the menu's Relatório give the report
`helpdesk tickets report` prints, as a message; the question at hand stays as it was. A
customer's "relatório" is a word of their own (R13, R18-R23; the figures themselves:
test_r13_r18_r23_report.py)."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.conversation.staff_report import PART
from core.i18n import t
from core.models import Rating, Role
from core.report_text import render
from core.services import closing, handling, intake, report, users


def closed(world, who="carla", agent="ana", assunto="Pedido não confirma", stars=Rating.GREAT,
           comment=None):
    """A ticket of `who`, solved by `agent`, approved and rated."""
    ticket = world.open(who, assunto=assunto)
    world.run(handling.take, world.ids[agent], ticket.id)
    world.run(closing.request_approval, world.ids[agent], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids[who], ticket.id)
    world.run(closing.rate, world.ids[who], ticket.id, stars, comment)
    return ticket


def lines(text):
    """A text's lines, their runs of spaces made one (the tables' alignment aside)."""
    return [" ".join(line.split()) for line in text.splitlines()]


def shown(chat):
    """The report's messages of the last turn, joined (the prompt after them left out)."""
    return "\n\n".join(r.text for r in chat.replies if r.markdown is not None)


def at_menu(world, who="ana"):
    chat = chat_for(world, who)
    chat.send("oi")
    return chat


def test_r20_r23_an_agent_types_relatorio_and_gets_the_report_the_command_line_prints(world):
    closed(world)
    world.open("rival", assunto="Caixa não abre")
    chat = at_menu(world)
    chat.send("relatório")
    found = world.run(report.build, world.ids["ana"], 30)
    assert shown(chat) == render(found, world.policy.timezone)  # the CLI's very text
    said = lines(shown(chat))
    assert "Relatório do atendimento — últimos 30 dias" in said
    for expected in ("Empresa: todas", "Abertos no período: 2", "Aprovados: 1 (100%)",
                     "Ótimo 1 100%", "Dentro do prazo: 1 (100%)", "Erro de sistema 1 coberto 0",
                     "Ana Atendente 1 1 0 0 0 0 0"):
        assert expected in said, expected
    report_reply = chat.replies[0]
    assert report_reply.markdown == f"```\n{report_reply.text}\n```"  # one monospace block
    assert chat.state().step == "menu.main"  # then the menu, as after ajuda
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_the_staff_menu_offers_the_report_and_the_help_lists_it(world):
    closed(world)
    chat = at_menu(world)
    assert chat.labels[:4] == [pt("conv.menu.queue"), pt("conv.menu.tickets_staff"),
                               pt("conv.menu.summary"), pt("conv.menu.report")]
    chat.click(pt("conv.menu.report"))
    assert "Relatório do atendimento — últimos 30 dias" in shown(chat)
    assert pt("conv.menu.report") in chat.labels
    chat.send("ajuda")
    assert "• relatório — o relatório do atendimento dos últimos 30 dias" in chat.text
    world.speaks("bruno", "en")
    english = at_menu(world, "bruno")
    assert t("conv.menu.report", "en") == "Report"
    assert "Report" in english.labels
    english.send("help")
    assert "• report — the support report of the last 30 days" in english.text
    customer = at_menu(world, "carla")
    assert pt("conv.menu.report") not in customer.labels
    customer.send("ajuda")
    assert "relatório" not in customer.text


def test_r20_the_days_and_the_company_are_read_from_the_words(world):
    closed(world)
    world.advance(days=10)
    closed(world, who="rival", assunto="Caixa não abre")
    chat = at_menu(world, "coord")
    chat.send("relatório 7 dias Mercado Exemplo")
    said = lines(shown(chat))
    assert "Relatório do atendimento — últimos 7 dias" in said
    assert "Empresa: Mercado Exemplo" in said
    assert pt("report.empty") in said  # Carla's ticket is 10 days old
    chat.send("relatório 30 mercado")  # a word of the name is enough
    assert "Abertos no período: 1" in lines(shown(chat))
    chat.send("Relatório da semana Loja Rival")
    said = lines(shown(chat))
    assert "Relatório do atendimento — últimos 7 dias" in said
    assert "Empresa: Loja Rival" in said
    assert "Abertos no período: 1" in said
    chat.send("relatório dos últimos 15 dias")
    said = lines(shown(chat))
    assert "Relatório do atendimento — últimos 15 dias" in said
    assert "Empresa: todas" in said
    world.speaks("coord", "en")
    chat.send("report 15 days")
    said = lines(shown(chat))
    assert "Support report — last 15 days" in said
    assert "Approved: 2 (100%)" in said


def test_bad_words_for_the_report_are_said_in_the_users_language_and_nothing_else(world):
    closed(world)
    chat = at_menu(world)
    chat.send("relatório 0")
    assert chat.text.startswith(t("error.report_days", most=report.MAX_DAYS))
    assert chat.state().step == "menu.main"
    chat.send("relatório 99999999999 dias")
    assert chat.text.startswith(t("error.report_days", most=report.MAX_DAYS))
    chat.send("relatório Farmácia Central")
    assert chat.replies[0].text == pt("conv.report.no_company", name="Farmácia Central",
                                      said="relatório Farmácia Central")
    assert "Mercado" not in chat.text  # no list of names
    assert "Loja Rival" not in chat.text
    assert "Relatório do atendimento" not in chat.text
    chat.send("relatório abc")
    assert "“abc”" in chat.replies[0].text
    assert "tickets relatório abc" in chat.replies[0].text  # how to search for the words
    assert chat.prompt.text == pt("conv.menu.prompt")
    world.run(users.add_company, "Mercado Central")
    chat.send("relatório mercado")  # two companies start so: which, of those only
    assert chat.replies[0].text == pt("error.company_ambiguous", name="mercado",
                                      candidates="Mercado Central, Mercado Exemplo")
    world.speaks("ana", "en")
    chat.send("report Pharmacy")
    assert chat.replies[0].text == t("conv.report.no_company", "en", name="Pharmacy",
                                     said="report Pharmacy")
    chat.send("report 0 days")
    assert chat.replies[0].text == t("error.report_days", "en", most=report.MAX_DAYS)


def test_the_report_mid_flow_leaves_what_the_agent_was_writing_where_it_was(world):
    """Asked while a solution waits for its origin, the report is shown and the origin asked
    again, the solution kept; a bad request for it is refused the same way."""
    ticket = world.open("carla")
    chat = at_menu(world)
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.take"))
    chat.click(pt("conv.staff.send_solution"))
    chat.send("Corrigido no pacote 2026.11.3: reinstale e confirme.")
    assert chat.state().step == "ticket.origin"
    asked = chat.prompt.text
    chat.send("relatório 7")
    assert "Relatório do atendimento — últimos 7 dias" in shown(chat)
    assert (chat.state().step, chat.prompt.text) == ("ticket.origin", asked)
    chat.send("relatório 0")
    assert chat.text.startswith(t("error.report_days", most=report.MAX_DAYS))
    assert chat.state().step == "ticket.origin"
    chat.click("Erro de sistema")
    assert pt("conv.staff.solution_sent", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).status.value == "aguardando_aprovacao"


def test_relatorio_with_other_words_is_a_tramite_at_a_ticket_page_not_the_report(world):
    """At a trâmite being written the words are the trâmite's ("Relatório de vendas
    corrigido"); only "relatório" with at most its days is the report there."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = at_menu(world)
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.ticket.add_tramite"))
    chat.send("Relatório de vendas corrigido no pacote 2026.11.3")
    assert "Relatório do atendimento" not in chat.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert "Relatório de vendas corrigido no pacote 2026.11.3" in [e.text for e in entries]


def test_a_customer_typing_relatorio_keeps_todays_behaviour(world):
    """For a customer "relatório" is a word of their matter ("preciso de outro relatório" is
    a ticket's subject): offered as a ticket, as before; the team's report is never shown."""
    closed(world)
    chat = at_menu(world, "carla")
    chat.send("relatório")
    assert chat.state().step == "menu.typed"
    assert "“relatório”" in chat.text
    chat.send("menu")
    chat.send("preciso de outro relatório")
    assert chat.state().step == "menu.typed"
    assert "“preciso de outro relatório”" in chat.text
    chat.send("menu")
    chat.send("relatório 7 dias Mercado Exemplo")
    assert chat.state().step == "menu.typed"
    chat.send("menu")
    chat.send("/relatorio")  # the command itself: the team's, said so
    assert chat.replies[0].text == pt("conv.report.staff_only")
    assert not [r for r in chat.replies if "Relatório do atendimento" in r.text]


def test_a_long_report_arrives_whole_in_parts_cut_between_lines(world):
    """Forty agents and ten long comments: more than one message holds. Every part is at most
    PART characters, a monospace block of its own, cut between lines; together they are the
    report, every line whole."""
    def forty_closed(ctx):  # one transaction: the memory store copies itself at each
        carla = ctx.uow.users.get(world.ids["carla"])
        for n in range(40):
            agent = users.add_user(ctx, name=f"Agente Número {n:02d} da Silva Sauro",
                                   email=f"agente{n}@suporte.exemplo.com.br", role=Role.AGENT,
                                   trained=True)
            draft = intake.TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                                       versao="2026.11", assunto=f"Pedido {n}",
                                       descricao="Vendas / Pedidos: o pedido não confirma")
            ticket = intake.open_ticket(ctx, carla.id, draft)
            handling.take(ctx, agent.id, ticket.id)
            closing.request_approval(ctx, agent.id, ticket.id, "Ajustamos o cadastro.",
                                     origin_id="erro_sistema")
            closing.approve(ctx, carla.id, ticket.id)
            closing.rate(ctx, carla.id, ticket.id, Rating.POOR,
                         f"Comentário {n}: " + "demorou muito e não resolveu de primeira " * 6)

    world.run(forty_closed)
    chat = at_menu(world, "coord")
    chat.send("relatório")
    parts = [r for r in chat.replies if r.markdown is not None]
    assert len(parts) > 2
    assert all(len(part.text) <= PART for part in parts)
    assert all(part.markdown == f"```\n{part.text}\n```" for part in parts)
    whole = render(world.run(report.build, world.ids["coord"], 30), world.policy.timezone)
    assert len(whole) > 2 * PART
    assert [line for part in parts for line in part.text.splitlines() if line] == \
        [line for line in whole.splitlines() if line]
    assert sum("Agente Número" in line for part in parts for line in part.text.splitlines()) \
        == 40


def test_r13_an_empty_months_report_names_the_months_with_tickets_and_how_to_ask(world):
    closed(world)  # November 2026
    world.open("rival", assunto="Caixa não abre")
    chat = at_menu(world, "coord")
    chat.send("relatório 2025-01")
    assert pt("report.empty") in lines(shown(chat))
    said = chat.text
    assert pt("conv.list.near_month", month="novembro de 2026") in said
    assert pt("conv.report.near_example", name="novembro de 2026",
              example="relatório 2026-11") in said
    chat.send("relatório 2026-10 Loja Rival")  # the company's months only
    assert pt("conv.list.near_month", month="novembro de 2026") in chat.text
    world.advance(days=70)  # January 2027: November before, nothing after
    chat.send("relatório 2026-12")
    assert pt("conv.list.near_month", month="novembro de 2026") in chat.text


def test_r13_an_empty_report_with_no_ticket_anywhere_says_nothing_more(world):
    chat = at_menu(world, "coord")
    chat.send("relatório 2025-01")
    assert pt("report.empty") in lines(shown(chat))
    assert "relatório 20" not in chat.text
