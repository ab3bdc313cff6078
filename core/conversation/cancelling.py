"""cancelar: leave the flow at hand; what was typed is dropped only once confirmed."""

from __future__ import annotations

from core.conversation import commands, smalltalk
from core.conversation.replies import LEAVE, Expect
from core.conversation.turn import IDLE, STEPS, Step, Turn, register
from core.errors import InvalidInput
from core.textmatch import fold

DISCARD = frozenset({"descartar", "descarta", "confirmo", "discard"})
KEEP = frozenset({"continuar", "voltar", "continue", "back"})
PAGES = frozenset({"ticket.view", "ticket.thread", "ticket.number", "ticket.which"})
"""Steps of the ticket's page itself (or of finding one): cancelling there leaves it."""


def _on_ticket(turn: Turn, step: str | None) -> bool:
    """Whether an agent's step is a question about the ticket shown (its team actions, a
    solution, a trâmite): cancelling it goes back to the ticket's page, not the menu."""
    return turn.user.is_staff and (step or "").startswith("ticket.") and step not in PAGES \
        and bool((turn.state.data.get("ticket") or {}).get("id"))


def cancel(turn: Turn) -> None:
    """Leave the current flow; what was typed is dropped only after a confirmation."""
    state = turn.state
    if state.step == "menu.cancel_confirm":
        discard(turn)
        return
    step = STEPS.get(state.step or "")
    leaving = fold(turn.said.lstrip("/")) in LEAVE  # "sair": a goodbye, not "nada a cancelar"
    if step is None or state.step == IDLE:
        turn.say("conv.smalltalk.bye" if leaving else "conv.cancel.nothing")
        commands.ask_menu(turn)
    elif step.is_busy(state):
        turn.section("cancel")["from"] = state.step
        turn.go("menu.cancel_confirm")
    else:
        turn.say("conv.smalltalk.bye" if leaving else "conv.cancel.done")
        _back(turn, state.step)


def _back(turn: Turn, step: str | None) -> None:
    """The ticket's page after an agent's question about it was cancelled; else the menu."""
    if _on_ticket(turn, step):
        turn.leave(*(s for s in commands.FLOW_SECTIONS if s != "ticket"))  # the page's kept
        turn.go("ticket.view")
    else:
        commands.ask_menu(turn)


def discard(turn: Turn) -> None:
    """Drop what the flow collected and go back to the menu (an agent to the ticket's page)."""
    turn.say("conv.cancel.discarded")
    _back(turn, turn.section("cancel").get("from"))


def ask_confirm(turn: Turn) -> None:
    """Ask whether to drop what was typed."""
    turn.ask("menu.cancel_confirm", turn.t("conv.cancel.confirm"),
             [(turn.t("conv.cancel.yes"), "yes"), (turn.t("conv.cancel.no"), "no")],
             Expect.CONFIRM)


def on_confirm(turn: Turn, value: str) -> None:
    """Yes drops the draft; no goes back to the question it came from."""
    if value == "yes":
        discard(turn)
        return
    back = turn.section("cancel").get("from") or IDLE
    turn.leave("cancel")
    turn.say("conv.cancel.kept")
    turn.go(back if back in STEPS else IDLE)


def on_confirm_text(turn: Turn, text: str) -> None:
    """Accept a typed sim/não ("sim, descartar", "não, continuar")."""
    answer = smalltalk.yes_or_no(text, DISCARD, KEEP)
    if answer is None:
        raise InvalidInput("conv.error.choose")
    on_confirm(turn, "yes" if answer else "no")


register(Step("menu.cancel_confirm", ask_confirm, on_choice=on_confirm, on_text=on_confirm_text,
              busy=lambda _: True))
