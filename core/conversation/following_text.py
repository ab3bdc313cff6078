"""The listing's filters and the words that tell them (scope, tab, window, search, order)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.conversation import listing_month, listing_whose
from core.conversation.turn import Turn
from core.i18n import label, local_time
from core.models import Tab

DEFAULTS: dict[str, Any] = {"tab": Tab.ALL.value, "whole": False, "company_id": None,
                            "days": None, "month": None, "text": None, "page": 0,
                            "assigned": False, "requester_id": None,
                            "billable": False}


def filters(turn: Turn) -> dict[str, Any]:
    """The listing's filters, kept across flows so exportar exports what was listed."""
    current = turn.section("list")
    for key, value in DEFAULTS.items():
        current.setdefault(key, value)
    return current


def today(turn: Turn) -> date:
    """The day it is in the team's time zone: what "novembro" and "mês passado" count from."""
    return (local_time(turn.ctx.now, turn.ctx.policy.timezone) or turn.ctx.now).date()


def set_month(turn: Turn, f: dict[str, Any], token: str) -> None:
    """The listing's window: the month a token of listing_month.named means today (R8)."""
    f["month"], f["days"], f["page"] = listing_month.resolved(token, today(turn)), None, 0


def window_text(turn: Turn, f: dict[str, Any]) -> str:
    """The listing's window in words: "novembro de 2026", "últimos 30 dias", "todo o período"."""
    if f["month"]:
        return listing_month.title(f["month"], turn.lang)
    if f["days"]:
        return turn.t("conv.list.window_days", days=f["days"])
    return turn.t("conv.list.window_all")


def queue_order(turn: Turn, f: dict[str, Any]) -> bool:
    """Whether the listing is in the queue's order: an agent's Novos are the team's new work,
    worked first come, first served, a critical one ahead (R12), as Slack's queue shows them."""
    return turn.user.is_staff and f["tab"] == Tab.NEW.value


def _scope_text(turn: Turn, f: dict[str, Any]) -> str:
    if turn.user.is_staff:  # one customer's or company's, if the search named one
        return listing_whose.scope_text(turn, f) or \
            turn.t("conv.list.scope_assigned" if f["assigned"] else "conv.list.scope_all")
    if not f["whole"]:
        return turn.t("conv.list.scope_mine")
    company = turn.ctx.uow.companies.get(f["company_id"] or turn.user.company_ids[0])
    return turn.t("conv.list.scope_company", company=company.name if company else "—")


def described(turn: Turn, key: str, **params: Any) -> str:
    """A text about the listing given its filters in words (scope, tab, window), then the
    search on a line of its own."""
    f = filters(turn)
    text = turn.t(key, scope=_scope_text(turn, f), tab=label("tab", f["tab"], turn.lang),
                  window=window_text(turn, f), **params)
    if queue_order(turn, f):
        text += "\n" + turn.t("conv.list.queue_order")
    if f["billable"]:
        text += "\n" + turn.t("conv.list.billable_only")
    if f["text"]:
        text += "\n" + turn.t("conv.list.searching", text=f["text"])
    return text
