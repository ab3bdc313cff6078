"""The agents' queue in the chat (R12): critical first, then first come, first served."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from core.calendar import BusinessCalendar
from core.conversation import following, following_words, listing_whose, page_words, typed
from core.conversation.fmt import Names, page_names, preview
from core.conversation.listing_words import filters_named
from core.conversation.matching import match_words
from core.conversation.replies import NEXT
from core.conversation.staff_words import TAKE_NUMBER
from core.conversation.ticket_view import open_by_number, show
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import InvalidInput
from core.i18n import label, t
from core.models import Priority, Ticket
from core.services import worklists
from core.services.context import Ctx
from core.services.numbers import PADDED_END
from core.services.sweeps import calendar_for
from core.services.take_next import take_next
from core.textmatch import fold

PAGE_SIZE = 5


def begin(turn: Turn, arg: str = "") -> None:
    """Show the queue from its head, or take its next ticket nobody has ("fila proximo");
    it is the team's, not the customers'."""
    if not turn.user.is_staff:
        raise InvalidInput("conv.queue.staff_only")
    turn.section("queue")["page"] = 0
    if fold(arg) in (NEXT, "next"):
        on_queue(turn, "take_next")
        return
    turn.go("queue.view")


def size_key(key: str, size: worklists.QueueSize) -> str:
    """The text that tells the queue's size: empty, all taken, or with some nobody has taken
    (the agent's greeting and the queue's header say the same)."""
    if size.total == 0:
        return f"{key}.empty"
    return key if size.unassigned else f"{key}.all_taken"


def waited(ctx: Ctx, ticket: Ticket, lang: str) -> str:
    """How long the ticket has waited since it was opened, in business time only (R14):
    minutes, hours, or dias úteis of 8 h 30 min; nights, weekends and holidays do not count."""
    calendar = calendar_for(ctx.policy.timezone)
    spent = max(timedelta(0), calendar.business_time_between(ticket.opened_at, ctx.now))
    if spent < timedelta(minutes=1) and not calendar.is_open(ticket.opened_at):
        return t("conv.queue.after_hours", lang)
    return _ago(calendar, spent, lang)


def overdue_by(ctx: Ctx, ticket: Ticket, lang: str) -> str:
    """How long ago the ticket's prazo de entrega passed, in business time only (R13, R14)."""
    calendar = calendar_for(ctx.policy.timezone)
    due = ticket.due_at or ctx.now
    return _ago(calendar, max(timedelta(0), calendar.business_time_between(due, ctx.now)), lang)


def _ago(calendar: BusinessCalendar, spent: timedelta, lang: str) -> str:
    minutes = int(spent.total_seconds()) // 60
    if minutes == 0:
        return t("conv.queue.just_now", lang)
    if minutes < 60:
        return t("conv.queue.minutes", lang, minutes=minutes)
    if spent < calendar.day_length:
        return t("conv.queue.hours", lang, hours=minutes // 60)
    return t("conv.queue.days", lang, days=spent // calendar.day_length)


def holder(names: Names, ticket: Ticket, lang: str) -> str:
    """" · com Ana Atendente" (from the page's names), or " · sem responsável" when nobody has
    taken the ticket yet."""
    name = names.people.get(ticket.assignee_id or 0)
    if name is not None:
        return t("conv.queue.with", lang, name=name)
    return t("conv.queue.unassigned", lang) if ticket.assignee_id is None else ""


def queue_line(turn: Turn, ticket: Ticket, names: Names) -> str:
    """A queue line: 🚨 when critical, company, status, how long it has waited, who has it
    (or that nobody has taken it yet); the names from page_names."""
    line = turn.t("conv.queue.line", number=ticket.number,
                  company=names.companies.get(ticket.company_id, "—"),
                  status=label("status", ticket.status, turn.lang),
                  assunto=preview(ticket.assunto, 60),
                  waited=waited(turn.ctx, ticket, turn.lang))
    line += holder(names, ticket, turn.lang)
    return ("🚨 " if ticket.priority == Priority.CRITICAL else "") + line


def ask_queue(turn: Turn) -> None:
    """One page of the queue in its order, each ticket a button that opens its page."""
    section, uid = turn.section("queue"), turn.user.id or 0
    size = worklists.queue_size(turn.ctx, uid)
    pages = max(1, -(-size.total // PAGE_SIZE))
    page = section["page"] = min(max(0, int(section.get("page") or 0)), pages - 1)
    found = worklists.queue(turn.ctx, uid, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    text = turn.t("conv.queue.empty")
    if found:
        header = turn.t(size_key("conv.queue.header", size), total=size.total,
                        unassigned=size.unassigned, page=page + 1, pages=pages)
        names = page_names(turn.ctx, turn.user, found)  # one read of each kind
        text = header + "\n\n" + "\n".join(queue_line(turn, k, names) for k in found)
    choices = [(("🚨 " if k.priority == Priority.CRITICAL else "") + k.number, f"t:{k.id}")
               for k in found]
    if size.unassigned:  # the next one nobody has, taken in one go (R12)
        choices.append((turn.t("conv.queue.take_next"), "take_next"))
    if page > 0:
        choices.append((turn.t("conv.list.prev"), "prev"))
    if page + 1 < pages:
        choices.append((turn.t("conv.list.next"), "next"))
    choices += [(turn.t("conv.menu.tickets_staff"), "tickets"), (turn.t("conv.menu.back"), "menu")]
    turn.ask("queue.view", text, choices)


def on_queue(turn: Turn, value: str) -> None:
    """Open a ticket (its page comes back here), take the next one nobody has, turn a page, go
    to the listing, or leave."""
    section = turn.section("queue")
    if value.startswith("t:") and value[2:].isdecimal():
        show(turn, int(value[2:]), back="queue.view")
    elif value == "take_next":
        taken = take_next(turn.ctx, turn.user.id or 0, took_by_press=lambda just: just.id
                          != turn.state.data.get("took_by_page"))  # its page's Assumir: meant
        turn.say("conv.queue.took_next", number=taken.number)
        show(turn, taken.id or 0, back="queue.view")
    elif (to := page_words.turned(value, int(section.get("page") or 0))) is not None:
        section["page"] = to
        turn.go("queue.view")
    elif value == "tickets":
        following.begin(turn)
    else:
        turn.go(IDLE)


def listing_typed(turn: Turn, text: str) -> bool:
    """An agent's listing asked in words at a list of buttons ("tickets da Carla", "tickets
    nota", "do Mercado Exemplo"): that listing, as at the menu, never the Tickets button's
    every ticket; "faturáveis" those outside the contract (R23); False for other words."""
    named = filters_named(text) or {}
    if following_words.without_command(text) == text and listing_whose.whose(turn, text) is None \
            and not named.get("billable"):
        return False
    following.begin(turn, text[:200])
    return True


def on_list_words(turn: Turn, text: str, on_choice: Callable[[Turn, str], None]) -> None:
    """Words at the queue or a worklist: a worklist's or a colleague's ("atrasados", "tickets
    da Ana") show it, a listing's ("tickets da Carla") that listing, as at the menu; else the
    option they name ("0004", a ticket's button), the end of a number not listed its page, or
    a sentence searched for."""
    if following_words.worklist(turn, text) or listing_typed(turn, text):
        return
    if (number := TAKE_NUMBER.fullmatch(fold(text).strip())) is not None:
        open_by_number(turn, number.group(1))  # its page, Assumir on it: never the next one
        return
    if (named := match_words(turn.state, text)) is not None:
        on_choice(turn, named)
    elif PADDED_END.fullmatch(text.strip()):
        open_by_number(turn, text.strip())
    elif not typed.not_a_choice(turn, text):
        raise InvalidInput("conv.error.choose")


def on_queue_text(turn: Turn, text: str) -> None:
    """Words at the queue (on_list_words)."""
    on_list_words(turn, text, on_queue)


register(Step("queue.view", ask_queue, on_choice=on_queue, on_text=on_queue_text,
              requests=True))
