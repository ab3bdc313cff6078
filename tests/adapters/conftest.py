"""Fixtures of the adapter tests: loopback without a proxy, a SQLite URL, the Slack runner."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from slack_harness import run  # noqa: F401 (the Slack scenario runner, as a fixture)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake servers listen on 127.0.0.1: never send those requests through a proxy."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def sqlite_url(new_db_url: Callable[[str], str]) -> str:
    """A fresh, migrated SQLite database (for the tests that need no PostgreSQL run)."""
    return new_db_url("sqlite")
