"""A ticket's whole thread (R7): the descrição and every trâmite in full (internal notes too,
for staff), for what the page cuts short."""

from __future__ import annotations

from core.conversation import ticket_tramite
from core.conversation.fmt import at, file_names
from core.conversation.runs import Runs
from core.conversation.ticket_said import on_view_files
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.ticket_view import author_of, on_view_words, shown_entries
from core.conversation.turn import IDLE, Step, Turn, register
from core.models import EntryKind
from core.services import queries
from core.services.reference import load_coverage
from core.services.system_lines import system_text

THREAD_MAX = 50
"""The latest trâmites shown in full; a longer thread says how many came before."""


def _course(turn: Turn, view: queries.TicketView) -> dict[int, str]:
    """The system lines the user reads (who took the ticket, the correction package...), in
    words, by entry id."""
    origins = {o.id: o.shown(turn.lang) for o in load_coverage(turn.ctx.uow).origins}
    out = {}
    for entry in view.entries:
        if entry.kind == EntryKind.SYSTEM:
            text = system_text(entry, view.authors.get(entry.author_id or 0), origins,
                               turn.lang, for_customer=not turn.user.is_staff)
            if text:
                out[entry.id or 0] = text
    return out


def ask_thread(turn: Turn) -> None:
    """Every public trâmite of the ticket, in full (the channel splits long messages), with
    the ticket's course between them."""
    view = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))
    entries = shown_entries(view)
    course = _course(turn, view)
    runs = Runs(turn.lang)
    runs.add("\n".join([turn.t("conv.thread.title", number=view.ticket.number,
                                total=len(entries)), "", turn.t("conv.thread.descricao"),
                         view.ticket.descricao]))
    if len(entries) > THREAD_MAX:
        runs.add("\n" + turn.t("conv.thread.earlier", count=len(entries) - THREAD_MAX))
    shown = entries[-THREAD_MAX:]
    since = shown[0].created_at if len(entries) > THREAD_MAX else None
    for entry in sorted([*shown, *(e for e in view.entries if (e.id or 0) in course)],
                        key=lambda e: (e.created_at, e.id or 0)):
        if entry.kind == EntryKind.SYSTEM:
            if since is None or entry.created_at >= since:
                runs.add("\n\n" + turn.t("conv.thread.event", when=at(turn, entry.created_at),
                                          text=course[entry.id or 0]), breaks=True)
            continue
        runs.add("\n\n" + turn.t("conv.thread.entry", when=at(turn, entry.created_at),
                                  author=author_of(turn, view, entry)) + "\n", breaks=True)
        runs.add(entry.text or "—", typed=bool(entry.text) and entry.author_id in view.staff)
        if entry.attachments:
            files = file_names(entry.attachments)
            runs.add("\n" + turn.t("conv.thread.files", files=files))
    choices = []
    if view.ticket.is_open:
        choices.append((turn.t("conv.ticket.add_tramite"), "tramite"))
    choices += [(turn.t("conv.tramite.back"), "view"), (turn.t("conv.menu.back"), "menu")]
    turn.ask("ticket.thread", runs.text, choices, pieces=runs.pieces)


def on_thread(turn: Turn, value: str) -> None:
    """Write a trâmite, or go back to the ticket's page or the menu."""
    if value == "tramite":
        ticket_tramite.begin(turn, shown_ticket_id(turn))
        turn.go("ticket.tramite")
    elif value == "view":
        turn.go("ticket.view")
    else:
        turn.go(IDLE)


register(Step("ticket.thread", ask_thread, on_choice=on_thread, on_text=on_view_words,
              on_files=on_view_files, back="view"))  # sent: offered as at the ticket's page
