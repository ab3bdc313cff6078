"""A line for the customer typed while an agent's internal note waits (R7): never hidden in
the note; asked whether to send the note and offer the line as a trâmite, join it, or drop it."""

from __future__ import annotations

import re

from core.conversation.ticket_tramite import (
    UNSENT,
    begin,
    busy,
    files_of,
    keep_said,
    shown_ticket_id,
)
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput
from core.services import queries, tramites
from core.textmatch import fold

GREETING = re.compile(r"(?:oi|ola|bom dia|boa tarde|boa noite|prezad[oa]|car[oa]|hi|hello|hey"
                      r"|dear|good (?:morning|afternoon|evening))\b")
"""How a message to the customer starts ("Bom dia Carla", "Olá, …"); notes do not greet."""


def _first_name(turn: Turn) -> str:
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    requester = turn.ctx.uow.users.get(ticket.requester_id)
    return requester.name.split(" ")[0] if requester is not None else ""


def _note_waits(turn: Turn) -> bool:
    section = turn.section("tramite")
    return turn.user.is_staff and (tramites.split_note(section.get("said") or "")[0]
                                   or bool(section.get("note"))) \
        and not section.get("note_only")


def to_customer(turn: Turn, text: str) -> bool:
    """Whether a line typed while a note waits greets or names the ticket's customer."""
    if not _note_waits(turn):
        return False
    folded = fold(text)
    first = fold(_first_name(turn))
    return GREETING.match(folded) is not None or bool(
        first and re.match(rf"{re.escape(first)}\b", folded))


def ask_about(turn: Turn, text: str) -> None:
    """Keep the line aside and ask what to do with it."""
    turn.section("tramite")["aside"] = text
    turn.go("ticket.split")


def ask_split(turn: Turn) -> None:
    """The note waits, the line reads as the customer's: which goes where."""
    aside = turn.section("tramite").get("aside") or ""
    text = "\n".join([turn.t("conv.tramite.said", text=aside),
                      turn.t("conv.tramite.note_then_public", name=_first_name(turn))])
    turn.ask("ticket.split", text, [
        (turn.t("conv.tramite.split_send_note"), "split"),
        (turn.t("conv.tramite.split_join"), "join"),
        (turn.t("conv.tramite.split_drop"), "drop")])


def on_split(turn: Turn, value: str) -> None:
    """Send the note and offer the line; join the line to the note; or drop the line."""
    section = turn.section("tramite")
    aside = section.pop("aside", None)
    if aside is None or value not in ("split", "join", "drop"):
        raise InvalidInput("conv.error.not_offered")
    if value == "join":
        keep_said(turn, aside)
    elif value == "split":
        ticket_id = shown_ticket_id(turn)
        note = tramites.split_note(section.get("said") or "")[1]
        tramites.add_internal_note(turn.ctx, turn.user.id or 0, ticket_id, note or None,
                                   files_of(turn))
        number = queries.detail(turn.ctx, turn.user.id or 0, ticket_id).ticket.number
        turn.say("conv.tramite.note_added", number=number)
        turn.leave("tramite")
        begin(turn, ticket_id)
        keep_said(turn, aside)
    turn.go("ticket.said")


def on_split_text(turn: Turn, text: str) -> None:
    """Words here are the question's: the line waits for a button."""
    raise InvalidInput("conv.error.choose")


register(Step("ticket.split", ask_split, on_choice=on_split, on_text=on_split_text, busy=busy,
              busy_key=UNSENT))
