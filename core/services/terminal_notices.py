"""The notices of a person in the terminal chat: taken from the outbox at their turns there."""

from __future__ import annotations

from core.i18n import render_notification
from core.outbox import Channel, OutboxMessage
from core.services.context import Ctx


def take(ctx: Ctx, user_id: int, language: str | None = None
         ) -> list[tuple[str, OutboxMessage]]:
    """The texts of the person's notices waiting for the terminal chat, oldest first, in
    their language, each with its outbox row; marked sent (shown once)."""
    return [(render_notification(m.kind, m.params, language, ctx.policy.timezone)[1], m)
            for m in ctx.uow.outbox.take_pending(Channel.TERMINAL, str(user_id), ctx.now)]
