"""A Telegram chat process (TELEGRAM_CHAT_PROCESSES) that writes down, as it says it is ready,
what its start left in place (tests put it in place of chatprocs._main)."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

from bots.telegram import chatprocs

REPORT = "HELPDESK_TEST_CHAT_READY_REPORT"
"""The environment variable naming the file the report is written to."""


def main_reporting_ready(*args: Any) -> None:
    """The chat process as it is, reporting at its ("ready",): the heap frozen, the holiday
    data loaded, its SQLite connections' wal_autocheckpoint, the httpx clients it built."""
    stores: list[Any] = []
    clients: list[httpx.AsyncClient] = []
    build = httpx.AsyncClient.__init__

    def counted(self: httpx.AsyncClient, *given: Any, **options: Any) -> None:
        clients.append(self)
        build(self, *given, **options)

    class Recorded(chatprocs.SqlStore):
        def __init__(self, *given: Any, **options: Any) -> None:
            super().__init__(*given, **options)
            stores.append(self)

    send = chatprocs.Link.send

    def report_then_send(self: chatprocs.Link, message: tuple[Any, ...]) -> None:
        if message == ("ready",):
            frozen = gc.get_freeze_count()
            with stores[0].engine.connect() as conn:
                pragma = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
            Path(os.environ[REPORT]).write_text(json.dumps({
                "frozen": frozen, "wal_autocheckpoint": pragma, "httpx_clients": len(clients),
                "holidays": sorted(m for m in sys.modules if m.startswith("holidays.countries."))}))
        send(self, message)

    httpx.AsyncClient.__init__ = counted  # type: ignore[method-assign]
    chatprocs.SqlStore = Recorded  # type: ignore[misc]
    chatprocs.Link.send = report_then_send  # type: ignore[method-assign]
    chatprocs._main(*args)
