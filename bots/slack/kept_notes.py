"""Internal notes whose form carries an identity, added once: the card's *Nota interna*
pressed twice (on this instance or another), and a refused Encaminhar's note kept for the
button that offers it (R7, R15)."""

from __future__ import annotations

import secrets
from typing import Any

from bots.slack import buttons as b
from bots.slack.people import agent, said_in_form
from core.conversation.engine import language_of
from core.errors import Conflict, InvalidInput, NotAllowed
from core.i18n import t
from core.services import tramites
from core.services.context import Ctx
from storage.extras import SlackKeptNote

NOTE_ADDED = "slack.note.already_added"
"""A refused note offered by a button, already added to the ticket: nothing added again."""


class NotYours(NotAllowed):
    """A kept note's button or form pressed or sent by an agent it was not offered to."""

    key = "slack.note.not_yours"


def own(kept: SlackKeptNote, slack_id: str | None, number: str) -> None:
    """NotYours unless the kept note (a refusal's button, a card's note form) is this
    agent's: another's, forwarded or forged, neither opens nor adds it nor uses it up."""
    if kept.slack_id != slack_id:
        raise NotYours(number=number)


def noted(ctx: Ctx, tid: int, typed: str) -> bool:
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
    if ticket is None or noted(ctx, tid, typed):
        return None
    token = secrets.token_urlsafe(16)
    kept = SlackKeptNote(token=token, ticket_id=tid, slack_id=slack_id, text=typed,
                         kept_at=ctx.now)
    ctx.uow.slack_kept_notes.keep(kept)  # type: ignore[attr-defined]
    return b.kept_note(tid, ticket.number, refusal, typed, token, lang)


def card_note_form(ctx: Ctx, slack_id: str, tid: int) -> str:
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
    refused note the ticket has already, is NOTE_ADDED (what else it typed given back);
    another agent's form is NotYours."""
    notes = ctx.uow.slack_kept_notes  # type: ignore[attr-defined]
    ticket = ctx.uow.tickets.read(tid)
    kept = notes.get(token)
    if ticket is not None and kept is not None:
        if kept.ticket_id != tid:
            raise InvalidInput("slack.refuse.other_card")
        actor = ctx.uow.users.get(actor_id)
        own(kept, actor.slack_id if actor is not None else None, ticket.number)
        fresh = notes.use(token, ctx.now)  # a second form waits here for the first's end
        same = noted(ctx, tid, text)
        if not fresh or (kept.text and same):
            raise Conflict(NOTE_ADDED, number=ticket.number, typed="" if same else text)
    return tramites.add_internal_note(ctx, actor_id, tid, text)


def added(ctx: Ctx, slack_id: str, tid: int) -> str:
    """NOTE_ADDED, in the agent's language."""
    ticket = ctx.uow.tickets.read(tid)
    return t(NOTE_ADDED, language_of(ctx, agent(ctx, slack_id)),
             number=ticket.number if ticket is not None else "")
