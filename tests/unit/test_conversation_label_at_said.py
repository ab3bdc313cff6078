"""R23, R19: an answer of another question typed while a message waits to be sent as a
trâmite ("Autorizo" after asking "quanto vai custar?" at the charge's question) was joined to
that message: the team would read "quanto vai custar? Autorizo" and the charge stayed
unauthorized, the customer sure she had authorized it. It is now refused as any command
there, with what to do: send or discard the message first."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.services import billing, handling


def asked_the_cost(world, lang=None):
    if lang:
        world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    chat = chat_for(world, "carla")
    chat.send("oi")  # the charge's authorization asked, no quote yet
    chat.send("quanto vai custar?" if lang is None else "how much will it cost?")
    return ticket, chat


@pytest.mark.parametrize("typed", ["Autorizo", "não autorizo", "Decidir depois", "Aprovar",
                                   "Autorizar cobrança"])
def test_r23_an_answer_typed_at_the_trame_on_offer_is_not_joined_to_it(world, typed):
    ticket, chat = asked_the_cost(world)
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.error.busy_tramite", command=typed)
    assert chat.state().data["tramite"]["said"] == "quanto vai custar?"
    chat.click(pt("conv.tramite.drop"))
    assert world.ticket(ticket.id).billing_authorized is None  # still hers to answer


def test_r23_an_answer_typed_in_english_is_refused_in_english(world):
    _ticket, chat = asked_the_cost(world, "en")
    chat.send("I authorize")
    assert chat.replies[0].text == t("conv.error.busy_tramite", "en", command="I authorize")
    assert chat.state().data["tramite"]["said"] == "how much will it cost?"


def test_r7_words_that_only_contain_an_answer_still_join_the_message(world):
    _ticket, chat = asked_the_cost(world)
    chat.send("autorizo se for até R$ 500")
    assert "autorizo se for até R$ 500" in chat.state().data["tramite"]["said"]
