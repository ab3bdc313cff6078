"""R23: the customer's words at "Do you authorize the charge?": a yes ("yes", "sim", "yes,
charge it", "I authorize it") authorizes, a no ("no", "no thanks", "não") refuses, as the
buttons do; "yes" and "sim" were not understood, "yes, charge it" was offered to the team as a
trâmite, "I authorize it" named both I authorize and I do not authorize."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t
from core.services import closing, handling


def at_charge(world, lang):
    world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Backup não roda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Reconfiguramos o agendamento do backup.", origin_id="backup")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    assert chat.state().step == "closing.billing"
    return ticket, chat


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "yes"), ("en", "Yes."), ("en", "yes, charge it"), ("en", "I authorize it"),
    ("en", "ok, go ahead"), ("pt_BR", "sim"), ("pt_BR", "sim, pode cobrar")])
def test_r23_a_yes_in_words_authorizes_the_charge(world, lang, typed):
    ticket, chat = at_charge(world, lang)
    chat.send(typed)
    assert world.ticket(ticket.id).billing_authorized is True
    assert t("conv.closing.billing_authorized", lang, number=ticket.number) in chat.text


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "no"), ("en", "no thanks"), ("en", "I don't authorize it"), ("en", "nope"),
    ("pt_BR", "não"), ("pt_BR", "não autorizo")])
def test_r23_a_no_in_words_refuses_the_charge(world, lang, typed):
    ticket, chat = at_charge(world, lang)
    chat.send(typed)
    assert world.ticket(ticket.id).billing_authorized is False
