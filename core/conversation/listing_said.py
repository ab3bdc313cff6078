"""An agent's words that found no ticket and read as a reply typed in the wrong place (R7):
offered as a trâmite of a ticket named by its number, never lost."""

from __future__ import annotations

from typing import Any

from core.conversation import ticket_said
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput
from core.services import handling, queries
from core.textmatch import ascii_digits

REPLY_WORDS = 6
"""Words from which an agent's search reads as a reply or note, not as words to look for."""


def choices(turn: Turn, f: dict[str, Any]) -> list[tuple[str, str]]:
    """*Enviar como trâmite de um ticket…* for an agent's search of a sentence that found none."""
    text = f.get("text") or ""
    if not turn.user.is_staff or len(text.split()) < REPLY_WORDS:
        return []
    return [(turn.t("conv.list.as_tramite"), "as_tramite")]


def begin(turn: Turn, f: dict[str, Any]) -> None:
    """Keep the words searched and ask which ticket they are for."""
    turn.section("list_said")["text"] = f.get("text") or ""
    turn.go("list.as_tramite")


def ask_which(turn: Turn) -> None:
    """The ticket's number, whole or its end (no button: the terminal's "1" would be one)."""
    turn.ask("list.as_tramite", turn.t("conv.list.as_tramite_which"), expect=Expect.TEXT)


def on_which_text(turn: Turn, typed: str) -> None:
    """Offer the words as that ticket's trâmite (Enviar, nota interna, Descartar)."""
    number = ascii_digits(typed).strip().lstrip("#")[:20]
    seq = handling.typed_end(number)
    if seq is not None:
        found = queries.tickets_by_sequence(turn.ctx, turn.user.id or 0, seq)
        if len(found) != 1:
            raise InvalidInput("conv.list.as_tramite_whole", number=number)
        ticket = found[0]
    else:
        ticket = queries.ticket_by_number(turn.ctx, turn.user.id or 0, number)
    text = turn.section("list_said").get("text") or ""
    turn.leave("list_said")
    ticket_said.offer_on(turn, ticket.id or 0, text, [])


register(Step("list.as_tramite", ask_which, on_text=on_which_text))
