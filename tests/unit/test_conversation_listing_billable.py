"""R23 in the chat's listing: "tickets faturáveis" (of a month, "faturáveis de novembro";
"billable" in English) lists the tickets outside the contract, what the coordinator
invoices, as `helpdesk tickets list --billable --month` does. Before, the words were searched
for in the tickets: "Busca: faturáveis … 0 tickets"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fakes.chat import chat_for

from core.services import billing

DEC_7 = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)


@pytest.fixture
def desk(world: Any) -> dict[str, Any]:
    """Carla's tickets: November's billable (backup) and covered (erro de sistema), and
    December's billable; the clock then at 7/12/2026."""
    made = {}
    for name, at, origin in (("nov_backup", datetime(2026, 11, 10, 13, 0, tzinfo=UTC), "backup"),
                             ("nov_bug", datetime(2026, 11, 11, 13, 0, tzinfo=UTC),
                              "erro_sistema"),
                             ("dec_layout", datetime(2026, 12, 2, 13, 0, tzinfo=UTC),
                              "layout")):
        world.now = at
        ticket = world.open("carla", assunto=f"Assunto {name}")
        world.run(billing.classify_origin, world.ids["coord"], ticket.id, origin)
        made[name] = ticket
    world.now = DEC_7
    return made


def _shown(text: str, made: dict[str, Any]) -> set[str]:
    return {name for name, ticket in made.items() if ticket.number in text}


def test_r23_the_coordinator_lists_the_billable_tickets_of_a_month(world, desk):
    chat = chat_for(world, "coord")
    chat.send("oi")
    chat.send("tickets faturáveis de novembro")
    assert chat.state().step == "list.view"
    assert "todos os tickets, aba Todos, novembro de 2026: 1 ticket." in chat.prompt.text
    assert "Só os faturáveis (fora do contrato, R23)." in chat.prompt.text
    assert "Busca:" not in chat.prompt.text
    assert _shown(chat.prompt.text, desk) == {"nov_backup"}
    chat.send("faturáveis")  # at the listing of every ticket, too
    chat.click("Não só os faturáveis")
    assert _shown(chat.prompt.text, desk) == {"nov_backup", "nov_bug"}
    assert "Só os faturáveis" not in chat.prompt.text
    chat.send("menu")
    chat.send("tickets faturáveis")
    assert _shown(chat.prompt.text, desk) == {"nov_backup", "dec_layout"}
    chat.click("Exportar CSV")
    [export] = [r for r in chat.replies if r.file is not None]
    assert export.file.content.decode().count("\n") == 3  # the header and the two billable


def test_r23_billable_in_english(world, desk):
    world.speaks("coord", "en")
    chat = chat_for(world, "coord")
    chat.send("hi")
    chat.send("tickets billable from november")
    assert "Billable ones only (outside the contract, R23)." in chat.prompt.text
    assert _shown(chat.prompt.text, desk) == {"nov_backup"}
    assert "Not only billable ones" in chat.labels


def test_r23_faturaveis_typed_at_the_queue_lists_them_as_at_the_menu(world, desk):
    """At the queue, "faturáveis de novembro" (or "billable") answered "Não entendi. Escolha
    uma das opções", while "atrasados" and "relatório" typed there worked: the coordinator
    had to go back to the menu first. It lists them there as at the menu."""
    chat = chat_for(world, "coord")
    chat.send("oi")
    chat.send("fila")
    assert chat.state().step == "queue.view"
    chat.send("faturáveis de novembro")
    assert "Não entendi" not in chat.prompt.text
    assert "Só os faturáveis (fora do contrato, R23)." in chat.prompt.text
    assert _shown(chat.prompt.text, desk) == {"nov_backup"}
    chat.send("fila")
    chat.send("billable")
    assert _shown(chat.prompt.text, desk) == {"nov_backup", "dec_layout"}
