"""R3, R7: an English customer's yes and no to a message offered as a ticket, or as a trâmite
on a ticket's page: "go ahead" as "pode abrir"/"pode mandar", "forget it", "never mind" and
"nah" as "esquece"/"deixa pra lá"; they were joined to the message offered."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t
from core.models import EntryKind


def offered_as_a_ticket(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("The till is stuck at store 3")
    assert chat.state().step == "menu.typed"
    return chat


@pytest.mark.parametrize("said", ["go ahead", "sure, go ahead", "yes, go ahead please"])
def test_r3_go_ahead_opens_the_ticket_with_the_message(world, said):
    chat = offered_as_a_ticket(world)
    chat.send(said)
    assert chat.state().step == "intake.item"
    assert chat.state().data["intake"]["draft"]["descricao"] == "The till is stuck at store 3"


@pytest.mark.parametrize("said", ["forget it", "never mind", "nah", "no, forget it",
                                  "deixa pra lá"])
def test_r3_forget_it_declines_the_offer(world, said):
    chat = offered_as_a_ticket(world)
    chat.send(said)
    assert t("conv.typed.declined", "en") in chat.text
    assert chat.state().step == "menu.main"


def offered_as_a_tramite(world):
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Pedido não confirma")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("the order still shows negative stock")
    assert chat.state().step == "ticket.said"
    return ticket, chat


def said_entries(world, ticket):
    return [e for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
            if e.kind == EntryKind.PUBLIC and "negative stock" in (e.text or "")]


@pytest.mark.parametrize("said", ["go ahead", "sure, go ahead"])
def test_r7_go_ahead_sends_the_tramite(world, said):
    ticket, chat = offered_as_a_tramite(world)
    chat.send(said)
    assert [e.text for e in said_entries(world, ticket)] == ["the order still shows negative stock"]


@pytest.mark.parametrize("said", ["forget it", "never mind", "nah"])
def test_r7_forget_it_drops_the_tramite(world, said):
    ticket, chat = offered_as_a_tramite(world)
    chat.send(said)
    assert said_entries(world, ticket) == []
    assert chat.state().step != "ticket.said"
