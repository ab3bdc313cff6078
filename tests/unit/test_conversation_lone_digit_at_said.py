"""R7: a lone digit typed while words wait to be sent as a trâmite ("9" past the options
Enviar and Descartar) is not joined to them nor sent: the options are named again, to choose
from, and the words wait as they were (a session noticed it joined; pinned here)."""

from __future__ import annotations

from fakes.chat import chat_for, pt


def test_r7_a_lone_digit_at_words_on_offer_asks_again_and_keeps_them(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("o pedido 4431 ainda não confirma")
    assert chat.state().step == "ticket.said"
    chat.send("9")
    assert chat.text.startswith(pt("conv.error.choose_number", number=9, last=2, count=2))
    assert chat.state().step == "ticket.said"
    assert chat.state().data["tramite"]["said"] == "o pedido 4431 ainda não confirma"
    assert world.read(lambda uow: uow.entries.list(ticket.id, True)) == []  # nothing sent
