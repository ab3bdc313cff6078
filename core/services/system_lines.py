"""A thread's system lines (who took the ticket, what changed) in words, as the Slack thread
says them; customers read the ticket's course, not delivery troubles or the team's notes."""

from __future__ import annotations

from core.i18n import has, render_notification
from core.models import Entry, EntryKind
from core.services.tramites import SYSTEM_PARAMS, read_system_entry

CUSTOMER_EVENTS = frozenset({
    "assigned", "unassigned", "estimate", "development", "returned", "priority", "justificativa",
    "rejected_duplicate", "approval_requested", "aprovado", "nao_aprovado",
    "aprovado_com_restricoes", "aprovado_automaticamente", "rated", "rating_comment", "origin",
    "billing_authorized", "billing_refused", "billing_quote", "workaround"})


def tell_course(entries: list[Entry]) -> bool:
    """Whether a thread holds system lines a customer reads (the ticket changed hands, went to
    development, came back with a package...)."""
    return any(e.kind == EntryKind.SYSTEM and read_system_entry(e.text)[0] in CUSTOMER_EVENTS
               for e in entries)


def system_text(entry: Entry, author: str | None, origins: dict[str, str],
                lang: str | None = None, for_customer: bool = False) -> str | None:
    """The line in words; one of an unknown form as stored (None for a customer, and for
    events a customer does not read)."""
    event, params = read_system_entry(entry.text)
    if event not in SYSTEM_PARAMS and not has(f"notify.card.{event}"):
        return None if for_customer else entry.text
    if for_customer and event not in CUSTOMER_EVENTS:
        return None
    values: dict[str, object] = {**params, "event": event, "actor": author}
    if for_customer:
        values["note"] = ""  # what the agent wrote to development is for the team
    if "covered" in params:
        values["covered"] = params["covered"] == "True"
    if "origin" in params:
        values["origin"] = origins.get(params["origin"], params["origin"])
    return render_notification("card", values, lang)[1]
