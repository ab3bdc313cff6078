"""An agent's ticket action typed while words for the ticket wait to be sent (R6, R7, R12):
"assumir" takes the ticket and the words still wait; "enviar solução" offers them as the
solution; any other action waits until they are sent or discarded. Never joined to them."""

from __future__ import annotations

from core.conversation import staff_words, ticket_actions, ticket_said, ticket_staff
from core.conversation.ticket_tramite import UNSENT, busy, files_of, shown_ticket_id
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput
from core.services import queries, tramites
from core.textmatch import fold


def on_action_typed(turn: Turn, text: str) -> bool:
    """Act on a ticket action typed at the words on offer; False when the text names none."""
    folded = " ".join(fold(text).strip(" .!?").split())
    if not turn.user.is_staff or len(folded.split()) > 4:  # the page's labels are shorter
        return False
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    page = {fold(label): value for label, value in
            ticket_staff.staff_choices(turn, ticket) + ticket_actions.page_choice(turn, ticket)}
    action = page.get(folded) or ("take" if staff_words.takes(folded) else None)
    if action is None and not staff_words.names_action(folded):
        return False
    if action == "take":
        ticket_staff.on_staff(turn, "take")  # the page shown again: back to the words
        turn.go("ticket.said")
        return True
    said = turn.section("tramite").get("said") or ""
    if action == "solution" and said and not _a_note(turn, said) and not files_of(turn):
        turn.leave("tramite")
        turn.section("solution")["text"] = said
        turn.go("ticket.solution")  # shown to keep or replace: nothing sent yet
        return True
    raise InvalidInput(UNSENT, command=text.strip())


def _a_note(turn: Turn, said: str) -> bool:
    """Whether the words on offer are meant for the team only (never a solution)."""
    section = turn.section("tramite")
    return bool(section.get("note") or section.get("note_only") or tramites.split_note(said)[0])


def on_said_words(turn: Turn, text: str) -> None:
    """Words typed where words wait to be sent: a ticket action, else as ticket_said reads them."""
    if not on_action_typed(turn, text):
        ticket_said.on_said_text(turn, text)


register(
    Step("ticket.said", ticket_said.ask_said, on_choice=ticket_said.on_said,
         on_text=on_said_words, on_files=ticket_said.on_said_files, busy=busy, busy_key=UNSENT),
)
