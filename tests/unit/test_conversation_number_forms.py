"""R8: a ticket number as customers write it ("2026110001", "202611 0001", "202611.0001",
"#1", "nº 1") opens the ticket, at the menu and at another ticket's page."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for


def forms(number: str) -> list[str]:
    period, seq = number.split("/")
    return [f"{period}{seq}", f"{period} {seq}", f"{period}.{seq}", f"#{int(seq)}",
            f"nº {int(seq)}", f"n° {seq}", f"cadê o ticket {period}{seq}?",
            f"status do {period}{seq}", f"meu chamado #{int(seq)}"]


@pytest.mark.parametrize("at", range(9))
def test_r8_a_number_in_the_forms_customers_write_opens_the_ticket(world, at):
    """All of these read "Não entendi" or were offered as a new ticket's descrição."""
    ticket = world.open("carla", assunto="Pedido travado")
    typed = forms(ticket.number)[at]
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert f"Ticket {ticket.number} — Pedido travado" in chat.text, typed


@pytest.mark.parametrize("at", [0, 3])
def test_r8_a_number_typed_at_another_tickets_page_opens_that_ticket(world, at):
    first = world.open("carla", assunto="Boleto errado")
    second = world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {first.number}")
    chat.send(forms(second.number)[at])
    assert f"Ticket {second.number} — Pedido travado" in chat.text
    assert chat.state().step == "ticket.view"


@pytest.mark.parametrize("typed", ["meu celular é 1198765432", "o lote 202613 0001 travou",
                                   "200000 unidades",
                                   "paguei R$ 202611.50 no boleto"])
def test_r8_numbers_that_are_no_ticket_stay_words(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert "Ticket " not in chat.text
    assert "Não encontrei" not in chat.text


@pytest.mark.parametrize("who", ["ana", "carla"])
def test_r8_the_end_of_a_number_alone_at_the_menu_opens_the_ticket(world, who):
    """'0003' at the menu, as the listing writes the number's end, read "Não entendi"."""
    for assunto in ("Boleto errado", "Pedido travado", "Caixa lento", "Estoque negativo"):
        world.open("carla", assunto=assunto)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send("0003")
    assert chat.text.startswith("Ticket 202611/0003 — Caixa lento"), chat.text
    assert chat.state().step == "ticket.view"
