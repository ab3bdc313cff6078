"""Listings of tickets (/ticket fila, meus, busca...) and the App Home tab, each line with its
Abrir button."""

from __future__ import annotations

from datetime import datetime

from bots.slack.buttons import OPEN, TAKE_NEXT, button
from bots.slack.text import Block, mrkdwn, plain, verbatim
from core.i18n import label, t, when
from core.models import Priority, Ticket


def ticket_line(ticket: Ticket, company: str = "", tz: str = "America/Sao_Paulo",
                lang: str | None = None, holder: str = "", now: datetime | None = None
                ) -> str:
    """One ticket in a listing: number, status, assunto, company, who handles it (`holder`,
    mrkdwn already), prazo (said past, as of `now`, when the team is late on it: R13)."""
    late = now is not None and ticket.overdue(now)
    prazo = t("slack.cmd.line_prazo_late" if late else "slack.cmd.line_prazo", lang,
              due=when(ticket.due_at, lang, tz)) if ticket.due_at else ""
    return t("slack.cmd.line", lang,
             critical="🚨 " if ticket.priority == Priority.CRITICAL else "",
             number=ticket.number, status=label("status", ticket.status, lang),
             assunto=verbatim(ticket.assunto), empresa=verbatim(company), holder=holder,
             prazo=prazo)


def ticket_list(title: str, lines: list[tuple[int, str]], lang: str | None = None,
                total: int | None = None, more: bool = False) -> list[Block]:
    """A titled listing of (ticket id, line) pairs, each line with an Abrir button (20 lines
    take 22 of a message's 50 blocks); it says when `total` had more (`more`: a search that
    stopped counting at `total`)."""
    if not lines:
        return [{"type": "section", "text": mrkdwn(title)},
                {"type": "section", "text": mrkdwn(t("slack.cmd.empty", lang))}]
    blocks: list[Block] = [{"type": "section", "text": mrkdwn(title)}]
    blocks += [{"type": "section", "text": mrkdwn(f"• {line}"),
                "accessory": button("slack.btn.open", OPEN, tid, lang)} for tid, line in lines]
    if total is not None and total > len(lines):
        said = t("slack.cmd.more_than" if more else "slack.cmd.more", lang, shown=len(lines),
                 total=total)
        blocks.append({"type": "section", "text": mrkdwn(said)})
    return blocks


def home_view(counts: dict[str, int], queue: list[tuple[int, str]],
              mine: list[tuple[int, str]], customer: bool = False, lang: str | None = None,
              totals: tuple[int, int] | None = None, overdue: int | None = None) -> Block:
    """The App Home tab: counts (for agents, the overdue too; for customers, the closed too), own
    tickets, and (for agents) the queue and the other views of /ticket; `totals` are how many
    tickets the two listings were cut from."""
    mine_title = t("slack.home.mine_customer" if customer else "slack.home.mine", lang)
    mine_total, queue_total = totals or (None, None)
    header = t("slack.home.counts", lang, **counts)
    if overdue is not None:
        header += "   " + t("slack.home.overdue", lang, overdue=overdue)
    if customer:  # their first screen's map: open, in attendance and closed (R9)
        header += "   " + t("slack.home.closed", lang, **counts)
    blocks: list[Block] = [
        {"type": "header", "text": plain(t("slack.home.title", lang), 150)},
        {"type": "section", "text": mrkdwn(header)},
        {"type": "divider"},
        *ticket_list(mine_title, mine, lang, mine_total),
    ]
    if not customer:
        take_next = {"type": "button", "text": plain(t("conv.queue.take_next", lang)),
                     "action_id": TAKE_NEXT, "value": "next", "style": "primary"}
        blocks += [{"type": "divider"},
                   *ticket_list(t("slack.home.queue", lang), queue, lang, queue_total),
                   {"type": "actions", "elements": [take_next]},
                   {"type": "context", "elements": [mrkdwn(t("slack.home.views", lang))]}]
    return {"type": "home", "blocks": blocks}
