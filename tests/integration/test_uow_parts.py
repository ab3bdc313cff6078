"""Parts of one transaction (SqlUnitOfWork.part): each undone alone if it raises, one commit
for all; and the chat steps that run so (bots.telegram.steps.converse_many)."""

from __future__ import annotations

from typing import Any

import pytest

from bots.telegram.steps import Inbound, converse_many
from core.conversation.identity import telegram_key
from core.conversation.replies import parse
from core.errors import Conflict
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


def test_a_part_whose_statement_the_database_refuses_is_undone_alone(desk: Any) -> None:
    """A statement failing in the database (PostgreSQL then refuses the rest of the
    transaction) undoes its part only: the parts before and after it commit."""
    def parts(ctx: Ctx) -> int:
        uow: Any = ctx.uow
        failed = 0
        for key in ("d", "e", "f"):
            try:
                with uow.part():
                    assert ctx.uow.inbound.record("test", key, ctx.now)
                    if key == "e":
                        uow.connection.exec_driver_sql("SELECT * FROM no_such_table")
            except Exception:
                failed += 1
        return failed

    assert desk.call(parts) == 1
    assert seen(desk, "d")
    assert not seen(desk, "e")
    assert seen(desk, "f")


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


def test_a_step_refused_among_others_is_its_own_and_the_others_commit(desk: Any, db_url: str
                                                                     ) -> None:
    """PostgreSQL: steps that arrive together run one after another, each committing on its
    own; one refused (its chat moved since the state it started from, as another instance's
    step would move it) is a Conflict for its caller (it runs again with a read) and
    nothing of it is kept; the next step is answered and kept, its update id once."""
    if db_url.startswith("sqlite"):
        pytest.skip("a step starts from what was kept on PostgreSQL only (Inbound.known)")
    chats = [6201, 6202]
    desk.call(seed, chats)
    first = desk.call(converse_many, [said(20, chats[0], "/novo")])[0]
    assert not isinstance(first, Exception)
    assert first.known is not None
    moved = desk.call(converse_many, [said(21, chats[0], "/novo")])[0]  # read, not kept
    assert not isinstance(moved, Exception)
    stale = said(22, chats[0], "/novo")
    stale.known = first.known
    outcomes = desk.call(converse_many, [stale, said(23, chats[1], "/novo")])
    assert isinstance(outcomes[0], Conflict)
    other = outcomes[1]
    assert not isinstance(other, Exception)
    assert other.outbox_id
    assert "Qual o item?" in other.messages[-1].html

    def kept(ctx: Ctx) -> Any:
        return ctx.uow.conversations.get(telegram_key(chats[1], chats[1]))

    assert desk.call(kept).step == "intake.item"
    assert not desk.call(lambda ctx: ctx.uow.inbound.record("telegram", "23", ctx.now))
    assert desk.call(lambda ctx: ctx.uow.inbound.record("telegram", "22", ctx.now))
