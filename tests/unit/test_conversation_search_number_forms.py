"""R8: searching the listing for a ticket number written as customers write it
("2026110002", "202611 0002", "202611-0002", "#2") finds that ticket; it found none."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for


@pytest.mark.parametrize("form", ["{p}{s}", "{p} {s}", "{p}-{s}", "{p}.{s}", "#{n}"])
@pytest.mark.parametrize("how", ["typed at the listing", "Buscar"])
def test_r8_a_number_in_any_form_finds_its_ticket_in_the_listing(world, form, how):
    world.open("carla", assunto="Boleto errado")
    ticket = world.open("carla", assunto="Pedido travado")
    period, seq = ticket.number.split("/")
    typed = form.format(p=period, s=seq, n=int(seq))
    chat = chat_for(world, "carla")
    chat.send("tickets")
    if how == "Buscar":
        chat.click("Buscar")
    chat.send(typed)
    listed = ticket.number in [c.label for c in chat.prompt.choices]
    opened = chat.prompt.text.startswith(f"Ticket {ticket.number} — Pedido travado")
    assert listed or opened, typed  # the listing of it alone, or its page (a label typed)
    assert "Boleto" not in chat.prompt.text
