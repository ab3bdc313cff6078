"""/ticket relatorio (report): the coordinator's report in Slack, as `helpdesk tickets report`
prints it, for the support team only."""

from __future__ import annotations

from bots.slack.lists import echo
from bots.slack.text import esc
from core.conversation.staff_report import window
from core.errors import NotFound
from core.i18n import t
from core.models import User
from core.report_text import render
from core.services.access import require_staff
from core.services.company_names import company_named
from core.services.context import Ctx
from core.services.report import DEFAULT_DAYS, Report, build, build_month

WORDS = frozenset({"relatorio", "relatório", "report"})
"""The words that ask for the report, in Portuguese and English."""


def report(ctx: Ctx, user: User, word: str, rest: str, lang: str) -> str:
    """The report over the days or the month asked (30 days by default), of the company
    named if any."""
    require_staff(user)  # before any company is looked up
    # the chat's reading: "da semana", "Mercado 7 dias", "novembro Mercado", "mes passado"
    days, month, name = window(ctx, rest)
    company_id = None
    if name:
        try:
            company_id = company_named(ctx, name).id
        except NotFound:
            return t("slack.cmd.report_usage", lang, word=word, extra=esc(echo(name)))
    found: Report = (
        build_month(ctx, user.id, month, company_id, lang) if month
        else build(ctx, user.id, DEFAULT_DAYS if days is None else days, company_id, lang))
    return "```\n" + esc(render(found, ctx.policy.timezone, lang)) + "\n```"
