"""R10: at the session's offer of the tickets awaiting approval, "depois", "mais tarde",
"deixa pra depois", "later", "maybe later" were kept as a message ("Guardei o que você
escreveu; depois das aprovações pergunto o que fazer com a mensagem") or answered as a goodbye,
and the offer asked again. They leave the approvals for later, as Agora não does; a matter
typed there is still kept."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_closing import awaiting

from core.models import Status


@pytest.mark.parametrize(("typed", "lang"), [
    ("depois", "pt_BR"), ("mais tarde", "pt_BR"), ("deixa pra depois", "pt_BR"),
    ("depois eu vejo", "pt_BR"), ("Depois, obrigada", "pt_BR"), ("later", "en"),
    ("maybe later", "en"), ("later please", "en")])
def test_r10_later_in_words_at_the_pending_approvals_leaves_them_for_later(world, typed, lang):
    ticket = awaiting(world)
    if lang != "pt_BR":
        world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert chat.state().step == "closing.offer"
    chat.send(typed)
    assert chat.state().step == "menu.main"
    assert ticket.number in chat.text
    assert not (chat.state().data.get("typed") or {}).get("text")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    if lang == "pt_BR":
        assert pt("conv.closing.later_one", number=ticket.number) in chat.text


def test_r10_a_matter_with_depois_is_still_kept(world):
    awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("depois da atualização o caixa 3 não abre")
    assert pt("conv.closing.typed_kept") in chat.text
    assert chat.state().step == "closing.offer"
