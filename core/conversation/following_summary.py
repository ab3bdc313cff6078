"""Following tickets, the counts (R9): open, in attendance and closed, own or the whole
company's, one step from the listing."""

from __future__ import annotations

from core.conversation import following
from core.conversation.turn import IDLE, Step, Turn, register
from core.services import queries


def show_summary(turn: Turn) -> None:
    """Counts of open, in-attendance and closed tickets (R9)."""
    turn.go("summary.view")


def ask_summary(turn: Turn) -> None:
    """The counts, own or the whole company's."""
    whole = bool(turn.section("summary").get("whole"))
    counts = queries.summary(turn.ctx, turn.user.id or 0, whole_company=whole)
    scope = turn.t("conv.list.scope_all") if turn.user.is_staff else \
        turn.t("conv.list.scope_company_short" if whole else "conv.list.scope_mine")
    choices = []
    if len(turn.user.company_ids) == 1:
        choices.append((turn.t("conv.list.only_mine" if whole else "conv.list.whole_company"),
                        "scope"))
    tickets = "conv.menu.tickets_staff" if turn.user.is_staff else "conv.menu.tickets"
    choices += [(turn.t(tickets), "tickets"), (turn.t("conv.menu.back"), "menu")]
    turn.ask("summary.view", turn.t("conv.summary", scope=scope, **counts), choices)


def on_summary(turn: Turn, value: str) -> None:
    """Switch scope, go to the listing, or leave."""
    if value == "scope":
        sec = turn.section("summary")
        sec["whole"] = not sec.get("whole")
        turn.go("summary.view")
    elif value == "tickets":
        following.begin(turn)
    else:
        turn.go(IDLE)


register(Step("summary.view", ask_summary, on_choice=on_summary))
