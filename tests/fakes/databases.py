"""The database kinds a test run covers (HELPDESK_TEST_DB), for conftest and skip marks."""

from __future__ import annotations

import os

import pytest

DB_KINDS = ("sqlite", "postgres")


def db_kinds() -> list[str]:
    """The database kinds HELPDESK_TEST_DB asks for."""
    wanted = os.environ.get("HELPDESK_TEST_DB", "all").strip().lower() or "all"
    kinds = DB_KINDS if wanted == "all" else tuple(k.strip() for k in wanted.split(","))
    unknown = set(kinds) - set(DB_KINDS)
    if unknown:
        raise pytest.UsageError(
            f"HELPDESK_TEST_DB: unknown {sorted(unknown)}; use sqlite|postgres|all"
        )
    return list(kinds)
