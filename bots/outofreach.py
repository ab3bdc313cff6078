"""Why a service is out of reach at start, in LANGUAGE: the library's own reason is English (and
says little to an operator), so the line says it in words of the catalog (reach.*) and keeps the
library's text as a detail line under it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from core.i18n import t

KINDS = (
    ("db_not_ready", ("the database system is",)),
    ("db_full", ("too many clients", "remaining connection slots")),
    ("refused", ("connection refused", "connect call failed", "econnrefused")),
    ("timeout", ("timed out", "timeout")),
    ("name", ("name or service not known", "nodename nor servname", "name resolution",
              "could not translate host name", "failed to resolve", "getaddrinfo",
              "no address associated")),
    ("network", ("network is unreachable", "no route to host", "host is unreachable")),
)
"""The library's words (psycopg, aiohttp, httpx, the system's) and the kind each tells."""
ANSWERED = re.compile(r"\d{3}\b")
"""A reason that starts with an HTTP status: something answered, with an error page."""


def why(reason: str, lang: str) -> str:
    """What went wrong, in the catalog's words (reach.refused…; reach.other for the rest)."""
    low = reason.lower()
    if ANSWERED.match(reason):
        return t("reach.answered", lang)
    for kind, words in KINDS:
        if any(w in low for w in words):
            return t(f"reach.{kind}", lang)
    return t("reach.other", lang)


def without_secrets(url: str) -> str:
    """A URL without its user and password (a proxy's, say): scheme, host, port and path."""
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))
