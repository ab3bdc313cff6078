"""The session's start names the open tickets whose team waits for the customer's answer (R7):
an agent's trâmite was the last word in them, asking her something."""

from __future__ import annotations

from core.conversation.turn import Turn

NAMED = 3
"""At most so many tickets named; the first is the one to open."""


def say(turn: Turn) -> None:
    """Name them, newest first, and how to open the first; nothing when there are none."""
    waiting = turn.ctx.uow.tickets.answer_awaited(turn.user.id or 0, NAMED)
    if waiting:
        turn.say("conv.session.answer_awaited", numbers=", ".join(t.number for t in waiting),
                 first=waiting[0].number)
