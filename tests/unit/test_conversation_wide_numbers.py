"""Ticket numbers typed in fullwidth digits (a phone's Japanese or Chinese keyboard, text pasted
from such a document: "２０２６１１／０００１") are read as the number they show, as NFKC reads
them, wherever a number is read: a command, a request in words, a search, a message naming
the ticket."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.services import handling
from core.textmatch import ascii_digits


def wide(text: str) -> str:
    """The text with its digits, '/' and '#' in their fullwidth forms."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in "/#" else c for c in text)


def test_digits_of_every_width_read_as_ascii_and_nothing_else_changed():
    assert ascii_digits("２０２６１１／０００１") == "202611/0001"
    assert ascii_digits("＃１２") == "#12"
    assert ascii_digits("nota\u3000１０１２５") == "nota 10125"
    assert ascii_digits("área de 10 m² ﬁscal") == "área de 10 m² ﬁscal"  # only digits and marks


@pytest.mark.parametrize("typed", [
    "ticket {n}", "/ticket {n}", "{n}", "status do {n}", "como está o chamado {n}?",
    "ticket {s}", "ticket {n1}",
])
def test_r8_a_ticket_number_in_fullwidth_digits_opens_the_ticket(world, typed):
    ticket = world.open("carla", assunto="Pedido travado")
    number = ticket.number
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed.format(n=wide(number), n1=wide(number).replace("／", "/"),
                           s=wide("#" + number.split("/")[1].lstrip("0"))))
    assert f"Ticket {number} — Pedido travado" in chat.text


def test_r7_a_message_naming_a_ticket_in_fullwidth_digits_is_offered_as_its_tramite(world):
    ticket = world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"o {wide(ticket.number)} ainda trava ao confirmar")
    assert pt("conv.typed.add_to", number=ticket.number) in chat.labels


def test_r8_a_search_by_a_number_in_fullwidth_digits_finds_the_ticket(world):
    world.open("carla", assunto="Boleto errado")
    ticket = world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Buscar")
    chat.send(wide(ticket.number))
    assert ticket.number in chat.labels
    assert "Boleto" not in chat.text


def test_r18_an_original_typed_in_fullwidth_digits_is_found(world):
    ticket = world.open("carla", assunto="Pedido travado")
    found = world.run(handling.find_by_number, wide(ticket.number))
    assert found is not None
    assert found.id == ticket.id


@pytest.mark.parametrize("typed", ["ticket {p}-{s}", "{p}-{s}", "chamado {p}-{s}",
                                   "status do {p}-{s}", "ticket n° {p}/{s}"])
def test_r8_a_ticket_number_written_with_a_dash_or_n_degree_opens_the_ticket(world, typed):
    """'/ticket 202611-0001' opened it (find_by_number reads the dash), but typed without the
    slash command it was a matter to open a ticket about; so was 'ticket n° …' (the degree
    sign, where 'nº' worked)."""
    ticket = world.open("carla", assunto="Pedido travado")
    period, seq = ticket.number.split("/")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed.format(p=period, s=seq))
    assert f"Ticket {ticket.number} — Pedido travado" in chat.text
