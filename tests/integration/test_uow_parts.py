"""Parts of one transaction (SqlUnitOfWork.part): each undone alone if it raises, one commit
for all; and the chat steps that run so (bots.telegram.steps.converse_many)."""

from __future__ import annotations

from typing import Any

import pytest

from bots.telegram.steps import Inbound, converse_many
from core.conversation.identity import telegram_key
from core.conversation.replies import parse
from core.services import users
from core.services.context import Ctx


def seen(desk: Any, key: str) -> bool:
    """Whether the key was committed (recording it again says it was)."""
    return not desk.call(lambda ctx: ctx.uow.inbound.record("test", key, ctx.now))


def test_a_part_that_raises_is_undone_alone_and_the_others_commit_together(desk: Any) -> None:
    def parts(ctx: Ctx) -> list[str]:
        uow: Any = ctx.uow
        failed = []
        for key in ("a", "b", "c"):
            try:
                with uow.part():
                    assert ctx.uow.inbound.record("test", key, ctx.now)
                    if key == "b":
                        raise RuntimeError("this part fails")
            except RuntimeError:
                failed.append(key)
        with uow.part():  # a later part sees what the others wrote, not the failed one's
            assert not ctx.uow.inbound.record("test", "a", ctx.now)
            assert not ctx.uow.inbound.record("test", "c", ctx.now)
        return failed

    assert desk.call(parts) == ["b"]
    assert seen(desk, "a")
    assert not seen(desk, "b")
    assert seen(desk, "c")


def seed(ctx: Ctx, chats: list[int]) -> None:
    users.add_company(ctx, "Mercado Exemplo Ltda")
    for chat in chats:
        user = users.add_user(ctx, name=f"Cliente {chat}", email=f"c{chat}@mercado.example",
                              company_names=["Mercado Exemplo Ltda"], trained=True)
        user.telegram_id = chat
        ctx.uow.users.update(user)


def said(update_id: int, chat: int, text: str) -> Inbound:
    return Inbound(update_ids=[update_id], chat_id=chat, user_id=chat, user_input=parse(text),
                   text=text)


@pytest.mark.parametrize("repeat", [False, True])
def test_chat_steps_of_several_chats_share_one_transaction(desk: Any, repeat: bool) -> None:
    """Three customers' /novo in one transaction: each answered and kept as if alone; an
    update id twice in the batch (a webhook's delivery again) is answered once."""
    chats = [6101, 6102, 6103]
    desk.call(seed, chats)
    inbounds = [said(10 + i, chat, "/novo") for i, chat in enumerate(chats)]
    if repeat:
        inbounds.append(said(10, chats[0], "/novo"))
    outcomes = desk.call(converse_many, inbounds)
    assert all(not isinstance(o, Exception) for o in outcomes)
    assert [o.duplicate for o in outcomes] == [False, False, False] + ([True] if repeat else [])
    assert all(o.outbox_id and "Qual o item?" in o.messages[-1].html for o in outcomes[:3])

    def stored(ctx: Ctx) -> list[Any]:
        return [ctx.uow.conversations.get(telegram_key(chat, chat)) for chat in chats]

    assert [s.step if s else None for s in desk.call(stored)] == ["intake.item"] * 3
    assert all(not desk.call(lambda ctx, u=u: ctx.uow.inbound.record("telegram", str(u),
                                                                     ctx.now))
               for u in (10, 11, 12))
