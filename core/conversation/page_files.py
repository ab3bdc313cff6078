"""The files' names on a ticket's page (R4): each cut as the lists cut it, those past the
page's room counted ("e mais N"), so that the page is one Telegram message."""

from __future__ import annotations

from collections.abc import Sequence

from core.conversation.fmt import short_names
from core.conversation.turn import Turn
from core.models import Entry

PAGE_ROOM = 4000
"""The most a ticket's page takes: one Telegram message (4 096 characters), less a margin."""
FILES_LEAST = 120
"""What a trâmite's files take at least, whatever the rest of the page: a name or two."""


def files_within(turn: Turn, names: Sequence[str], room: int) -> tuple[str, int]:
    """The names as the lists show them, as many as fit in `room` characters, the others
    counted ("e mais N"): the line and how many it counts instead of naming."""
    shown = short_names(names)
    line = ", ".join(shown)
    if len(line) <= room:
        return line, 0
    kept: list[str] = []
    room -= len(turn.t("conv.files.more", count=len(shown)))
    while len(", ".join([*kept, shown[len(kept)]])) + 2 <= room:
        kept.append(shown[len(kept)])
    left = len(shown) - len(kept)
    return ", ".join([*kept, turn.t("conv.files.more", count=left)]), left


def page_files(turn: Turn, entries: Sequence[Entry], used: int) -> tuple[list[str], bool]:
    """Each trâmite's files for the page, sharing what the rest of it (`used` characters)
    leaves of PAGE_ROOM, a trâmite's room unused passed on to the next; and whether any
    name was left out (the whole thread then names it)."""
    waiting = sum(1 for e in entries if e.attachments)
    room = PAGE_ROOM - used - waiting * len(turn.t("conv.ticket.entry_files", files=""))
    lines: list[str] = []
    cut = False
    for entry in entries:
        if not entry.attachments:
            lines.append("")
            continue
        line, left = files_within(turn, [a.filename for a in entry.attachments],
                                  max(room // waiting, FILES_LEAST))
        lines.append(line)
        room, waiting, cut = room - len(line), waiting - 1, cut or left > 0
    return lines, cut
