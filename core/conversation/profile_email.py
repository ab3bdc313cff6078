"""The profile's new e-mail (R11): a code goes to the new address, typed here to confirm it."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import TypeVar

from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, error_text, register
from core.errors import HelpdeskError
from core.services import email_change
from core.services.access import load_user

CODE_STEP = "profile.email_code"
R = TypeVar("R")
CODE_LIKE = re.compile(r"\d{3}[\s.-]?\d{3}")
"""A confirmation code as typed or copied from the e-mail: 123456, 123 456."""


def on_email(turn: Turn, text: str) -> None:
    """Mail a code to the new address (another user's address is refused) and ask for it;
    the old address stays until the code comes back. With no e-mail going out, support
    changes it (`helpdesk user email`): the chat says so and shows the profile."""
    asked = _or_ended(turn, lambda: email_change.request(turn.ctx, turn.user.id or 0, text),
                      ("error.email_unconfirmable",))
    if asked is None:
        return
    if asked.sent:
        turn.say("conv.profile.email_code_sent", email=asked.change.email)
    turn.go(CODE_STEP)


def ask_code(turn: Turn) -> None:
    """The code sent to the new address; Reenviar, Cancelar the change, or Voltar (it waits)."""
    change = email_change.pending(turn.ctx, turn.user.id or 0)
    if change is None:
        turn.go("profile.view")
        return
    user = load_user(turn.ctx, turn.user.id or 0)
    turn.ask(CODE_STEP, turn.t("conv.profile.ask_email_code", email=change.email,
                               current=user.email),
             [(turn.t("conv.profile.resend_code"), "resend"),
              (turn.t("conv.profile.cancel_email_change"), "cancel"),
              (turn.t("conv.closing.back"), "back")], Expect.TEXT)


def on_code_choice(turn: Turn, value: str) -> None:
    """Send another code, drop the change, or go back to the profile (the change waits)."""
    if value == "resend":
        change = _or_ended(turn, lambda: email_change.resend(turn.ctx, turn.user.id or 0))
        if change is not None:
            turn.say("conv.profile.email_code_resent", email=change.email)
            turn.go(CODE_STEP)
        return
    if value == "cancel" and email_change.cancel(turn.ctx, turn.user.id or 0):
        turn.say("conv.profile.email_change_cancelled", email=turn.user.email)
    turn.go("profile.view")


def on_code(turn: Turn, text: str) -> None:
    """The code typed: the new address is kept; another address typed asks for it instead."""
    typed = text.strip()
    if "@" in typed and len(typed.split()) == 1:
        on_email(turn, typed)
        return
    user = _or_ended(turn, lambda: email_change.confirm(turn.ctx, turn.user.id or 0, typed))
    if user is not None:
        turn.user_or_none = user
        turn.say("conv.profile.email_changed", email=user.email)
        turn.go("profile.view")


def code_typed(turn: Turn, text: str) -> bool:
    """A code typed away from its question (at the menu, back after a while) while a change
    of the user's waits or expired unconfirmed: taken as at the question."""
    if turn.user_or_none is None or not CODE_LIKE.fullmatch(text.strip()):
        return False
    change = turn.ctx.uow.email_changes.get(turn.user.id or 0)
    if change is None or not change.code:
        return False
    on_code(turn, text)
    return True


def _or_ended(turn: Turn, act: Callable[[], R],
              ended: Collection[str] = email_change.ENDED) -> R | None:
    """Run act; when it says no change waits any more (expired, too many wrong codes, the
    address taken meanwhile), say so and show the profile. Other refusals ask again."""
    try:
        return act()
    except HelpdeskError as err:
        if err.key not in ended:
            raise
        turn.say_text(error_text(err, turn.lang))
        turn.go("profile.view")
        return None


register(
    Step(CODE_STEP, ask_code, on_choice=on_code_choice, on_text=on_code, numbers_are_text=True),
)
