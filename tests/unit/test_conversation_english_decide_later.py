"""R19: at the approval question, "later", "not now", "decide later" (and "depois", "mais
tarde", "agora não") are Decidir depois, as its button is; they were kept as words for a
reason, the question asked again (and "later" alone is no message to send the team)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t
from core.models import Status
from core.services import closing, handling


def at_decision(world, lang):
    world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Pedido não confirma")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    assert chat.state().step == "closing.decide"
    return ticket, chat


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "later"), ("en", "not now"), ("en", "decide later"), ("en", "Later, thanks"),
    ("pt_BR", "depois"), ("pt_BR", "mais tarde"), ("pt_BR", "agora não")])
def test_r19_later_in_words_is_decide_later(world, lang, typed):
    ticket, chat = at_decision(world, lang)
    chat.send(typed)
    assert chat.state().step != "closing.decide"
    assert t("conv.closing.said_kept", lang) not in chat.text
    assert t("conv.tramite.send_said", lang) not in chat.labels  # nothing to send the team
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
