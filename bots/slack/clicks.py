"""What a card's buttons, selects and forms do in core, run as the clicking agent: the use
case of each, the form a button opens, the options a long select finds."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bots.slack import buttons as b
from bots.slack import modals as m
from bots.slack.card_blocks import card_summary, ticket_card
from bots.slack.cards import card_data, origin_choices
from bots.slack.people import agent, as_agent, first_time, said_in_form
from bots.slack.text import esc
from core.conversation.engine import error_text, language_of
from core.errors import Conflict, HelpdeskError, InvalidInput, InvalidTransition, NotFound
from core.i18n import label, t
from core.models import CriticalReason, Priority
from core.services import billing, closing, handling, tramites, workaround
from core.services.access import number_example
from core.services.context import Ctx
from core.services.forms import Form, form_ticket
from core.services.reference import load_coverage
from core.textmatch import words
from storage.extras import SlackKeptNote


def ids(value: str) -> tuple[int, str]:
    """A click's value as (ticket id, the rest): "<ticket>:<what>"."""
    head, _, rest = (value or "").partition(":")
    if not head.isdecimal():
        raise InvalidInput("error.unknown_choice")
    tid = b.as_id(head)
    if tid is None:  # a number no ticket can have
        raise NotFound("error.ticket_not_found")
    return tid, rest


def _set_priority(ctx: Ctx, actor_id: int, tid: int, level: str) -> Any:
    if level == Priority.STANDARD.value:
        return handling.set_priority(ctx, actor_id, tid, Priority.STANDARD)
    try:
        reason = CriticalReason(level)
    except ValueError:
        raise InvalidInput("error.unknown_choice") from None
    return handling.set_priority(ctx, actor_id, tid, Priority.CRITICAL, reason)


def _assign(ctx: Ctx, actor_id: int, tid: int, who: str) -> Any:
    uid = b.as_id(who)
    if uid is None:
        raise InvalidInput("error.unknown_choice")
    return handling.assign(ctx, actor_id, tid, uid)


def _once(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
          *args: Any) -> Any:
    """Run a click's or modal's use case as the agent, at most once per interaction (a retry
    repeats it); a refusal leaves no trace, so a corrected modal can still go."""
    if key is not None and not first_time(ctx, key):
        return None
    return as_agent(ctx, slack_id, fn, tid, *args)


def clicked(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
            arg: str) -> Any:
    """A button's or select's use case; one the status refuses came from an outdated card."""
    try:
        return _once(ctx, key, slack_id, fn, tid, arg)
    except InvalidTransition as err:
        raise _outdated(ctx, slack_id, tid, err, "slack.refuse.outdated_card") from None


def _outdated(ctx: Ctx, slack_id: str, tid: int, err: InvalidTransition, key: str
              ) -> InvalidTransition:
    """A status refusal said with the status the ticket has now (a colleague moved it), in
    the agent's language (only they see it); any other refusal as it is."""
    ticket = ctx.uow.tickets.read(tid)
    if err.key != InvalidTransition.key or ticket is None:
        return err
    lang = language_of(ctx, agent(ctx, slack_id))
    return InvalidTransition(key, number=ticket.number,
                             status=label("status", ticket.status, lang))


def card_for(ctx: Ctx, slack_id: str, tid: int) -> tuple[str, list[dict[str, Any]]]:
    """The ticket's card as it stands now, in the agent's language: (summary, blocks)."""
    lang = language_of(ctx, agent(ctx, slack_id))
    data = card_data(ctx, tid)
    return card_summary(data, lang), ticket_card(data, ctx.policy.timezone, lang=lang)


@dataclass(frozen=True)
class Told:
    """A form's outcome said to the agent once the form is closed, not a refusal in it."""

    text: str


def submitted(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
              *typed: Any) -> Any:
    """A form's use case, with the people mentioned in what was typed in it named (R7); one
    the status refuses was made stale by a colleague while it was open. The solution this
    agent has just sent (the same form sent twice, core's ALREADY_SENT), and a note its form's
    identity added already (NOTE_ADDED), are Told, the form closed as the first's was."""
    try:
        return _once(ctx, key, slack_id, fn, tid,
                     *(said_in_form(ctx, x) if isinstance(x, str) else x for x in typed))
    except Conflict as err:
        if err.key not in (closing.ALREADY_SENT, NOTE_ADDED):
            raise
        lang = language_of(ctx, agent(ctx, slack_id))
        other = err.params.get("typed")  # another text in the second form: given back
        return Told(error_text(err, lang) + (
            "\n" + t("slack.modal.typed", lang, text=other) if other else ""))
    except InvalidTransition as err:
        raise _outdated(ctx, slack_id, tid, err, "slack.refuse.form_outdated") from None


SIMPLE: dict[str, Callable[..., Any]] = {
    b.TAKE: lambda ctx, actor, tid, _: handling.take(ctx, actor, tid),
    b.ESTIMATE: lambda ctx, actor, tid, _: handling.move_to_estimate(ctx, actor, tid),
    b.ASSIGN: _assign,
    b.PRIORITY: _set_priority,
    b.ORIGIN: lambda ctx, actor, tid, origin: billing.classify_origin(ctx, actor, tid, origin),
}
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
NOTE_ADDED = "slack.note.already_added"
"""A refused note offered by a button, already added to the ticket: nothing added again."""
FORM_CHANGED = "error.form_changed"
"""core's refusal of a form whose origin or quote a colleague changed meanwhile."""
OPTIONAL = {b.DEV}
FORMS = {b.REJECT: Form.REJECT, b.APPROVAL: Form.APPROVAL, b.WORKAROUND: Form.WORKAROUND,
         b.DEV: Form.DEVELOPMENT, b.DEV_RETURN: Form.RETURN, b.QUOTE: Form.QUOTE,
         b.NOTE: Form.NOTE}
"""The use case each button's form serves: core says whether the ticket can take it now."""


def form(ctx: Ctx, slack_id: str, tid: int, name: str, channel: str | None,
         thread: str | None, typed: str | None = None,
         kept: billing.Shown | None = None, token: str | None = None) -> dict[str, Any]:
    """The modal a card's button opens, in the agent's language (only they see it); the
    solution's also asks the origin (R22). Shown again (form_again), it starts with what the
    agent `typed` and the origin and quote they changed (`kept`), saying why; `token`: the
    refused note it offers (kept_form)."""
    lang = language_of(ctx, agent(ctx, slack_id))
    try:  # a button of an outdated card is refused at once, not after the agent wrote the form
        ticket = as_agent(ctx, slack_id, form_ticket, tid, FORMS[name])
    except InvalidTransition as err:
        raise _outdated(ctx, slack_id, tid, err, "slack.refuse.outdated_card") from None
    if name == b.NOTE and token is None:
        token = _note_form(ctx, slack_id, tid)
    origins, suggested, origin = origin_choices(ctx, ticket) if name == b.APPROVAL \
        else ([], None, None)
    start = origin or suggested
    shown = (start.id if start else None, ticket.billing_quote) \
        if name in (b.APPROVAL, b.QUOTE) else None
    kept_origin, kept_quote = kept or (None, None)
    picked = next((o for o in origins if o.id == kept_origin), start)
    notice = t("slack.modal.changed", lang, number=ticket.number) if kept else None
    return m.text_modal(name, tid, ticket.number, multiline=name not in (b.REJECT, b.QUOTE),
                        optional=name in OPTIONAL, channel=channel, thread_ts=thread,
                        lang=lang, origins=origins, origin=picked,
                        quote=kept_quote or ticket.billing_quote, shown=shown, text=typed,
                        notice=notice, example=number_example(ctx), kept=token)


def form_again(ctx: Ctx, slack_id: str, tid: int, callback_id: str, channel: str | None,
               thread: str | None, text: str, *rest: Any) -> dict[str, Any]:
    """The form, shown again because a colleague changed its origin or quote meanwhile
    (error.form_changed): the ticket's now, what the agent typed or changed kept."""
    name = next(action for action, callback in m.MODALS.items() if callback == callback_id)
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
    if ticket is None or _noted(ctx, tid, typed):
        return None
    notice = "⚠️ " + esc(refusal) + "\n" + t("slack.modal.dev_as_note", lang,
                                               number=ticket.number)
    return m.text_modal(b.NOTE, tid, ticket.number, channel=channel, thread_ts=thread,
                        lang=lang, text=typed, notice=notice)


def _noted(ctx: Ctx, tid: int, typed: str) -> bool:
    """Whether the note typed is on the ticket already, forwarded or as an internal note."""
    note = said_in_form(ctx, typed)
    return any(e.text in (note, f"development note={note}")
               for e in ctx.uow.entries.list(tid, include_internal=True))


def note_offer(ctx: Ctx, slack_id: str, tid: int, typed: str, refusal: str
               ) -> list[dict[str, Any]] | None:
    """The Encaminhar form refused after Slack closed it (a slow answer, past the window for
    note_instead): the refusal, the note kept and a button opening *Nota interna* with it
    (R15), the note kept in storage for the button whatever its length. None when that note
    is on the ticket already."""
    lang = language_of(ctx, agent(ctx, slack_id))
    ticket = ctx.uow.tickets.read(tid)
    if ticket is None or _noted(ctx, tid, typed):
        return None
    token = secrets.token_urlsafe(16)
    kept = SlackKeptNote(token=token, ticket_id=tid, slack_id=slack_id, text=typed,
                         kept_at=ctx.now)
    ctx.uow.slack_kept_notes.keep(kept)  # type: ignore[attr-defined]
    return b.kept_note(tid, ticket.number, refusal, typed, token, lang)


def kept_form(ctx: Ctx, slack_id: str, tid: int, value: str, channel: str | None,
              thread: str | None, saved: bool = True) -> dict[str, Any] | Told:
    """The *Nota interna* form a refusal's button opens with the note kept (`value`: its token,
    or, `saved` False, the note itself, as buttons were posted before); Told instead when that
    note was added already, by this button (pressed again) or in the card's *Nota interna*.
    Only an agent learns anything of the note or its ticket."""
    agent(ctx, slack_id)
    notes = ctx.uow.slack_kept_notes  # type: ignore[attr-defined]
    kept = notes.get(value) if saved else None
    ticket = ctx.uow.tickets.read(tid)
    if saved and (kept is None or ticket is None):
        raise NotFound("slack.note.kept_gone", number=ticket.number if ticket else "")
    if kept is not None and kept.ticket_id != tid:
        raise InvalidInput("slack.refuse.other_card")
    text = kept.text if kept is not None else value
    if (kept is not None and kept.used_at is not None) or _noted(ctx, tid, text):
        return Told(_added(ctx, slack_id, tid))
    return form(ctx, slack_id, tid, b.NOTE, channel, thread, text,
                token=kept.token if kept is not None else None)


def _note_form(ctx: Ctx, slack_id: str, tid: int) -> str:
    """The identity of the card's *Nota interna* form the agent opens now, kept unused: the
    same for every press until one of its forms adds a note (a `!nota` typed in the thread
    meanwhile changes nothing), then the next one."""
    agent(ctx, slack_id)
    prefix = f"card:{tid}:{slack_id}:"
    kept = ctx.uow.slack_kept_notes.starting(prefix)  # type: ignore[attr-defined]
    forms = {int(rest): f for f in kept if (rest := f.token.removeprefix(prefix)).isdecimal()}
    last = max(forms, default=-1)
    n = last if last >= 0 and forms[last].used_at is None else last + 1
    token = f"{prefix}{n}"
    ctx.uow.slack_kept_notes.keep_once(SlackKeptNote(  # type: ignore[attr-defined]
        token=token, ticket_id=tid, slack_id=slack_id, text="", kept_at=ctx.now))
    return token


def add_kept_note(ctx: Ctx, actor_id: int, tid: int, text: str, token: str) -> Any:
    """The internal note of a form that carries an identity, added once: a second form of the
    same refusal's button or of the same card's press (on this instance or another), or a
    refused note the ticket has already, is NOTE_ADDED (what else it typed given back)."""
    notes = ctx.uow.slack_kept_notes  # type: ignore[attr-defined]
    ticket = ctx.uow.tickets.read(tid)
    kept = notes.get(token)
    if ticket is not None and kept is not None:
        if kept.ticket_id != tid:
            raise InvalidInput("slack.refuse.other_card")
        fresh = notes.use(token, ctx.now)  # a second form waits here for the first's end
        same = _noted(ctx, tid, text)
        if not fresh or (kept.text and same):
            raise Conflict(NOTE_ADDED, number=ticket.number, typed="" if same else text)
    return tramites.add_internal_note(ctx, actor_id, tid, text)


def _added(ctx: Ctx, slack_id: str, tid: int) -> str:
    """NOTE_ADDED, in the agent's language."""
    ticket = ctx.uow.tickets.read(tid)
    return t(NOTE_ADDED, language_of(ctx, agent(ctx, slack_id)),
             number=ticket.number if ticket is not None else "")


def chosen_origin(tid: int, state: dict[str, Any]) -> str | None:
    """The origin picked in the solution's modal, if it is one of this ticket's options."""
    block = state.get(f"card.{m.ORIGIN_BLOCK}.{tid}", {}).get(b.ORIGIN) or {}
    head, _, origin = ((block.get("selected_option") or {}).get("value") or "").partition(":")
    if head != str(tid):
        raise InvalidInput("error.unknown_choice", level="origin")
    return origin


def choices(ctx: Ctx, slack_id: str, action_id: str, typed: str, tid: int | None = None
            ) -> list[tuple[str, str]]:
    """A long select's options whose words start with the words typed: (label, value)."""
    agent(ctx, slack_id)
    if action_id == b.ASSIGN:
        ticket = ctx.uow.tickets.read(tid) if tid is not None else None
        holder = ticket.assignee_id if ticket is not None else None
        found = [(u.name, str(u.id)) for u in ctx.uow.users.staff() if u.id != holder]
    elif action_id == b.ORIGIN:
        found = [(b.origin_label(o.label, o.covered), o.id)
                 for o in load_coverage(ctx.uow).origins]
    else:
        return []
    wanted = words(typed)
    found = [(label, value) for label, value in found
             if all(any(w.startswith(want) for w in words(label)) for want in wanted)]
    return sorted(found, key=lambda c: c[0].casefold())[:b.MAX_OPTIONS]


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
