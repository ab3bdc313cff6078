"""An agent in the chat (terminal, or Telegram when linked) takes a ticket and sends its
solution with the origin, as the Slack card does (R6, R19, R22, R23)."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import label
from core.models import CriticalReason, EntryKind, Priority, Status
from core.services import billing, closing, handling


def agent_on_page(world, ticket, who="ana"):
    """An agent's chat showing the ticket's page."""
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return chat


def solution_written(world, text="Corrigido no pacote 2026.11.3: reinstale e confirme."):
    """A ticket Ana took in the chat, its solution typed, the origin asked."""
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    chat.click(pt("conv.staff.take"))
    chat.click(pt("conv.staff.send_solution"))
    chat.send(text)
    assert chat.state().step == "ticket.origin"
    return ticket, chat


def test_r6_an_agent_takes_a_new_ticket_from_its_page(world):
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    assert pt("conv.staff.take") in chat.labels
    chat.click(pt("conv.staff.take"))
    assert pt("conv.staff.taken", number=ticket.number) in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["ana"])
    assert pt("conv.staff.take") not in chat.labels  # it is hers now
    assert pt("conv.staff.send_solution") in chat.labels


def test_r22_the_solution_asks_the_origin_the_suggestion_first_then_goes_to_the_customer(world):
    solution = "Corrigido no pacote 2026.11.3: reinstale e confirme."
    ticket, chat = solution_written(world, solution)
    assert solution in chat.prompt.text
    assert chat.labels[0] == pt("conv.staff.origin_suggested", label="Erro de sistema",
                                covered=pt("conv.staff.covered"))
    assert len(chat.labels) == 15  # the manual's fourteen lines and "back"
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS  # nothing sent yet
    chat.click("Erro de sistema")
    assert pt("conv.staff.solution_sent", number=ticket.number) in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.origin, stored.billable) == (
        Status.AWAITING_APPROVAL, "erro_sistema", False)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert [e.text for e in entries if e.kind == EntryKind.PUBLIC] == [solution]
    asked = [m for m in world.outbox() if m.kind == "ticket.approval_requested"]
    assert asked
    assert all(m.params["solution"] == solution for m in asked)


def test_r23_an_origin_named_in_words_outside_the_contract_asks_the_customer(world):
    ticket, chat = solution_written(world, "Refizemos o backup da base.")
    chat.send("backup")
    assert chat.state().step == "ticket.solution_quote"  # a new charge: its quote first
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    chat.send("2 h de restauração, R$ 360,00")
    stored = world.ticket(ticket.id)
    assert stored.billing_quote == "2 h de restauração, R$ 360,00"
    assert (stored.status, stored.origin, stored.billable) == (
        Status.AWAITING_APPROVAL, "backup", True)
    assert [m for m in world.outbox() if m.kind == "ticket.billing_prompt"]


def test_r22_the_written_solution_is_not_lost_to_a_command_and_back_sends_nothing(world):
    ticket, chat = solution_written(world, "Reinstale o pacote.")
    chat.send("menu")
    assert pt("conv.error.busy_solution", command="menu") in chat.text
    assert "Reinstale o pacote." in chat.prompt.text
    chat.send("qualquer coisa")  # names no origin
    assert pt("conv.staff.origin_unclear", text="qualquer coisa") in chat.text
    chat.click(pt("conv.tramite.back"))  # back to the solution, kept
    assert chat.state().step == "ticket.solution"
    assert "Reinstale o pacote." in chat.prompt.text
    chat.click(pt("conv.staff.discard_solution"))
    assert pt("conv.staff.solution_discarded") in chat.text
    assert chat.state().step == "ticket.view"
    assert "solution" not in chat.state().data
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert not [m for m in world.outbox() if m.kind == "ticket.approval_requested"]


def test_r22_back_from_the_origin_keeps_the_solution_to_send_or_rewrite(world):
    """Voltar at the origin question dropped the solution written, unsaid: it goes back to
    the solution, shown, to keep or to replace (as the quote goes back to the origin)."""
    ticket, chat = solution_written(world, "Reinstale o pacote.")
    chat.send("voltar")
    assert chat.state().step == "ticket.solution"
    assert "Reinstale o pacote." in chat.prompt.text
    chat.send("menu")  # a command does not drop it here either
    assert pt("conv.error.busy_solution", command="menu") in chat.text
    chat.click(pt("conv.staff.keep_solution"))
    assert chat.state().step == "ticket.origin"
    assert "Reinstale o pacote." in chat.prompt.text
    chat.click(pt("conv.tramite.back"))
    chat.send("Reinstale o pacote 2026.11.3 e reinicie o PDV.")  # rewritten
    assert chat.state().step == "ticket.origin"
    chat.click("Erro de sistema")
    assert pt("conv.staff.solution_sent", number=ticket.number) in chat.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert [e.text for e in entries if e.kind == EntryKind.PUBLIC] == [
        "Reinstale o pacote 2026.11.3 e reinicie o PDV."]


def test_r19_an_over_long_solution_keeps_what_fits_and_says_so(world):
    limit = world.policy.text_max
    long = ("Passo a passo. " * (limit // 10)).strip()
    ticket, chat = solution_written(world, long)
    told = [r.text for r in chat.replies if "caracteres" in r.text]
    assert told
    assert f"tem {len(long)} caracteres" in told[0]
    chat.click("Erro de sistema")
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    sent = [e.text for e in entries if e.kind == EntryKind.PUBLIC]
    assert len(sent) == 1
    assert 0 < len(sent[0]) <= limit


def test_r6_a_colleagues_ticket_in_progress_offers_no_take_and_customers_see_neither(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["bruno"], ticket.id)
    chat = agent_on_page(world, ticket)
    assert pt("conv.staff.take") not in chat.labels
    assert pt("conv.staff.send_solution") in chat.labels
    customer = chat_for(world, "carla")
    customer.send("oi")
    customer.send(f"ticket {ticket.number}")
    assert pt("conv.staff.take") not in customer.labels
    assert pt("conv.staff.send_solution") not in customer.labels


def test_an_agent_is_greeted_as_the_team_with_the_queue_not_as_a_customer(world):
    world.open("carla")
    taken = world.open("joao")
    world.run(handling.take, world.ids["bruno"], taken.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    # What the queue shows: both open tickets, one of them nobody has taken (R12).
    assert pt("conv.welcome_staff", name="Ana", total=2, unassigned=1) in chat.text
    assert "Na fila: 2 tickets, 1 sem responsável." in chat.text
    assert pt("conv.welcome", name="Ana") not in chat.text


def test_r22_r23_the_ticket_page_tells_the_charge_and_to_staff_the_covered_origin(world):
    billable = world.open("carla", assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], billable.id, "layout")
    covered = world.open("carla")
    world.run(billing.classify_origin, world.ids["ana"], covered.id, "erro_sistema")
    layout = pt("conv.ticket.charge", answer=pt("conv.ticket.charge_pending"),
                origin="Alteração de layout")
    customer = chat_for(world, "carla")
    customer.send("oi")
    customer.send(f"ticket {billable.number}")
    assert layout in customer.text
    customer.send(f"ticket {covered.number}")
    assert "Erro de sistema" not in customer.text  # a covered origin is the team's business
    world.run(billing.record_billing_authorization, world.ids["carla"], billable.id, False)
    customer.send(f"ticket {billable.number}")
    assert pt("conv.ticket.charge", answer=pt("conv.ticket.charge_refused"),
              origin="Alteração de layout") in customer.text
    agent = agent_on_page(world, covered)
    assert pt("conv.ticket.origin_covered", origin="Erro de sistema") in agent.text


def test_r12_a_critical_tickets_page_says_why_it_is_critical(world):
    ticket = world.open("carla")
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    chat = agent_on_page(world, ticket)
    reason = label("critical_reason", CriticalReason.AREA_STOPPED, "pt_BR")
    assert f"Prioridade: 🚨 Crítico — {reason}" in chat.text  # "Crítico" alone before


def test_cancelling_a_written_solution_discards_it_whole(world):
    ticket, chat = solution_written(world, "Reinstale o pacote.")
    chat.send("cancelar")
    chat.click(pt("conv.cancel.yes"))
    assert "solution" not in chat.state().data  # it stayed in the stored state
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r22_origins_keep_their_numbers_and_a_classified_one_is_confirmed_not_replaced(world):
    """The table is shown in its own order (the suggestion marked in place), so "13" is the
    same origin at every question; a second solution keeps the origin unless another is
    chosen on purpose (it changed, billed, with a number typed from memory)."""
    ticket, chat = solution_written(world, "Layout do boleto alterado.")
    table = [label.split(" (")[0] for label in chat.labels[:-1]]
    chat.send("13")
    layout = table[12]
    chat.click(pt("conv.staff.no_quote"))  # outside the contract: the quote may come later
    assert world.ticket(ticket.id).origin == "layout", layout
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "O logotipo saiu cortado")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.send_solution"))
    chat.send("Logotipo ajustado.")
    assert chat.labels == [pt("conv.staff.send_with_origin"), pt("conv.staff.other_origin"),
                           pt("conv.tramite.back")]
    assert "Alteração de layout (cobrado)" in chat.prompt.text
    chat.click(pt("conv.staff.other_origin"))
    assert [label.split(" (")[0] for label in chat.labels[:-1]] == table  # the same numbers
    chat.click(pt("conv.tramite.back"))  # to the solution, kept; then the origin confirmed
    chat.click(pt("conv.staff.keep_solution"))
    chat.click(pt("conv.staff.send_with_origin"))
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.origin) == (Status.AWAITING_APPROVAL, "layout")


def test_an_agents_help_lists_the_teams_commands(world):
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("ajuda")  # it listed "novo — abrir um ticket" and the customer's tickets
    assert pt("conv.help_staff", example="202611/0001") in chat.text
    assert "!nota" in chat.text
    assert pt("conv.help", example="202611/0001") not in chat.text


def test_r2_the_knowledge_base_offers_no_ticket_to_an_untrained_customer(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("kb nota fiscal")  # "Abrir ticket" there led only to the refusal
    assert pt("conv.menu.new") not in chat.labels
    customer = chat_for(world, "carla")
    customer.send("oi")
    customer.send("kb nota fiscal")
    assert pt("conv.menu.new") in customer.labels


def test_r12_an_agent_typing_fila_at_the_listing_gets_the_queue_not_a_search_for_it(world):
    """At the tickets listing, 'fila' (the menu's Fila) searched the tickets for the word
    'fila' and found none ('Busca: fila'). An agent gets the queue, as from the menu; a
    customer's 'fila' still searches (the queue is the team's)."""
    waiting = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("tickets")
    assert chat.state().step == "list.view"
    chat.send("fila")
    assert chat.state().step == "queue.view"
    assert "Busca: fila" not in chat.text
    assert waiting.number in chat.text
    customer = chat_for(world, "carla")
    customer.send("oi")
    customer.send("meus tickets")
    customer.send("fila")
    assert customer.state().step == "list.view"


def test_r22_manter_or_descartar_typed_at_the_solution_shown_are_its_buttons(world):
    """'descartar' typed where the written solution is shown to keep or replace replaced the
    solution with the word 'descartar' and asked its origin; 'manter' did the same."""
    ticket, chat = solution_written(world, "Reinstale o pacote.")
    chat.send("voltar")
    assert chat.state().step == "ticket.solution"
    chat.send("manter")
    assert chat.state().step == "ticket.origin"
    assert chat.state().data["solution"]["text"] == "Reinstale o pacote."
    chat.send("voltar")
    chat.send("Descartar")
    assert pt("conv.staff.solution_discarded") in chat.text
    assert chat.state().step == "ticket.view"
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    chat.click(pt("conv.staff.send_solution"))
    chat.send("descartar")  # no solution written yet: back to the ticket, nothing kept
    assert chat.state().step == "ticket.view"
    assert "solution" not in chat.state().data


def test_r12_descartar_typed_at_the_workaround_question_sends_nothing(world):
    """'descartar' typed where the workaround is asked was sent to the customer as the
    workaround; it goes back to the ticket, as Voltar does."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.send_workaround"))
    assert chat.state().step == "ticket.workaround"
    chat.send("descartar")
    assert chat.state().step == "ticket.view"
    assert not [m for m in world.outbox() if "workaround" in m.kind]
