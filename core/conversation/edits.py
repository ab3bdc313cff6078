"""A message the user edited after sending it (chats that allow it): while a ticket is being
opened, an edit of the text taken as its assunto, descrição or versão changes the draft (R3,
R17); of words on offer as a trâmite, the offer (R7). Which ticket a message went to as a
trâmite is kept too."""

from __future__ import annotations

from core.conversation.fmt import fit_told
from core.conversation.identity import identify
from core.conversation.intake import draft, save
from core.conversation.intake_version import TYPED_NOW, read_typed
from core.conversation.replies import Reply, UserInput
from core.conversation.ticket_tramite import SENT_NOW
from core.conversation.turn import Turn, error_text
from core.conversation_state import ConversationKey
from core.errors import HelpdeskError
from core.i18n import label, normalize_language
from core.services.context import Ctx
from core.services.intake import TicketDraft, clean_assunto, clean_descricao, plain

KEEP = 5
"""The latest typed messages remembered per draft (an edit usually follows at once)."""
OFFER = "ticket.said"
"""Words offered as a ticket's trâmite, to send or discard (core.conversation.ticket_said)."""
SENT = "sent_typed"
"""Typed messages sent as a trâmite by the chat's steps: their ticket, by message."""
REVIEW = "intake.resumo"
VERSAO = "typed_versao"
"""The intake's typed messages that set the versão: the value each set."""


def remember(turn: Turn, user_input: UserInput) -> None:
    """After a step: note which draft field, trâmite on offer or trâmite sent a typed message
    (its channel id) became."""
    sent = turn.data.pop(SENT_NOW, None)
    versao = (turn.data.get("intake") or {}).pop(TYPED_NOW, None)
    if versao and user_input.ref and user_input.text:
        _keep(turn.section("intake").setdefault(VERSAO, {}), user_input.ref,
              draft(turn).versao or "")
        return
    if not user_input.ref or not user_input.text:
        if sent:
            _sent(turn, sent["ticket_id"], sent["refs"])
        return
    typed = plain(user_input.text).strip()
    if sent:  # typed and sent at once, or "enviar" typed to send what was on offer
        refs = sent["refs"] + ([user_input.ref] if _lines_hold(sent["text"], typed) else [])
        _sent(turn, sent["ticket_id"], refs)
    elif turn.state.step == OFFER and _lines_hold(turn.section("tramite").get("said") or "",
                                                  typed):
        _keep(turn.section("tramite").setdefault("typed", {}), user_input.ref, typed)
    elif turn.state.flow == "intake" and _fields_with(draft(turn), typed):
        _keep(turn.section("intake").setdefault("typed", {}), user_input.ref, typed)


def _keep(kept: dict[str, str], ref: str, typed: str) -> None:
    kept.pop(ref, None)
    kept[ref] = typed
    for old in list(kept)[:-KEEP]:
        del kept[old]


def _sent(turn: Turn, ticket_id: int, refs: list[str]) -> None:
    """These messages went as the ticket's trâmite: an edit of one is told so (sent_to)."""
    for ref in refs:
        _keep(turn.section(SENT), ref, str(ticket_id))


def sent_to(ctx: Ctx, key: ConversationKey, ref: str) -> int | None:
    """The ticket a typed message went to as a trâmite through the chat's steps, if any."""
    state = ctx.uow.conversations.get(key)
    found = ((state.data.get(SENT) or {}) if state is not None else {}).get(ref)
    return int(found) if found is not None else None


def edited(ctx: Ctx, key: ConversationKey, ref: str, text: str) -> list[Reply]:
    """Take an edit into the ticket being opened; [] when it is not about one."""
    state = ctx.uow.conversations.get(key)
    user = identify(ctx, key)
    if state is None or user is None:
        return []
    turn = Turn(ctx, state, user, normalize_language(user.language or ctx.policy.language))
    if state.step == OFFER:
        return _offer_edited(turn, ref, text)
    if state.flow != "intake":
        return []
    if ref in (turn.section("intake").get(VERSAO) or {}):
        return _versao_edited(turn, ref, text)
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


def _versao_edited(turn: Turn, ref: str, text: str) -> list[Reply]:
    """An edit of the versão typed: checked as at its question, said as there (R17's warning;
    the refusal, the versão kept); [] when the versão was changed since by other means."""
    kept = turn.section("intake")[VERSAO]
    current = draft(turn)
    if kept[ref] != (current.versao or ""):
        return [Reply(text=turn.t("conv.edited.intake"))]
    try:
        value = read_typed(turn, text)
    except HelpdeskError as err:
        shown = current.versao or turn.t("conv.intake.versao_not_informed")
        return [Reply(text=error_text(err, turn.lang)),
                Reply(text=turn.t("conv.edited.versao_kept", version=shown))]
    current.versao = value
    save(turn, current)
    kept[ref] = value or ""
    turn.replies.insert(0, Reply(text=turn.t("conv.edited.applied",
                                             fields=label("field", "versao", turn.lang))))
    if turn.state.step == REVIEW:
        turn.go(REVIEW)
    turn.state.updated_at = turn.ctx.now
    turn.ctx.uow.conversations.save(turn.state)
    return turn.replies


def _fields_with(current: TicketDraft, typed: str) -> list[str]:
    """The fields holding this text whole: the assunto, or lines of the descrição as added."""
    found = []
    if current.assunto and current.assunto == " ".join(typed.split()):
        found.append("assunto")
    if _lines_hold(current.descricao or "", typed):
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


def _offer_edited(turn: Turn, ref: str, text: str) -> list[Reply]:
    """An edit of words on offer as a ticket's trâmite, not sent yet: the offer changes."""
    section = turn.section("tramite")
    typed = section.get("typed") or {}
    old, new, said = typed.get(ref), plain(text).strip(), section.get("said") or ""
    if not old or not new or not _lines_hold(said, old):
        return []
    at = _segment(said, old)
    section["said"] = fit_told(turn, said[:at] + new + said[at + len(old):], "conv.tramite.cut")
    typed[ref] = new
    turn.say("conv.edited.offer")
    turn.go(OFFER)
    turn.state.updated_at = turn.ctx.now
    turn.ctx.uow.conversations.save(turn.state)
    return turn.replies


def _lines_hold(value: str, typed: str) -> bool:
    """Whether the text holds these line(s) whole, as messages are joined."""
    return bool(typed) and (value == typed or value.startswith(typed + "\n")
                            or value.endswith("\n" + typed) or f"\n{typed}\n" in value)
