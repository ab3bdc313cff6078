"""Who may talk to the bot (R2): unknown people get told how to obtain an invite code."""

from __future__ import annotations

import re

from core.conversation import commands, deep_link, matter
from core.conversation.identity import SLACK, TELEGRAM, linked_user
from core.conversation.replies import Command, Expect, Reply, UserInput
from core.conversation.turn import Turn
from core.errors import InvalidInput
from core.i18n import normalize_language
from core.services import users
from core.services.access import coordination_hint

_CODE = re.compile(r"[A-Za-z0-9]{6,16}")


def code_in(user_input: UserInput) -> str | None:
    """An invite code sent with /start, or typed alone (a digit in it, or all capitals)."""
    if deep_link.ticket_number(user_input) is not None:
        return None  # a ticket's link, no code: no invite has a 0 or a 1
    if user_input.command == Command.START and user_input.arg:
        return user_input.arg
    raw = re.sub(r"[\s-]", "", user_input.text or "")
    if _CODE.fullmatch(raw) and (any(ch.isdecimal() for ch in raw) or raw.isupper()):
        return raw
    return None


def spare_code(turn: Turn, user_input: UserInput) -> bool:
    """An invite code from an account already linked (/start CODE, or an issued code typed
    alone) is not used: say so, with the linked user's own name. True for a typed code, which
    is then no message to read. Words shaped like a code that is not one count as a failed
    code, so that a linked account cannot probe which codes exist without limit."""
    if user_input.command == Command.START and user_input.arg:
        turn.say("conv.eligibility.already_linked", name=turn.user.name)
        return False
    if user_input.command is not None or user_input.files or user_input.choice is not None:
        return False
    code = code_in(user_input)
    ctx, key = turn.ctx, turn.state.key
    if code is None or users.link_wait(ctx, key):
        return False  # while locked, no lookup tells which codes exist (R2)
    if ctx.uow.invites.get(code.upper()) is None:
        ctx.uow.link_failures.add(key, ctx.now)  # a guess, or words: counted all the same
        return False  # "NFE500" typed is what it says, not a code
    turn.say("conv.eligibility.already_linked", name=turn.user.name)
    return True


def unknown(turn: Turn, user_input: UserInput) -> None:
    """An unlinked chat account: redeem an invite code, or explain how to get one."""
    code = code_in(user_input)
    gone = linked_user(turn.ctx, turn.state.key) if code is None else None
    if gone is not None and not gone.active:  # no invite code would help: say whom to ask
        turn.lang = normalize_language(gone.language or turn.ctx.policy.language)
        turn.replies.append(Reply(text=inactive(turn, user_input), expect=Expect.TEXT))
        return
    if code is None:
        text = turn.t("conv.eligibility.unknown")
        if (number := deep_link.ticket_number(user_input)) is not None:
            text += "\n\n" + turn.t("conv.eligibility.ticket_link", number=number)
        elif user_input.text and matter.is_matter(user_input.text):
            matter.keep_typed(turn, user_input.text)
            text += "\n\n" + turn.t("conv.eligibility.kept")
        turn.replies.append(Reply(text=text, expect=Expect.TEXT))
        return
    key = turn.state.key
    if key.channel == TELEGRAM and key.user_key.lstrip("-").isdecimal():
        user = users.redeem_in_chat(turn.ctx, key, code, telegram_id=int(key.user_key))
    elif key.channel == SLACK:
        user = users.redeem_in_chat(turn.ctx, key, code, slack_id=key.user_key)
    else:
        raise InvalidInput("conv.eligibility.cannot_link")
    turn.user_or_none = user
    turn.lang = normalize_language(user.language or turn.ctx.policy.language)
    turn.state.user_id = user.id
    turn.say("conv.eligibility.linked", name=user.name)
    if not user.trained and not user.is_staff:
        turn.say("conv.eligibility.untrained_note", contact=coordination_hint(turn.ctx))
    typed = turn.section("typed").pop("text", None)  # offered anew by the session's start
    commands.start_session(turn, UserInput.of_text(typed) if typed else UserInput())


def inactive(turn: Turn, user_input: UserInput) -> str:
    """A deactivated account: whom to ask to reactivate it, and that what it sent (words of a
    matter, files, a click) was not registered, so it is sent again then, not lost unsaid."""
    text = turn.t("conv.eligibility.inactive", contact=coordination_hint(turn.ctx))
    typed = user_input.text or ""
    bare = user_input.command is not None or (
        bool(typed) and not user_input.files and not matter.is_matter(typed))
    return text if bare else text + "\n\n" + turn.t("conv.eligibility.inactive_not_sent")
