"""R7: an agent's "!nota …" in the chat is an internal note, as in a card's Slack thread; the
customer never gets it."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_staff import agent_on_page

from core.models import EntryKind

SECRET = "cliente mandou xml com infAdic acima de 5000 chars… nao falar ainda"


def entries(world, ticket, kind):
    found = world.read(lambda uow: uow.entries.list(ticket.id, True))
    return [e.text for e in found if e.kind == kind]


def told_customer(world, ticket):
    """What went to anyone but the team's triage channel since the ticket was opened."""
    return [m for m in world.outbox() if m.ticket_id == ticket.id and m.target != "triage"
            and m.kind != "ticket.registered"]


def test_r7_a_tramite_starting_with_nota_is_kept_internal(world):
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    chat.click(pt("conv.ticket.add_tramite"))
    assert pt("conv.tramite.ask_staff", number=ticket.number) in chat.prompt.text
    chat.send(f"!nota {SECRET}")  # was sent to Carla, by chat and e-mail
    assert pt("conv.tramite.note_added", number=ticket.number) in chat.text
    assert entries(world, ticket, EntryKind.INTERNAL) == [SECRET]
    assert entries(world, ticket, EntryKind.PUBLIC) == []
    assert told_customer(world, ticket) == []


def test_r7_nota_typed_at_the_page_is_offered_as_a_note_only(world):
    """It was offered as "trâmite público… O cliente recebe o aviso" (and went internal by
    that button all the same)."""
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    chat.send(f"!NOTA: {SECRET}")
    assert pt("conv.tramite.offer_marked_note", number=ticket.number) in chat.prompt.text
    assert pt("conv.tramite.offer_staff", number=ticket.number) not in chat.prompt.text
    assert chat.labels == [pt("conv.tramite.send_note"), pt("conv.tramite.drop")]
    chat.send("enviar")  # typed as the customer would: the note, no public trâmite
    assert entries(world, ticket, EntryKind.INTERNAL) == [SECRET]
    assert told_customer(world, ticket) == []


def test_r7_a_customer_writing_nota_sends_a_plain_tramite(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.ticket.add_tramite"))
    chat.send("!nota a nota 10125 continua rejeitada")
    assert entries(world, ticket, EntryKind.PUBLIC) == ["!nota a nota 10125 continua rejeitada"]
    assert entries(world, ticket, EntryKind.INTERNAL) == []


@pytest.mark.parametrize("typed", [f"! nota {SECRET}", f"!notas {SECRET}", f"!interno {SECRET}",
                                   f"!nt {SECRET}"])
def test_r7_a_mistyped_note_marker_is_sent_to_no_customer(world, typed):
    """"! nota …" or "!notas …" went to Carla as a public trâmite; the Slack thread refuses
    them, since they were meant for the team."""
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    chat.click(pt("conv.ticket.add_tramite"))
    chat.send(typed)
    marker = typed.split(SECRET)[0].strip()
    assert chat.replies[0].text == pt("conv.tramite.unknown_marker", marker=marker)
    assert chat.state().step == "ticket.tramite"
    assert entries(world, ticket, EntryKind.PUBLIC) == []
    assert told_customer(world, ticket) == []
    chat.send(typed)  # typed at the page: offered; its public button refuses it too
    chat.send("voltar")
    chat.send(typed)
    assert chat.state().step == "ticket.said"
    chat.click(pt("conv.tramite.send_said"))
    assert chat.replies[0].text == pt("conv.tramite.unknown_marker", marker=marker)
    assert entries(world, ticket, EntryKind.PUBLIC) == []
    chat.click(pt("conv.tramite.send_note"))  # as a note it goes, the marker and all
    assert entries(world, ticket, EntryKind.INTERNAL) == [typed]
    assert told_customer(world, ticket) == []


@pytest.mark.parametrize(("typed", "step"), [("fila", "queue.view"),
                                             ("próximo ticket", "queue.view"),
                                             ("queue", "queue.view"),
                                             ("meus tickets", "work.view"),
                                             ("menu", "menu.main")])
def test_r12_the_agents_own_commands_typed_at_a_tickets_page_run(world, typed, step):
    """'fila' (the agents' menu's first entry) typed at a ticket's page was offered to the
    customer as a public trâmite ('Envio como trâmite público do ticket …?'), and every
    command typed after it was added to that trâmite or refused as unsent work; a customer's
    'meus chamados' there runs since 49332de, an agent's did not."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    assert chat.state().step == step
    assert pt("conv.tramite.send_said") not in chat.labels
    chat.send(f"ticket {ticket.number}")
    chat.send("Reinstalei o pacote 2026.11.3, pode testar a fila de impressão?")
    assert chat.state().step == "ticket.said"  # a message to the customer is still offered


@pytest.mark.parametrize("typed", ["assumir {n}", "assumir o ticket {n}", "pegar o {n}",
                                   "take ticket {n}"])
def test_r12_assumir_and_a_number_opens_that_tickets_page(world, typed):
    """'assumir 202611/0001' typed at the agent's menu searched for those words and said
    'Nenhum ticket' about a ticket that exists; now it opens its page, Assumir on it."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed.format(n=ticket.number))
    assert chat.state().step == "ticket.view"
    assert f"Ticket {ticket.number}" in chat.text
    assert pt("conv.staff.take") in chat.labels


@pytest.mark.parametrize("typed", [f"nota interna: {SECRET}", f"Nota interna - {SECRET}",
                                   f"internal note: {SECRET}", f"NOTA INTERNA:{SECRET}"])
def test_r7_nota_interna_written_out_at_the_page_is_a_note_only(world, typed):
    """An agent writing "nota interna: …" was offered a public trâmite, the prefix kept in it:
    one click sent the team's words to the customer."""
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    chat.send(typed)
    assert pt("conv.tramite.offer_marked_note", number=ticket.number) in chat.prompt.text
    assert chat.labels == [pt("conv.tramite.send_note"), pt("conv.tramite.drop")]
    chat.click(pt("conv.tramite.send_note"))
    assert entries(world, ticket, EntryKind.INTERNAL) == [SECRET]
    assert told_customer(world, ticket) == []


@pytest.mark.parametrize("typed", ["nota interna do cliente 10125 rejeitada",
                                   "a nota interna: tem erro"])
def test_r7_words_about_a_nota_without_the_marker_stay_a_tramite(world, typed):
    ticket = world.open("carla")
    chat = agent_on_page(world, ticket)
    chat.send(typed)
    assert pt("conv.tramite.offer_staff", number=ticket.number) in chat.prompt.text
