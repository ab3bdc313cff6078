"""The coordinator's report in the team's chat ("relatório", "relatório 7 dias Mercado"), as
`helpdesk tickets report` prints it and Slack's /ticket relatorio gives it (R13, R18-R23): a
message like ajuda's, the question at hand left as it was."""

from __future__ import annotations

from core.conversation import empty_month, intents, intents_typos, report_words
from core.conversation.fmt import preview
from core.conversation.replies import Command
from core.conversation.turn import Turn
from core.errors import InvalidInput, NotFound
from core.months import title
from core.ports import TicketQuery
from core.report_text import render
from core.services.company_names import company_named
from core.services.context import Ctx
from core.services.intake import plain
from core.services.report import DEFAULT_DAYS, Report, build, build_month

PART = 2500
"""The most characters of the report in one message: Telegram takes 4096 and a Slack section
3000 (escaped, with the block's fences), so each part arrives whole as one monospace block."""


def requested(turn: Turn, text: str) -> tuple[Command, str] | None:
    """The command words typed at a step that takes requests name (intents.command), or a
    staff member's report with a company ("relatório 7 dias Mercado Exemplo"); a customer's
    "relatório" is a word of their own ("preciso de outro relatório")."""
    user = turn.user_or_none
    # a customer's "abrri tiket", "resumu": the request mended (an agent's typo is offered)
    asked = intents.command(text) if user is None or user.is_staff \
        else intents_typos.command(text)
    if asked is None and user is not None and user.is_staff:
        found = report_words.split(text)
        return (Command.REPORT, found[1]) if found is not None else None
    return asked


def show(turn: Turn, arg: str) -> None:
    """The report over the days or the month asked (30 days by default), of the company named
    if any, in as
    many messages as it takes; a company no name matches is said, and nothing is built."""
    user = turn.user
    if not user.is_staff:
        raise InvalidInput("conv.report.staff_only")
    days, month, name = window(turn.ctx, arg)
    company_id = None
    if name:
        try:
            company_id = company_named(turn.ctx, name).id
        except NotFound:
            raise InvalidInput("conv.report.no_company", name=preview(name, 60),
                               said=preview(turn.said.lstrip("/"), 80)) from None
    found: Report = (
        build_month(turn.ctx, user.id, month, company_id, turn.lang) if month
        else build(turn.ctx, user.id, DEFAULT_DAYS if days is None else days, company_id,
                   turn.lang))
    for part in parts(plain(render(found, turn.ctx.policy.timezone, turn.lang))):
        turn.say_text(part, markdown=fenced(part))
    if found.empty and found.month:  # where the tickets are, and how to ask for that month
        near = empty_month.nearest(turn, TicketQuery(company_id=company_id), found.month)
        if near:
            example = turn.t("conv.report.example", month=near[0])
            turn.say_text(empty_month.near_line(turn, near) + " " + turn.t(
                "conv.report.near_example", name=title(near[0], turn.lang), example=example))


def window(ctx: Ctx, arg: str) -> tuple[int | None, str | None, str]:
    """The days or the month (report_words.month_asked) and the company's name the words
    after the report's word ask for; a company's whole name that holds a month's ("relatório
    Maio Distribuidora") is the company's, over the days."""
    month = report_words.month_asked(arg)
    days, name = report_words.asked(arg)
    if month is None or (name and ctx.uow.companies.by_name(name) is not None):
        return days, None, name
    return None, month[0], month[1]


def parts(text: str, size: int = PART) -> list[str]:
    """The text in parts of at most `size` characters: whole sections (between blank lines)
    as many as fit, a section too long cut between its lines, a line too long where it must."""
    pieces: list[str] = []
    for section in text.split("\n\n"):
        pieces += _cut(section, size) if len(section) > size else [section]
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + 2 + len(piece) <= size:
            out[-1] += "\n\n" + piece
        else:
            out.append(piece)
    return out


def _cut(section: str, size: int) -> list[str]:
    """A section in parts of at most `size` characters, between its lines."""
    out: list[str] = []
    for line in section.split("\n"):
        for bit in [line[i:i + size] for i in range(0, len(line), size)] or [""]:
            if out and len(out[-1]) + 1 + len(bit) <= size:
                out[-1] += "\n" + bit
            else:
                out.append(bit)
    return out


def fenced(part: str) -> str:
    """A part as a Markdown code block (monospace: the tables stay aligned), its fence longer
    than any run of backticks in it (a comment may hold some)."""
    longest = max((len(run) for run in part.split("\n") for run in _runs(run)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{part}\n{fence}"


def _runs(line: str) -> list[str]:
    """The runs of backticks in a line."""
    return [run for run in "".join(c if c == "`" else " " for c in line).split() if run]
