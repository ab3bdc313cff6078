"""R7: an agent's internal note waiting to be sent ("!nota …") swallowed what came after it:
"Bom dia Carla, pode me mandar o print?" was joined into the note, hidden from the customer it
was written to, and "0005" (another ticket) was joined too. A line that greets or names the
customer is now asked about (send the note, then offer the line as a trâmite; join it; drop it),
and a ticket's number typed alone is no part of the text."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import EntryKind


def with_a_note(world):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.send("!nota cliente parece usar o índice errado")
    assert chat.state().step == "ticket.said"
    return ticket, chat


def entries(world, ticket):
    return world.read(lambda uow: uow.entries.list(ticket.id, True))


@pytest.mark.parametrize("line", ["Bom dia Carla, pode me mandar o print?",
                                  "Carla, pode me mandar o print?",
                                  "Olá, pode me mandar o print da tela?"])
def test_r7_a_line_for_the_customer_is_not_hidden_in_the_note(world, line):
    ticket, chat = with_a_note(world)
    chat.send(line)
    assert pt("conv.tramite.note_then_public", name="Carla") in chat.prompt.text
    assert line not in (chat.state().data["tramite"].get("said") or "")
    before = len(entries(world, ticket))
    chat.click(pt("conv.tramite.split_send_note"))
    added = entries(world, ticket)[before:]
    assert [(e.kind, e.text) for e in added] == [
        (EntryKind.INTERNAL, "cliente parece usar o índice errado")]
    assert chat.state().step == "ticket.said"  # the line offered, not sent
    assert line in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    last = entries(world, ticket)[-1]
    assert (last.kind, last.text) == (EntryKind.PUBLIC, line)


def test_r7_the_line_may_join_the_note(world):
    ticket, chat = with_a_note(world)
    chat.send("Bom dia Carla, pode me mandar o print?")
    chat.click(pt("conv.tramite.split_join"))
    assert "pode me mandar o print" in chat.state().data["tramite"]["said"]
    assert chat.state().step == "ticket.said"


def test_r7_the_line_may_be_dropped_and_the_note_still_waits(world):
    ticket, chat = with_a_note(world)
    before = len(entries(world, ticket))
    chat.send("Bom dia Carla, pode me mandar o print?")
    chat.click(pt("conv.tramite.split_drop"))
    assert chat.state().data["tramite"]["said"] == "!nota cliente parece usar o índice errado"
    assert chat.state().step == "ticket.said"
    assert len(entries(world, ticket)) == before


def test_r7_a_line_for_the_team_still_joins_the_note(world):
    ticket, chat = with_a_note(world)
    chat.send("conferir o IGP-M de novembro")
    assert pt("conv.tramite.joined", count=2) in chat.text


@pytest.mark.parametrize("typed", ["0005", "#5", "202612/0005"])
def test_r7_a_ticket_number_alone_is_no_part_of_the_text(world, typed):
    ticket, chat = with_a_note(world)
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.error.busy_tramite", command=typed)
    assert chat.state().data["tramite"]["said"] == "!nota cliente parece usar o índice errado"


def test_r7_menu_at_the_question_keeps_both_texts(world):
    ticket, chat = with_a_note(world)
    chat.send("Bom dia Carla, pode me mandar o print?")
    chat.send("menu")
    assert pt("conv.error.busy_tramite", command="menu") in chat.text
    assert chat.state().step == "ticket.split"
