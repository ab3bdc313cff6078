"""How to reach the support team: its hours, whether it is open now, and how (R14, manual §4)."""

from __future__ import annotations

from core.conversation.fmt import weekday_at
from core.conversation.turn import Turn
from core.services.access import coordination_hint
from core.services.sweeps import calendar_for


def show_contact(turn: Turn) -> None:
    """The opening hours, open now or when the team is back, and that talking goes by ticket."""
    calendar = calendar_for(turn.ctx.policy.timezone)
    hours = turn.t("conv.contact.and").join(
        f"{start:%H:%M}–{end:%H:%M}" for start, end in calendar.periods)
    if calendar.is_open(turn.ctx.now):
        now = turn.t("conv.contact.open")
    else:
        now = turn.t("conv.contact.closed",
                     when=weekday_at(turn, calendar.next_opening(turn.ctx.now)))
    turn.say("conv.contact", hours=hours, now=now)
    if not turn.user.trained and not turn.user.is_staff:  # no ticket to write in yet (R2)
        turn.say("conv.contact.untrained", contact=coordination_hint(turn.ctx))
        return
    turn.say("conv.contact.how" if turn.ctx.mails(turn.user.email) else "conv.contact.how_here")
    if turn.ctx.policy.coordination_contact.strip():
        turn.say("conv.contact.coordination", contact=turn.ctx.policy.coordination_contact)
