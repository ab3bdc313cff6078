"""A service out of reach at start is said in LANGUAGE: what went wrong in the catalog's words,
the library's English reason kept apart (bots.outofreach)."""

from __future__ import annotations

import pytest

from bots.outofreach import why, without_secrets
from core.i18n import t


@pytest.mark.parametrize(("reason", "kind"), [
    ('connection failed: connection to server at "127.0.0.1", port 5499 failed: Connection '
     "refused Is the server running on that host and accepting TCP/IP connections?", "refused"),
    ("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 5498)", "refused"),
    ("Timed out", "timeout"),
    ('connection failed: could not translate host name "db.interno" to address: Name or '
     "service not known", "name"),
    ("ClientConnectorError: Cannot connect to host api.telegram.org:443 ssl:default [Network "
     "is unreachable]", "network"),
    ("503 Service Unavailable: '<html>…'", "answered"),
    ("connection failed: FATAL:  the database system is starting up", "db_not_ready"),
    ("connection failed: FATAL:  sorry, too many clients already", "db_full"),
    ("All connection attempts failed", "other"),
])
@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_the_librarys_reason_is_said_in_the_language(reason: str, kind: str, lang: str) -> None:
    assert why(reason, lang) == t(f"reach.{kind}", lang)


def test_a_url_loses_its_user_and_password() -> None:
    assert without_secrets("https://bot:SEGREDO@proxy.interno:8443/tg") == \
        "https://proxy.interno:8443/tg"
    assert without_secrets("https://api.telegram.org") == "https://api.telegram.org"
