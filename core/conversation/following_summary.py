"""Following tickets, the counts (R9): open, in attendance and closed, own or the whole
company's (the one chosen, for people in several), one step from the listing."""

from __future__ import annotations

from core.conversation import (
    companies,
    following,
    following_words,
    matter,
    menu_typos,
    staff_queue,
)
from core.conversation.matching import match_words
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import InvalidInput
from core.services import queries, worklists
from core.textmatch import fold


def show_summary(turn: Turn, arg: str = "") -> None:
    """Counts of open, in-attendance and closed tickets (R9); "resumo empresa", the whole
    company's (which one, for people in several)."""
    if not turn.user.is_staff and set(fold(arg).split()) & {"empresa", "company"}:
        if len(turn.user.company_ids) > 1:
            turn.go("summary.company")
            return
        turn.section("summary").update(whole=True, company_id=None)
    turn.go("summary.view")


def ask_summary(turn: Turn) -> None:
    """The counts, own or the whole company's."""
    sec = turn.section("summary")
    whole, company_id = bool(sec.get("whole")), sec.get("company_id")
    counts = queries.summary(turn.ctx, turn.user.id or 0, whole_company=whole,
                             company_id=company_id if whole else None)
    choices = []
    if not turn.user.is_staff:
        choices.append((turn.t("conv.list.only_mine" if whole else "conv.list.whole_company"),
                        "scope"))
    tickets = "conv.menu.tickets_staff" if turn.user.is_staff else "conv.menu.tickets"
    choices += [(turn.t(tickets), "tickets"), (turn.t("conv.menu.back"), "menu")]
    text = turn.t("conv.summary", scope=_scope(turn, whole, company_id), **counts)
    if turn.user.is_staff:  # what waits on the team: nobody's yet, past the prazo (R12, R13)
        unassigned = worklists.unassigned_count(turn.ctx, turn.user.id or 0)
        overdue = worklists.overdue_count(turn.ctx, turn.user.id or 0)
        text += "\n" + turn.t("conv.summary.staff", unassigned=unassigned, overdue=overdue)
        choices[:0] = [*([(turn.t("conv.menu.queue"), "queue")] if unassigned else []),
                       *([(turn.t("conv.summary.overdue"), "overdue")] if overdue else [])]
    turn.ask("summary.view", text, choices)


def _scope(turn: Turn, whole: bool, company_id: int | None) -> str:
    if turn.user.is_staff:
        return turn.t("conv.list.scope_all")
    if not whole:
        return turn.t("conv.list.scope_mine")
    company = turn.ctx.uow.companies.get(company_id) if company_id is not None else None
    if company is None:
        return turn.t("conv.list.scope_company_short")
    return turn.t("conv.list.scope_company", company=company.name)


def on_summary(turn: Turn, value: str) -> None:
    """Switch scope, go to the listing, or leave."""
    if value == "scope":
        sec = turn.section("summary")
        if sec.get("whole") or len(turn.user.company_ids) == 1:
            sec["whole"], sec["company_id"] = not sec.get("whole"), None
            turn.go("summary.view")
        else:  # several companies: which one's, as the listing asks (R8)
            turn.go("summary.company")
    elif value == "tickets":
        following.begin(turn)
    elif value == "queue" and turn.user.is_staff:
        staff_queue.begin(turn)
    elif value == "overdue" and turn.user.is_staff:
        following_words.worklist(turn, "atrasados")
    else:
        turn.go(IDLE)


def on_summary_text(turn: Turn, text: str) -> None:
    """Words at the counts: the option they name; an agent's worklist ("atrasados", with or
    without its button) or search, as at the menu; a customer's matter kept and offered as a
    new ticket, as at the menu; else not understood."""
    named = match_words(turn.state, text)
    if named is not None:
        on_summary(turn, named)
    elif following_words.worklist(turn, text) or menu_typos.offer(turn, text):
        return
    elif turn.user.is_staff and matter.is_matter(text):
        following.begin(turn, text)
    elif not matter.offer_typed(turn, text):
        raise InvalidInput("conv.error.choose")


def ask_company(turn: Turn) -> None:
    """Which of the user's companies to count."""
    companies.ask_company(turn, "summary.company", turn.t("conv.summary.ask_company"),
                          [(turn.t("conv.list.only_mine"), "mine")])


def on_company_name(turn: Turn, typed: str) -> None:
    """A typed company name (people in too many companies for buttons)."""
    companies.on_company_name(turn, typed, "summary.company", turn.t("conv.summary.ask_company"),
                              on_company, [(turn.t("conv.list.only_mine"), "mine")])


def on_company(turn: Turn, value: str) -> None:
    """Count the whole chosen company, re-checking membership."""
    sec = turn.section("summary")
    chosen = int(value) if value.isdecimal() and int(value) in turn.user.company_ids else None
    sec["whole"], sec["company_id"] = chosen is not None, chosen
    turn.go("summary.view")


register(Step("summary.view", ask_summary, on_choice=on_summary, on_text=on_summary_text,
              back="menu", plain_requests=True),
         Step("summary.company", ask_company, on_choice=on_company, on_text=on_company_name))
