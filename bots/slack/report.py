"""/ticket relatorio (report): the coordinator's report in Slack, as `helpdesk tickets report`
prints it, for the support team only."""

from __future__ import annotations

import re

from bots.slack.lists import echo
from bots.slack.text import esc
from core.errors import NotFound
from core.i18n import t
from core.models import User
from core.report_text import render
from core.services.access import require_staff
from core.services.company_names import company_named
from core.services.context import Ctx
from core.services.report import DEFAULT_DAYS, build

WORDS = frozenset({"relatorio", "relatório", "report"})
"""The words that ask for the report, in Portuguese and English."""
ASKED = re.compile(r"(?:(\d{1,9})(?:\s*(?:dias?|days?)\b)?)?\s*(.*)", re.S | re.I)
"""`/ticket relatorio [N [dias]] [EMPRESA]`: the days and the company's name."""


def report(ctx: Ctx, user: User, word: str, rest: str, lang: str) -> str:
    """The report over the days asked (30 by default), of the company named if any."""
    require_staff(user)  # before any company is looked up
    asked = ASKED.fullmatch(rest.strip())
    days, name = (asked.group(1), asked.group(2).strip()) if asked else (None, rest.strip())
    company_id = None
    if name:
        try:
            company_id = company_named(ctx, name).id
        except NotFound:
            return t("slack.cmd.report_usage", lang, word=word, extra=esc(echo(name)))
    found = build(ctx, user.id, int(days) if days else DEFAULT_DAYS, company_id, lang)
    return "```\n" + esc(render(found, ctx.policy.timezone, lang)) + "\n```"
