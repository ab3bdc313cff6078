"""The team's worklists in an agent's chat, as Slack's /ticket atrasados, aprovacao and meus
give them: the same tickets in the same order, a page at a time (R12, R13, R19, R21)."""

from __future__ import annotations

from core.conversation import page_words
from core.conversation.fmt import Names, page_names, preview, waiting_since
from core.conversation.staff_queue import holder, on_list_words, overdue_by, waited
from core.conversation.ticket_view import show
from core.conversation.turn import IDLE, Step, Turn, register
from core.i18n import label, t, when
from core.models import Priority, Ticket
from core.services import worklists
from core.services.approval_clock import closes_at, days_between
from core.services.context import Ctx
from core.services.queries import Page

PAGE_SIZE = 5
KINDS = ("atrasados", "aprovacao", "meus", "livres")
"""Past their prazo, the most overdue first (R13); awaiting the customer's approval, the
longest silent first (R19, R21); the agent's open tickets, the newest first (R6); the
queue's tickets nobody has taken, in its order (R12)."""


def silence(ctx: Ctx, ticket: Ticket, lang: str) -> str:
    """How long the customer has been silent and when R21 closes the ticket as approved."""
    since = ticket.awaiting_since or ticket.updated_at
    silent = t("slack.cmd.silent", lang,
               since=waiting_since(since, ctx.now, lang, ctx.policy.timezone))
    closes = closes_at(ctx, ticket) or ctx.now
    if closes <= ctx.now:
        return f"{silent} · {t('slack.cmd.closes_now', lang)}"
    # Counted as the customer's request and reminders count them (R21).
    left = days_between(ctx, ctx.now, closes)
    date = when(closes, lang, ctx.policy.timezone)
    if not left:
        return f"{silent} · " + t("slack.cmd.closes_today", lang, date=date)
    return f"{silent} · " + t("slack.cmd.closes_in", lang, days=left, date=date)


def page_of(ctx: Ctx, actor_id: int, kind: str, page: int, size: int = PAGE_SIZE,
            agent_id: int | None = None) -> Page:
    """Page `page` (0 the first) of one worklist, as Slack's /ticket lists it; "meus" of
    another agent (`agent_id`), as /ticket agente."""
    if kind == "atrasados":
        return worklists.overdue(ctx, actor_id, size, page)
    if kind == "aprovacao":
        return worklists.awaiting_approval(ctx, actor_id, size, page)
    if kind == "livres":
        return worklists.unassigned(ctx, actor_id, size, page)
    return worklists.assigned_to(ctx, actor_id, agent_id or actor_id, size, page)


def after(ctx: Ctx, kind: str, ticket: Ticket, lang: str, names: Names) -> str:
    """What a worklist says after a ticket: how overdue and who has it (from the page's
    names), how long the customer has been silent, or how long it has waited."""
    if kind == "atrasados":
        return t("slack.cmd.overdue_by", lang, late=overdue_by(ctx, ticket, lang)) \
            + holder(names, ticket, lang)
    if kind == "aprovacao":
        return silence(ctx, ticket, lang)
    return waited(ctx, ticket, lang)


def _line(turn: Turn, kind: str, ticket: Ticket, names: Names) -> str:
    line = turn.t("conv.work.line", number=ticket.number,
                  company=names.companies.get(ticket.company_id, "—"),
                  status=label("status", ticket.status, turn.lang),
                  assunto=preview(ticket.assunto, 60),
                  after=after(turn.ctx, kind, ticket, turn.lang, names))
    return ("🚨 " if ticket.priority == Priority.CRITICAL else "") + line


def ask_work(turn: Turn) -> None:
    """One page of the worklist, each ticket a button that opens its page (back here)."""
    section, uid = turn.section("work"), turn.user.id or 0
    kind = str(section.get("kind")) if section.get("kind") in KINDS else KINDS[0]
    agent = turn.ctx.uow.users.get(section["agent_id"]) \
        if kind == "meus" and section.get("agent_id") else None
    at = max(0, int(section.get("page") or 0))
    found = page_of(turn.ctx, uid, kind, at, agent_id=agent.id if agent else None)
    if not found.tickets and at > 0:  # past the end (fewer since): its last page
        at = max(0, found.pages - 1)
        found = page_of(turn.ctx, uid, kind, at, agent_id=agent.id if agent else None)
    section.update(kind=kind, page=at)
    key = f"conv.work.{'agent' if agent else kind}"  # another agent's: with their name
    text = turn.t(f"{key}.empty", name=agent.name if agent else "")
    if found.tickets:
        header = turn.t(f"{key}.header", total=found.total, page=at + 1, pages=found.pages,
                        days=turn.ctx.policy.autoclose_days, name=agent.name if agent else "")
        names = page_names(turn.ctx, turn.user, found.tickets)  # one read of each kind
        text = header + "\n\n" + "\n".join(_line(turn, kind, k, names) for k in found.tickets)
    choices = [(("🚨 " if k.priority == Priority.CRITICAL else "") + k.number, f"t:{k.id}")
               for k in found.tickets]
    if at > 0:
        choices.append((turn.t("conv.list.prev"), "prev"))
    if at + 1 < found.pages:
        choices.append((turn.t("conv.list.next"), "next"))
    choices += [(turn.t(f"conv.work.{other}.button"), f"work:{other}")
                for other in KINDS if other != kind or agent]
    choices += [(turn.t("conv.menu.queue"), "queue"), (turn.t("conv.menu.back"), "menu")]
    turn.ask("work.view", text, choices)


def on_work(turn: Turn, value: str) -> None:
    """Open a ticket, turn a page, go to another worklist or the queue, or leave."""
    section = turn.section("work")
    if value.startswith("t:") and value[2:].isdecimal():
        show(turn, int(value[2:]), back="work.view")
    elif (to := page_words.turned(value, int(section.get("page") or 0))) is not None:
        section["page"] = to
        turn.go("work.view")
    elif value.removeprefix("work:") in KINDS:
        section.update(kind=value.removeprefix("work:"), page=0, agent_id=None)
        turn.go("work.view")
    elif value == "queue":
        turn.section("queue")["page"] = 0
        turn.go("queue.view")
    else:
        turn.go(IDLE)


def on_work_text(turn: Turn, text: str) -> None:
    """Words at a worklist, as at the queue (staff_queue.on_list_words): "meus" at the overdue
    ones, "tickets da Carla", "0004"."""
    on_list_words(turn, text, on_work)


register(Step("work.view", ask_work, on_choice=on_work, on_text=on_work_text, requests=True,
              back="menu"))
