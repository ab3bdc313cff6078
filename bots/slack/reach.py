"""Slack out of reach at start, said as Telegram's and PostgreSQL's are (bots.outofreach): what
went wrong in LANGUAGE and what to check, slack_sdk's or aiohttp's English on a detail line."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bots.outofreach import why, without_secrets
from core.i18n import t


def reason_of(exc: BaseException) -> str:
    """The library's reason on one line."""
    text = str(exc) if isinstance(exc, SlackApiError) else f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


def why_slack(exc: BaseException, lang: str) -> str:
    """What went wrong, in the catalog's words; a Slack API error by its HTTP status."""
    response = exc.response if isinstance(exc, SlackApiError) else None
    if response is None:
        return why(reason_of(exc), lang)
    if response.status_code == 429:
        return t("reach.slack_busy", lang)
    return t("reach.answered" if response.status_code >= 400 else "reach.slack_error", lang)


def out_of_reach(key: str, exc: BaseException, lang: str, url: str) -> str:
    """The line of catalog key `key` for this failure at SLACK_API_URL `url`."""
    return t(key, lang, url=without_secrets(url), why=why_slack(exc, lang),
             reason=reason_of(exc))
