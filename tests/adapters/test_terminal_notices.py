"""The terminal chat shows its person's notices, as Telegram and Slack push them (R7, R19)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_terminal_typed import DRAFT, T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from bots.scheduler import Scheduler
from bots.terminal.chat import TerminalChat
from core.i18n import render_notification
from core.outbox import Channel, DeliveryStatus, OutboxMessage
from core.services import closing, handling, intake, tramites
from storage.outbox_sql import OutboxQueue


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def _chat(desk: Desk, user_id: int, tmp_path: Path, typed: str) -> str:
    """The transcript of a terminal session fed `typed`."""
    out = io.StringIO()
    TerminalChat(desk, user_id, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(typed), stdout=out).run()
    return out.getvalue()


def _terminal_rows(desk: Desk) -> list[OutboxMessage]:
    with desk.store() as uow:
        return [m for m in uow.outbox.all() if m.channel == Channel.TERMINAL]


def test_r7_r19_the_agents_answer_and_the_approval_asked_show_at_the_next_session_once(
        desk: Desk, tmp_path: Path) -> None:
    """Carla, on no chat platform, talks in the terminal: Ana's trâmite and the approval she
    asked reached her only by e-mail; the terminal chat said nothing of them."""
    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    _chat(desk, carla.id or 0, tmp_path, "sair\n")
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(tramites.add_tramite, ana.id, ticket.id, "Reinstale o pacote 2026.11.3, por favor.")
    desk.call(closing.request_approval, ana.id, ticket.id, "Corrigido no pacote 2026.11.3.",
              origin_id="erro_sistema")
    waiting = _terminal_rows(desk)
    assert waiting
    assert all(m.target == str(carla.id) for m in waiting)

    shown = _chat(desk, carla.id or 0, tmp_path, "sair\n")
    for message in waiting:
        text = render_notification(message.kind, message.params, "pt_BR")[1]
        assert t("terminal.notice", "pt_BR", text=text) in shown
    assert "Reinstale o pacote 2026.11.3" in shown
    assert shown.index("Reinstale o pacote") < shown.index("• " + ticket.number)  # then R10
    assert {m.status for m in _terminal_rows(desk)} == {DeliveryStatus.SENT}
    assert "Reinstale o pacote" not in _chat(desk, carla.id or 0, tmp_path, "sair\n")


def test_r7_a_notice_written_during_the_session_shows_at_the_next_turn(
        desk: Desk, tmp_path: Path) -> None:
    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)

    class Agent(io.StringIO):
        """Carla's typing; Ana answers while Carla reads the menu."""

        def readline(self, size: int | None = -1) -> str:
            line = super().readline()
            if line == "ajuda\n":
                desk.call(tramites.add_tramite, ana.id, ticket.id, "Pode testar agora?")
            return line

    out = io.StringIO()
    TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=Agent("ajuda\nsair\n"), stdout=out).run()
    shown = out.getvalue()
    assert "Pode testar agora?" in shown
    assert shown.index("Pode testar agora?") > shown.index("> ajuda")


def test_r7_people_who_never_used_the_terminal_or_read_telegram_get_no_terminal_notice(
        desk: Desk, tmp_path: Path) -> None:
    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(tramites.add_tramite, ana.id, ticket.id, "Pode testar agora?")
    assert _terminal_rows(desk) == []


def test_r7_notices_unread_in_the_terminal_past_outbox_keep_days_go_at_the_housekeeping(
        desk: Desk, tmp_path: Path) -> None:
    """Carla talked in the terminal once, ten days ago, and has not come back: Ana's trâmite
    of then waited there for her, in the outbox, for good. The housekeeping removes it as it
    does the delivered rows older than OUTBOX_KEEP_DAYS (7): she had it by e-mail, and her next
    session does not open with ten-day-old news. Yesterday's notice still shows."""
    now = datetime.now(UTC)
    then = desk.at(now - timedelta(days=10))
    carla, ana = carla_and_ana(desk)
    ticket = then.call(intake.open_ticket, carla.id, DRAFT)
    _chat(then, carla.id or 0, tmp_path, "sair\n")
    then.call(handling.take, ana.id, ticket.id)
    then.call(tramites.add_tramite, ana.id, ticket.id, "Reinstale o pacote 2026.11.3.")
    desk.at(now - timedelta(days=1)).call(tramites.add_tramite, ana.id, ticket.id,
                                          "Pode testar agora?")
    old = [m for m in _terminal_rows(desk) if m.created_at < now - timedelta(days=7)]
    assert old

    engine = desk.store.engine  # type: ignore[attr-defined]
    assert asyncio.run(Scheduler(desk, queue=OutboxQueue(engine)).housekeeping()) >= len(old)

    waiting = _terminal_rows(desk)
    assert waiting
    assert {m.id for m in waiting}.isdisjoint(m.id for m in old)
    shown = _chat(desk.at(now), carla.id or 0, tmp_path, "sair\n")
    assert "Pode testar agora?" in shown
    assert "Reinstale o pacote" not in shown
    with desk.store() as uow:  # the e-mail of it waits for its sender as before
        assert any(m.channel == Channel.EMAIL and "Reinstale o pacote" in str(m.params)
                   for m in uow.outbox.all())
