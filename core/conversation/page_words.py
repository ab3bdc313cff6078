"""The next or previous page of a list asked in words ("próximo", "mais", "next page"): on
every paged list of the chat, as its ◀ ▶ buttons (the queue, the listing, an agent's
worklists, the knowledge base's results)."""

from __future__ import annotations

import re

from core.conversation_state import ConversationState
from core.errors import InvalidInput

PAGED = frozenset({"queue.view", "list.view", "work.view", "kb.results"})
NEXT_WORDS = frozenset({
    "proximo", "proxima", "proximos", "proximas", "mais", "ver mais", "mostrar mais",
    "mais tickets", "seguinte", "seguintes", "avancar", "adiante", "proxima pagina",
    "pagina seguinte", "proxima tela", "next", "more", "next page", "show more", "see more",
    "more please", "forward"})
PREV_WORDS = frozenset({
    "anterior", "anteriores", "pagina anterior", "voltar pagina", "voltar uma pagina",
    "previous", "prev", "previous page", "page back", "back a page"})


PAGE_NUMBER = re.compile(
    r"(?:ir para a |ir pra |ver a |go to |a )?(?:pagina|pag|page)\.? ?(\d{1,4})")
"""A page named by its number: "página 2", "pag 3", "page 2"."""


def move(state: ConversationState, folded: str, offered: set[str]) -> str | None:
    """"next", "prev" or "page:N" for words naming a page move at a paged list whose button
    for it is offered (a page's number, at a list of several); past the last (or before the
    first) page, said so; None for other words."""
    if state.step not in PAGED:
        return None
    named = PAGE_NUMBER.fullmatch(folded)
    if named is not None and offered & {"next", "prev"}:
        return f"page:{int(named.group(1))}"
    value = "next" if folded in NEXT_WORDS else "prev" if folded in PREV_WORDS else None
    if value is None or value in offered:
        return value
    if not offered & {"next", "prev"}:
        return None  # a list of one page: the words mean what they meant before
    raise InvalidInput("conv.list.last_page" if value == "next" else "conv.list.first_page")


def turned(value: str, page: int) -> int | None:
    """The page (from 0) a move asks for from `page`: "next", "prev" or "page:N" (a page past
    the last is the last: each list clamps it); None for any other value."""
    if value in ("next", "prev"):
        return max(0, page + (1 if value == "next" else -1))
    number = value.removeprefix("page:")
    if value.startswith("page:") and number.isdecimal():
        return max(0, int(number) - 1)
    return None
