"""A message the user edited after sending it (chats that allow it): while a ticket is being
opened, an edit of the text taken as its assunto or descrição changes the draft (R3)."""

from __future__ import annotations

from core.conversation.identity import identify
from core.conversation.intake import draft, save
from core.conversation.replies import Reply, UserInput
from core.conversation.turn import Turn
from core.conversation_state import ConversationKey
from core.errors import HelpdeskError
from core.i18n import label, normalize_language
from core.services.context import Ctx
from core.services.intake import TicketDraft, clean_assunto, clean_descricao, plain

KEEP = 5
"""The latest typed messages remembered per draft (an edit usually follows at once)."""
REVIEW = "intake.resumo"


def remember(turn: Turn, user_input: UserInput) -> None:
    """After a step: note which draft field a typed message (its channel id) became."""
    if not user_input.ref or not user_input.text or turn.state.flow != "intake":
        return
    typed = plain(user_input.text).strip()
    if not _fields_with(draft(turn), typed):
        return
    kept = turn.section("intake").setdefault("typed", {})
    kept.pop(user_input.ref, None)
    kept[user_input.ref] = typed
    for ref in list(kept)[:-KEEP]:
        del kept[ref]


def edited(ctx: Ctx, key: ConversationKey, ref: str, text: str) -> list[Reply]:
    """Take an edit into the ticket being opened; [] when it is not about one."""
    state = ctx.uow.conversations.get(key)
    user = identify(ctx, key)
    if state is None or user is None or state.flow != "intake":
        return []
    turn = Turn(ctx, state, user, normalize_language(user.language or ctx.policy.language))
    typed = turn.section("intake").get("typed") or {}
    old, new = typed.get(ref), plain(text).strip()
    current = draft(turn)
    fields = _fields_with(current, old) if old else []
    try:
        for field in fields:
            _replace(ctx, current, field, old or "", new)
    except HelpdeskError:
        fields = []
    if not fields:
        return [Reply(text=turn.t("conv.edited.intake"))]
    save(turn, current)
    typed[ref] = new
    turn.say("conv.edited.applied", fields=", ".join(label("field", f, turn.lang)
                                                     for f in fields))
    if state.step == REVIEW:  # the summary on screen is out of date: show it again
        turn.go(REVIEW)
    state.updated_at = ctx.now
    ctx.uow.conversations.save(state)
    return turn.replies


def _fields_with(current: TicketDraft, typed: str) -> list[str]:
    """The fields holding this text whole: the assunto, or lines of the descrição as added."""
    found = []
    if current.assunto and current.assunto == " ".join(typed.split()):
        found.append("assunto")
    value = current.descricao or ""
    if typed and (value == typed or value.startswith(typed + "\n")
                  or value.endswith("\n" + typed) or f"\n{typed}\n" in value):
        found.append("descricao")
    return found


def _replace(ctx: Ctx, current: TicketDraft, field: str, old: str, new: str) -> None:
    """The field with the old text replaced by the new, checked as a typed one."""
    if field == "assunto":
        current.assunto = clean_assunto(ctx, new)
        return
    value = current.descricao or ""
    at = _segment(value, old)
    current.descricao = clean_descricao(ctx, value[:at] + new + value[at + len(old):])


def _segment(value: str, old: str) -> int:
    """Where the line(s) `old`, found whole by _fields_with, start in the descrição."""
    if value == old or value.startswith(old + "\n"):
        return 0
    middle = value.find(f"\n{old}\n")
    return middle + 1 if middle >= 0 else len(value) - len(old)
