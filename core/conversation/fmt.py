"""Small text helpers shared by the flows: dates, labels, previews, ticket lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from core.conversation.turn import Turn
from core.i18n import label, local_time, t, when
from core.markdown_text import agent_plain
from core.models import Attachment, Priority, Ticket, User
from core.services import approval_clock
from core.services.context import Ctx


def preview(text: str | None, limit: int = 300) -> str:
    """Cut a long text for a chat message, marking the cut."""
    value = (text or "").strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def ends(text: str | None, limit: int = 300) -> str:
    """A long text's beginning and end, the middle cut (marked): what was added last shows."""
    value = (text or "").strip()
    if len(value) <= limit:
        return value
    head = limit // 3
    return value[:head].rstrip() + " […] " + value[head - limit + 5:].lstrip()


NAME_SHOWN = 48
"""The longest a file's name is shown in a list of files (stored whole)."""
NAME_HEAD, NAME_TAIL, AROUND = 16, 8, 6
"""Of names alike but in the middle: the start and the stem's end shown, and the characters
shown either side of where they differ."""


def file_names(files: Sequence[Attachment], limit: int = NAME_SHOWN) -> str:
    """Files' names for a message ("Anexos até agora", "Recebi", a trâmite's files), each
    long one cut as short_names does."""
    return ", ".join(short_names([a.filename for a in files], limit))


def short_names(names: Sequence[str], limit: int = NAME_SHOWN) -> list[str]:
    """Files' names as shown, a long one cut in its middle with its extension kept; names
    that differ still differ (more of each end kept until they do)."""
    for tail in range(12, limit, 6):
        shown = [_short_name(name, limit + tail - 12, tail) for name in names]
        if len(set(shown)) == len(set(names)):
            return shown
    alike = {short: sorted({n for n, s in zip(names, shown, strict=True) if s == short})
             for short in shown}  # differing in the middle only: cut around where they do
    shown = [short if len(alike[short]) == 1 else _around(name, alike[short])
             for name, short in zip(names, shown, strict=True)]
    return shown if len(set(shown)) == len(set(names)) else list(names)


def name_shown(name: str) -> str:
    """One file's name as shown, cut as in a list."""
    return _short_name(name, NAME_SHOWN, 12)


def _around(name: str, alike: list[str]) -> str:
    """A name alike others (sorted) but in its middle: its start, "…", the stretch where the
    names differ, "…", its stem's end and extension; the same stretch of each, so they differ."""
    def common(a: str, b: str) -> int:
        return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                    min(len(a), len(b)))
    first = common(alike[0], alike[-1])  # where any two differ first, and the latest such
    last = max(common(a, b) for a, b in zip(alike, alike[1:], strict=False))
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    ext = f".{ext}" if ext else ""
    start, end = max(first - AROUND, 0), last + AROUND
    head = stem[:NAME_HEAD] + "…" if start > NAME_HEAD + 1 else ""
    tail = "…" + stem[-NAME_TAIL:] if end < len(stem) - NAME_TAIL - 1 else stem[end:]
    return f"{head}{stem[start if head else 0:end]}{tail}{ext}"


def _short_name(name: str, limit: int, tail: int) -> str:
    """A name of more than `limit` characters as its start, "…", its stem's last `tail`
    characters and its extension (one of up to 10 characters)."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    ext = f".{ext}" if ext else ""
    tail = min(tail, limit - len(ext) - 2)
    head = limit - len(ext) - tail - 1
    return f"{stem[:head]}…{stem[len(stem) - tail:]}{ext}"


def phone_shown(phone: str, lang: str | None = None) -> str:
    """A stored phone as people write it: a Brazilian one "(11) 98765-4321" or "(11) 3456-7890",
    any other as stored ("+351912345678"); its extension after it ("ramal 21")."""
    phone, _, ext = phone.partition(";ext=")
    local = phone.removeprefix("+55") if phone.startswith("+55") else ""
    if len(local) in (10, 11) and local.isdecimal() and local[0] != "0":
        phone = f"({local[:2]}) {local[2:-4]}-{local[-4:]}"
    return f"{phone} {t('fmt.phone_ext', lang, ext=ext)}" if ext else phone


def joined(before: str | None, text: str) -> str:
    """A message added on a line of its own to what was said before it; one sent again as it
    ended (a resend, an impatient repeat) is not added twice."""
    said = text.strip()
    if before and said and before.rstrip().endswith(said):
        return before
    return "\n".join(filter(None, [before, said]))


def fit(text: str, limit: int) -> str:
    """The most of a text that fits in limit characters, cut at the end of a line or sentence
    when one is near the limit."""
    value = text.strip()
    if len(value) <= limit:
        return value
    head = value[:limit]
    cut = max(head.rfind("\n"), head.rfind(". ") + 1)
    return head[:cut].rstrip() if cut > limit * 0.8 else head.rstrip()


def fit_told(turn: Turn, text: str, key: str) -> str:
    """The text, or past the policy's limit what fits of it, with a line (key) saying where it
    stops: a pasted log is kept, not refused whole."""
    value, limit = text.strip(), turn.ctx.policy.text_max
    if len(value) <= limit:
        return value
    kept = fit(value, limit)
    turn.say(key, length=len(value), kept=len(kept), end=preview(kept[-60:].lstrip(), 60))
    return kept


def at(turn: Turn, value: datetime | None) -> str:
    """A date and time in the support timezone, in the user's format."""
    return when(value, turn.lang, turn.ctx.policy.timezone)


def prazo_note(ticket: Ticket, lang: str | None, tz: str) -> str:
    """Why a ticket's prazo is what it is, said beside its date: on hold while a proposal
    awaits the customer (R13, R16), or the definitive fix's after a workaround (R12)."""
    if ticket.prazo_paused_at:
        return t("fmt.prazo_paused", lang)
    if ticket.workaround_at and ticket.is_open:
        return t("fmt.prazo_workaround", lang, dt=when(ticket.workaround_at, lang, tz))
    return ""


def workaround_line(turn: Turn, ticket: Ticket) -> str | None:
    """When a workaround went, and the definitive fix since or still to come (R12)."""
    if ticket.workaround_at and ticket.awaiting_since:
        return turn.t("conv.ticket.workaround_then_fix", date=at(turn, ticket.workaround_at),
                      fixed=at(turn, ticket.awaiting_since))
    if ticket.workaround_at and ticket.is_open:
        return turn.t("conv.ticket.workaround", date=at(turn, ticket.workaround_at))
    return None


def due_text(turn: Turn, ticket: Ticket) -> str:
    """The prazo de entrega as a ticket's page shows it: its date, said to wait while a
    proposal awaits the customer (R13, R16); before anyone took it, when it will be set."""
    if ticket.due_at is None:
        return turn.t("conv.ticket.no_due") if ticket.is_open else "—"
    due = at(turn, ticket.due_at)
    if ticket.overdue(turn.ctx.now):  # the team is late on it (R13)
        return turn.t("conv.ticket.due_late", due=due)
    return turn.t("conv.ticket.due_paused", due=due) if ticket.prazo_paused_at else due


def auto_close_line(turn: Turn, ticket: Ticket) -> str:
    """When a ticket awaiting approval closes as approved if its customer stays silent, in the
    days and date the request's e-mail says (R21, R14)."""
    ctx = turn.ctx
    closes = approval_clock.closes_at(ctx, ticket) or approval_clock.calendar_for(
        ctx.policy.timezone).next_opening(ctx.now + timedelta(days=ctx.policy.autoclose_days))
    left = max(0, approval_clock.days_between(ctx, ctx.now, closes))
    key = "conv.closing.closes_in" if left else "conv.closing.closes_today"
    return turn.t(key, days=left, date=at(turn, closes))


def waiting_since(since: datetime, now: datetime, lang: str, tz: str) -> str:
    """How long a ticket has awaited approval, exactly: 'desde hoje às 08:00', 'desde ontem às
    23:10', 'há 12 dias (desde 02/12 às 10:00)'. The days are the dates R21's counts use, so
    after midnight a bare 'há 1 dia' misread a few hours as 24."""
    local, today = local_time(since, tz), local_time(now, tz)
    if local is None or today is None:
        return "—"
    days = max(0, (today.date() - local.date()).days)
    key = {0: "fmt.since_today", 1: "fmt.since_yesterday"}.get(days, "fmt.since_days")
    return t(key, lang, days=days, dt=local)


def weekday_at(turn: Turn, value: datetime) -> str:
    """E.g. 'segunda-feira, 30/11 às 08:00', or 'hoje às 13:30', 'amanhã às 08:00'."""
    return day_at(value, turn.ctx.now, turn.lang, turn.ctx.policy.timezone)


def day_at(value: datetime, now: datetime, lang: str, tz: str) -> str:
    """weekday_at without a turn."""
    local, today = local_time(value, tz), local_time(now, tz)
    if local is None or today is None:
        return "—"
    days = (local.date() - today.date()).days
    if days in (0, 1):
        return t("fmt.today_at" if days == 0 else "fmt.tomorrow_at", lang, dt=local)
    return t("fmt.weekday_at", lang, day=t(f"weekday.{local.weekday()}", lang), dt=local)


def priority_text(ticket: Ticket, lang: str | None = None) -> str:
    """Padrão, or Crítico with the manual's reason for it (R12)."""
    text = label("priority", ticket.priority, lang)
    if ticket.priority == Priority.CRITICAL and ticket.critical_reason:
        text = f"🚨 {text} — {label('critical_reason', ticket.critical_reason, lang)}"
    return text


def status(turn: Turn, ticket: Ticket, spot: str | None = None) -> str:
    """The status as the manual names it, with the justificativa when there is one: an
    agent's words, in plain words or, given a spot, that spot where a page puts them (R6)."""
    text = label("status", ticket.status, turn.lang)
    if not ticket.justificativa:
        return text
    return f"{text} ({spot or agent_plain(ticket.justificativa)})"


ASSUNTO_SHOWN = 80
HOLDER_SHOWN = 24


class Names(NamedTuple):
    """The names a page of tickets shows, by id, each kind read at once."""

    people: dict[int, str]
    companies: dict[int, str]


def page_names(ctx: Ctx, reader: User, tickets: Sequence[Ticket],
               with_companies: bool | None = None) -> Names:
    """The names of a listing's page (R6: the manual's "Responsável"): who handles each open
    ticket someone has and, to a customer, who asked each one they did not; each ticket's
    company to staff (or as `with_companies` says). One read of people and one of companies
    for the page, not one a ticket."""
    people = {k.assignee_id for k in tickets if k.assignee_id and k.is_open}
    if not reader.is_staff:
        people |= {k.requester_id for k in tickets if k.requester_id != reader.id}
    shown = reader.is_staff if with_companies is None else with_companies
    companies = {k.company_id for k in tickets} if shown else set()
    return Names(ctx.uow.users.names(people) if people else {},
                 ctx.uow.companies.names(companies) if companies else {})


def held_by(names: Names, reader: User, ticket: Ticket, lang: str | None) -> str:
    """" · com Bruno Suporte" for an open ticket someone handles ("você" to an agent for their
    own), the name cut by person_shown; nothing for one nobody has or a closed one."""
    if not ticket.is_open or not ticket.assignee_id:
        return ""
    if reader.is_staff and ticket.assignee_id == reader.id:
        return t("conv.list.with", lang, name=t("conv.list.you", lang))
    name = names.people.get(ticket.assignee_id)
    return t("conv.list.with", lang, name=person_shown(name)) if name else ""


def person_shown(name: str) -> str:
    """A name short enough for a listing's line: the first and the last of its words
    ("Maria Caroline dos Santos Costa" is "Maria Costa"), cut at HOLDER_SHOWN."""
    words = name.split()
    return preview(" ".join(words[:1] + words[1:][-1:]), HOLDER_SHOWN)


def ticket_line(turn: Turn, ticket: Ticket, names: Names | None = None) -> str:
    """One line of a listing: critical ones marked (R12); whose it is when it may not be the
    reader's (the company for staff, the requester in a company's listing); who handles it,
    its characters taken from the assunto's: no line grows. The names from `names`
    (page_names of the page), else read for this ticket."""
    names = names or page_names(turn.ctx, turn.user, [ticket])
    handled = held_by(names, turn.user, ticket, turn.lang)
    line = turn.t("conv.list.line", number=ticket.number, status=label("status", ticket.status,
                  turn.lang), assunto=preview(ticket.assunto, ASSUNTO_SHOWN - len(handled)))
    if ticket.priority == Priority.CRITICAL and ticket.is_open:
        line = "🚨 " + line
    if turn.user.is_staff:
        company = names.companies.get(ticket.company_id)
        line += f" · {company}" if company else ""
    elif ticket.requester_id != turn.user.id:
        requester = names.people.get(ticket.requester_id)
        line += turn.t("conv.list.by", name=requester) if requester else ""
    line += handled
    if ticket.due_at and ticket.is_open:
        late = ticket.overdue(turn.ctx.now)  # said, as the team's Atrasados counts it (R13)
        line += turn.t("conv.list.due_late" if late else "conv.list.due",
                       due=at(turn, ticket.due_at))
    return line
