"""How to reach the support team: its hours, whether it is open now, and how (R14, manual §4)."""

from __future__ import annotations

from core.conversation.fmt import day_at
from core.conversation.turn import Turn
from core.i18n import t
from core.services.access import coordination_hint, trained_colleagues
from core.services.context import Ctx
from core.services.sweeps import calendar_for


def show_contact(turn: Turn) -> None:
    """The opening hours, open now or when the team is back, and that talking goes by ticket."""
    calendar = calendar_for(turn.ctx.policy.timezone)
    hours = turn.t("conv.contact.and").join(
        f"{start:%H:%M}–{end:%H:%M}" for start, end in calendar.periods)
    now = team_away(turn.ctx, turn.lang) or turn.t("conv.contact.open")
    turn.say("conv.contact", hours=hours, now=now)
    if phone := turn.ctx.policy.support_phone.strip():
        turn.say("conv.contact.phone", phone=phone)
    if not turn.user.trained and not turn.user.is_staff:  # no ticket to write in yet (R2)
        turn.say("conv.contact.untrained", contact=coordination_hint(turn.ctx))
        if names := trained_colleagues(turn.ctx, turn.user):
            turn.say("conv.untrained.colleagues", names=names)
        return
    turn.say("conv.contact.how" if turn.ctx.mails(turn.user.email) else "conv.contact.how_here")
    if turn.ctx.policy.coordination_contact.strip():
        turn.say("conv.contact.coordination", contact=turn.ctx.policy.coordination_contact)


def team_away(ctx: Ctx, lang: str) -> str | None:
    """Outside business hours, that it is so and when the team is back (R14), for words a
    customer sends now; None while the team is in."""
    calendar = calendar_for(ctx.policy.timezone)
    if calendar.is_open(ctx.now):
        return None
    back = calendar.next_opening(ctx.now)
    return t("conv.contact.closed", lang,
             when=day_at(back, ctx.now, lang, ctx.policy.timezone))


def say_away(turn: Turn) -> None:
    """A customer's words just went to the team: outside business hours, when it is back."""
    if not turn.user.is_staff and (away := team_away(turn.ctx, turn.lang)) is not None:
        turn.say_text(away)
