"""A colleague's ticket at the approval (R8, R19): a user of the same company may answer it
(approval is final), so whose ticket it is is named at the question and in what is done, and
the requester hears of the answer (services.notify)."""

from __future__ import annotations

from core.conversation.turn import Turn
from core.models import Ticket


def requester(turn: Turn, ticket: Ticket) -> str | None:
    """The requester's name when the ticket is a colleague's, else None (one's own)."""
    if ticket.requester_id == turn.user.id:
        return None
    found = turn.ctx.uow.users.get(ticket.requester_id)
    return found.name if found is not None else None


def line(turn: Turn, ticket: Ticket) -> str:
    """"Este ticket foi aberto por João Lima, que recebe o aviso da sua resposta.", before a
    colleague's approval question; nothing for one's own ticket."""
    name = requester(turn, ticket)
    return "" if name is None else turn.t("conv.closing.colleague_ticket", name=name)


def say_done(turn: Turn, key: str, ticket: Ticket) -> None:
    """What was done to the ticket, naming whose it is when it is a colleague's."""
    name = requester(turn, ticket)
    if name is None:
        turn.say(key, number=ticket.number)
    else:
        turn.say(f"{key}_for", number=ticket.number, name=name)
