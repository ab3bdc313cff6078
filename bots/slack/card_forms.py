"""The forms a card's buttons open, in the clicking agent's language, and what sending one
does in core: refused at once when the card is outdated, the solution's origin and quote
kept when a colleague changed them, a refused Encaminhar offered as a note (R6, R15, R19,
R22)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bots.slack import buttons as b
from bots.slack import modals as m
from bots.slack.card_clicks import outdated, run_once
from bots.slack.cards import origin_choices
from bots.slack.kept_notes import NOTE_ADDED, added, card_note_form, noted, own
from bots.slack.people import agent, as_agent, said_in_form
from bots.slack.text import esc, quoted
from core.conversation.engine import error_text, language_of
from core.errors import Conflict, HelpdeskError, InvalidInput, InvalidTransition, NotFound
from core.i18n import t
from core.services import billing, closing, handling, tramites, workaround
from core.services.access import number_example
from core.services.context import Ctx
from core.services.forms import Form, form_ticket


@dataclass(frozen=True)
class Told:
    """A form's outcome said to the agent once the form is closed, not a refusal in it."""

    text: str


SUBMIT: dict[str, Callable[..., Any]] = {
    "md.reject": handling.reject_duplicate,
    "md.approval": closing.request_approval,
    "md.note": tramites.add_internal_note,
    "md.dev": lambda ctx, actor, tid, note: handling.forward_to_development(
        ctx, actor, tid, note or None),
    "md.dev_return": handling.return_from_development,
    "md.quote": billing.set_quote,
    "md.workaround": workaround.send_workaround,
}
FORM_CHANGED = "error.form_changed"
"""core's refusal of a form whose origin or quote a colleague changed meanwhile."""
AGAIN = (FORM_CHANGED, workaround.SENT_MEANWHILE)
"""Refusals of a form a colleague made stale, shown again as it is now (form_again)."""
OPTIONAL = {b.DEV}
FORMS = {b.REJECT: Form.REJECT, b.APPROVAL: Form.APPROVAL, b.WORKAROUND: Form.WORKAROUND,
         b.DEV: Form.DEVELOPMENT, b.DEV_RETURN: Form.RETURN, b.QUOTE: Form.QUOTE,
         b.NOTE: Form.NOTE}
"""The use case each button's form serves: core says whether the ticket can take it now."""


def submitted(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
              *typed: Any) -> Any:
    """A form's use case, with the people mentioned in what was typed in it named (R7); one
    the status refuses was made stale by a colleague while it was open. The solution this
    agent has just sent (the same form sent twice, core's ALREADY_SENT), and a note its form's
    identity added already (NOTE_ADDED), and the workaround it has just sent, are Told, the
    form closed as the first's was."""
    try:
        return run_once(ctx, key, slack_id, fn, tid,
                        *(said_in_form(ctx, x) if isinstance(x, str) else x for x in typed))
    except Conflict as err:
        if err.key not in (closing.ALREADY_SENT, workaround.ALREADY_SENT, NOTE_ADDED):
            raise
        lang = language_of(ctx, agent(ctx, slack_id))
        other = err.params.get("typed")  # another text in the second form: given back
        return Told(error_text(err, lang) + (
            "\n" + t("slack.modal.typed", lang, text=other) if other else ""))
    except InvalidTransition as err:
        raise outdated(ctx, slack_id, tid, err, "slack.refuse.form_outdated") from None


def form(ctx: Ctx, slack_id: str, tid: int, name: str, channel: str | None,
         thread: str | None, typed: str | None = None,
         kept: billing.Shown | None = None, token: str | None = None) -> dict[str, Any]:
    """The modal a card's button opens, in the agent's language (only they see it); the
    solution's also asks the origin (R22). Shown again (form_again), it starts with what the
    agent `typed` and the origin and quote they changed (`kept`), saying why; a workaround's,
    with the one a colleague sent meanwhile (R12); `token`: the refused note it offers
    (kept_form)."""
    lang = language_of(ctx, agent(ctx, slack_id))
    try:  # a button of an outdated card is refused at once, not after the agent wrote the form
        ticket = as_agent(ctx, slack_id, form_ticket, tid, FORMS[name])
    except InvalidTransition as err:
        raise outdated(ctx, slack_id, tid, err, "slack.refuse.outdated_card") from None
    if name == b.NOTE and token is None:
        token = card_note_form(ctx, slack_id, tid)
    origins, suggested, origin = origin_choices(ctx, ticket, lang) if name == b.APPROVAL \
        else ([], None, None)
    start = origin or suggested
    shown = (start.id if start else None, ticket.billing_quote) \
        if name in (b.APPROVAL, b.QUOTE) else None
    kept_origin, kept_quote = kept or (None, None)
    picked = next((o for o in origins if o.id == kept_origin), start)
    notice = t("slack.modal.changed", lang, number=ticket.number) if kept else None
    done = workaround.sent(ctx, tid) if name == b.WORKAROUND else []
    if done and typed is not None:
        author = ctx.uow.users.get(done[-1].author_id or 0)
        notice = t("slack.modal.workaround.meanwhile", lang, number=ticket.number,
                   author=esc(author.name if author else "?")) + "\n" + t(
            "slack.modal.workaround.again", lang) + "\n" + quoted(done[-1].text)
    return m.text_modal(name, tid, ticket.number, multiline=name not in (b.REJECT, b.QUOTE),
                        optional=name in OPTIONAL, channel=channel, thread_ts=thread,
                        lang=lang, origins=origins, origin=picked,
                        quote=kept_quote or ticket.billing_quote, shown=shown, text=typed,
                        notice=notice, example=number_example(ctx), kept=token,
                        seen=len(done) if name == b.WORKAROUND else None)


def form_again(ctx: Ctx, slack_id: str, tid: int, callback_id: str, channel: str | None,
               thread: str | None, text: str, *rest: Any) -> dict[str, Any]:
    """The form, shown again because a colleague changed its origin or quote meanwhile
    (error.form_changed), or sent a workaround (workaround.SENT_MEANWHILE): the ticket's now,
    what the agent typed or changed kept."""
    name = next(action for action, callback in m.MODALS.items() if callback == callback_id)
    if name == b.WORKAROUND:
        return form(ctx, slack_id, tid, name, channel, thread, typed=text)
    *picked, shown = rest
    origin, quote = picked if picked else (None, text)
    shown_origin, shown_quote = shown or (None, None)
    kept = (origin if origin != shown_origin else None,
            quote if (quote or None) != (shown_quote or None) else None)
    return form(ctx, slack_id, tid, name, channel, thread,
                typed=text if name == b.APPROVAL else None, kept=kept)


def note_instead(ctx: Ctx, slack_id: str, tid: int, channel: str | None, thread: str | None,
                 typed: str, refusal: str) -> dict[str, Any] | None:
    """The Encaminhar form refused because a colleague forwarded or solved the ticket while it
    was open, as a *Nota interna* form: the note typed kept, why it was not forwarded said
    (R15). None when that note is on the ticket already (the same form sent twice)."""
    lang = language_of(ctx, agent(ctx, slack_id))
    ticket = ctx.uow.tickets.read(tid)
    if ticket is None or noted(ctx, tid, typed):
        return None
    notice = "⚠️ " + esc(refusal) + "\n" + t("slack.modal.dev_as_note", lang,
                                               number=ticket.number)
    return m.text_modal(b.NOTE, tid, ticket.number, channel=channel, thread_ts=thread,
                        lang=lang, text=typed, notice=notice)


def kept_form(ctx: Ctx, slack_id: str, tid: int, value: str, channel: str | None,
              thread: str | None, saved: bool = True) -> dict[str, Any] | Told:
    """The *Nota interna* form a refusal's button opens with the note kept (`value`: its token,
    or, `saved` False, the note itself, as buttons were posted before); Told instead when that
    note was added already, by this button (pressed again) or in the card's *Nota interna*.
    Only an agent learns anything of the note or its ticket, and only the agent it was
    offered to opens it (NotYours)."""
    agent(ctx, slack_id)
    notes = ctx.uow.slack_kept_notes  # type: ignore[attr-defined]
    kept = notes.get(value) if saved else None
    ticket = ctx.uow.tickets.read(tid)
    if saved and (kept is None or ticket is None):
        raise NotFound("slack.note.kept_gone", number=ticket.number if ticket else "")
    if kept is not None and kept.ticket_id != tid:
        raise InvalidInput("slack.refuse.other_card")
    if kept is not None and ticket is not None:
        own(kept, slack_id, ticket.number)
    text = kept.text if kept is not None else value
    if (kept is not None and kept.used_at is not None) or noted(ctx, tid, text):
        return Told(added(ctx, slack_id, tid))
    return form(ctx, slack_id, tid, b.NOTE, channel, thread, text,
                token=kept.token if kept is not None else None)


def chosen_origin(tid: int, state: dict[str, Any]) -> str | None:
    """The origin picked in the solution's modal, if it is one of this ticket's options."""
    block = state.get(f"card.{m.ORIGIN_BLOCK}.{tid}", {}).get(b.ORIGIN) or {}
    head, _, origin = ((block.get("selected_option") or {}).get("value") or "").partition(":")
    if head != str(tid):
        raise InvalidInput("error.unknown_choice", level="origin")
    return origin.partition(":")[0]  # a searched option says the ticket as drawn too


def form_errors(err: HelpdeskError, tid: int, asks_origin: bool, lang: str) -> dict[str, str]:
    """A refusal shown in the modal, under the origin or the quote when it is about them."""
    about_origin = err.key == "error.origin_needed" or err.params.get("level") == "origin"
    about_quote = err.key == "error.quote_not_billable" or err.params.get("field") == "orcamento"
    block = m.INPUT_BLOCK
    if asks_origin and about_origin:
        block = f"card.{m.ORIGIN_BLOCK}.{tid}"
    elif asks_origin and about_quote:
        block = m.QUOTE_BLOCK
    return {block: error_text(err, lang)}
