"""The next or previous page of a list asked in words ("próximo", "mais", "next page"): on
every paged list of the chat, as its ◀ ▶ buttons (the queue, the listing, an agent's
worklists, the knowledge base's results)."""

from __future__ import annotations

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


def move(state: ConversationState, folded: str, offered: set[str]) -> str | None:
    """"next" or "prev" for words naming a page move at a paged list whose button for it is
    offered; past the last (or before the first) page, said so; None for other words."""
    if state.step not in PAGED:
        return None
    value = "next" if folded in NEXT_WORDS else "prev" if folded in PREV_WORDS else None
    if value is None or value in offered:
        return value
    if not offered & {"next", "prev"}:
        return None  # a list of one page: the words mean what they meant before
    raise InvalidInput("conv.list.last_page" if value == "next" else "conv.list.first_page")
