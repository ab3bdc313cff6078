"""A deep link's payload (t.me/<bot>?start=202611_0001): the ticket it names (R8)."""

from __future__ import annotations

import re

from core.conversation.replies import Command, UserInput
from core.textmatch import ascii_digits

_TICKET = re.compile(r"(?:t(?:icket)?[_-]?)?(\d{6})[_-]?(\d{1,6})", re.IGNORECASE)
"""A payload takes only A-Z, a-z, 0-9, '_' and '-': 202611_0001, 2026110001, ticket_202611_0001."""


def ticket_number(user_input: UserInput) -> str | None:
    """The number (YYYYMM/NNNN) of the ticket `/start <payload>` names, else None."""
    if user_input.command != Command.START or not user_input.arg:
        return None
    found = _TICKET.fullmatch(ascii_digits(user_input.arg.strip()))
    return None if found is None else f"{found.group(1)}/{int(found.group(2)):04d}"


def as_request(user_input: UserInput) -> UserInput:
    """`/start 202611_0001` as `/ticket 202611/0001`; any other input as it is."""
    number = ticket_number(user_input)
    if number is None:
        return user_input
    return UserInput.of_command(Command.TICKET, number).model_copy(
        update={"said": user_input.said})
