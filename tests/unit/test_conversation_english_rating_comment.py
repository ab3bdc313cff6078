"""R20: at "Would you like to leave a comment?", a no in other words skips it, in either
language: "not now", "skip", "nothing", "nothing to add", "pular", "nada", "sem comentário",
"agora não"; each was saved as the rating's comment ("I kept your comment; it goes to the
support team")."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t
from core.services import closing, handling


def at_comment(world, lang):
    world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Pedido não confirma")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    chat.click(t("conv.closing.approve", lang))
    chat.click(t("rating.bom", lang))
    assert chat.state().step == "closing.rate_comment"
    return ticket, chat


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "not now"), ("en", "skip"), ("en", "nothing"), ("en", "nothing to add"),
    ("en", "nothing, thanks"), ("pt_BR", "pular"), ("pt_BR", "nada"),
    ("pt_BR", "sem comentário"), ("pt_BR", "agora não"), ("pt_BR", "nada a acrescentar")])
def test_r20_a_no_in_other_words_leaves_no_comment(world, lang, typed):
    ticket, chat = at_comment(world, lang)
    chat.send(typed)
    assert world.ticket(ticket.id).rating_comment is None
    assert t("conv.closing.comment_kept", lang) not in chat.text
    assert chat.state().step != "closing.rate_comment"


def test_r20_a_real_comment_is_still_kept(world):
    ticket, chat = at_comment(world, "en")
    chat.send("Nothing to complain about, Ana was quick")
    assert world.ticket(ticket.id).rating_comment == "Nothing to complain about, Ana was quick"
