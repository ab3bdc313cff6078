"""TELEGRAM_CHAT_PROCESSES: whole chats run in processes of their own (the bot's process only
routes each update to its chat's process); the chats read exactly as in one process, a chat
process that dies is replaced without losing the chat, and a start that cannot work stops with
one line."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes.chat_death import MARKER, main_dies_after_commit, main_slow, main_unreachable
from fakes.chat_ready import REPORT, main_reporting_ready
from telegram_harness import (
    CARLA,
    LOST_ANSWER_OPTIONS,
    RITA,
    TelegramWorld,
    link,
    seed,
    start_and_stop,
    tickets,
    whole_intake,
)

from bots.settings import Settings, SettingsRefused
from bots.telegram import chatprocs
from bots.telegram.chatprocs import Link, chat_of_raw


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_two_customers_open_tickets_at_once_in_two_chat_processes(
        db_url: str, tmp_path: Path, webhook: bool) -> None:
    world = TelegramWorld(db_url, tmp_path, webhook=webhook,
                          extra={"telegram_chat_processes": 2})
    assert CARLA % 2 != RITA % 2  # one chat in each process

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            world.desk.call(link, world.ids["rita"], RITA)
            assert world.channel is not None
            assert world.channel.chats is not None
            pids = world.channel.chats.pids()
            assert len(set(pids)) == 2
            assert os.getpid() not in pids
            carla, rita = world.chat(CARLA), world.chat(RITA)
            if webhook:  # each delivery returns once processed: the two really at once
                numbers = list(await asyncio.gather(whole_intake(carla, "Pedido não confirma"),
                                                    whole_intake(rita, "Caixa travado")))
            else:  # the harness waits for "one more update processed", whoever's
                numbers = [await whole_intake(carla, "Pedido não confirma"),
                           await whole_intake(rita, "Caixa travado")]
            by_number = {t.number: t for t in tickets(world.desk)}
            assert sorted(by_number) == sorted(numbers)
            assert by_number[numbers[0]].assunto == "Pedido não confirma"
            assert by_number[numbers[1]].assunto == "Caixa travado"
            # Each answered question lost its buttons: only the last one has them.
            assert len(carla.with_buttons()) == 1
            assert len(rita.with_buttons()) == 1
            # Every click was answered (the spinner stops), by webhook in the HTTP answer.
            answered = world.api.calls_of("answerCallbackQuery")
            assert len(answered) == 12  # 6 clicks each
            assert {c.via for c in answered} == {"webhook" if webhook else "http"}

    asyncio.run(story())


def test_a_chat_process_ignores_ctrl_c_and_one_that_dies_is_replaced(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path, extra={"telegram_chat_processes": 1})

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("/novo")
            assert carla.button("Suporte")
            assert world.channel is not None
            assert world.channel.chats is not None
            [pid] = world.channel.chats.pids()
            # Ctrl-C reaches the whole process group: the bot's process, not the chat's, decides.
            os.kill(pid, signal.SIGINT)
            await carla.click("Suporte")
            assert carla.button("Vendas")
            assert world.channel.chats.pids() == [pid]
            os.kill(pid, signal.SIGKILL)
            # answered by a new chat process, given the time a start may take (a loaded machine
            # took more than the 20 s of an answer's wait)
            await carla.click("Vendas", within=chatprocs.START_SECONDS)
            assert carla.button("atual")
            assert world.channel.chats.pids() not in ([pid], [None])
            assert "Erro" not in carla.last_text()

    asyncio.run(story())


def test_a_chat_process_killed_after_its_commit_still_answers_at_once_and_once(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step committed (the chat moved on; its answer is in the outbox as a safety net) and
    the process died before sending it: the update goes to the new process as a repeat, which
    sends the answer the step wrote then, not 30 s later by the outbox, and not twice."""
    marker = tmp_path / "die"
    monkeypatch.setenv(MARKER, str(marker))
    monkeypatch.setattr(chatprocs, "_main", main_dies_after_commit)
    world = TelegramWorld(db_url, tmp_path, extra={"telegram_chat_processes": 1},
                          options=LOST_ANSWER_OPTIONS)

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("/novo")
            assert world.channel is not None
            assert world.channel.chats is not None
            [pid] = world.channel.chats.pids()
            marker.touch()
            await carla.click("Suporte", within=chatprocs.START_SECONDS)
            assert not marker.exists()  # the chat process died after the commit
            assert world.channel.chats.pids() != [pid]
            assert carla.button("Vendas")  # at once
            await world.drain_outbox()
            asked = [m for m in carla.with_buttons()
                     if any("Vendas" in b["text"] for row in m["reply_markup"]["inline_keyboard"]
                            for b in row)]
            assert len(asked) == 1
            await carla.click("Vendas")
            assert carla.button("atual")
            assert "Erro" not in carla.last_text()

    asyncio.run(story())


def test_a_chat_process_does_the_hosts_start_up_work_before_it_says_ready(
        sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the host's own process does at start (Host.start), so no update pays it: the
    holiday data loaded (not inside the first registration's transaction, with the database's
    turn held), SQLite's checkpoints left to the host's scheduler (not inside a commit), and
    the heap built by the start frozen (each full collection scanned its ~140k objects again,
    ~50 ms, four times in a 500-intake burst)."""
    found = ready_report(sqlite_url, tmp_path, monkeypatch)
    assert found["frozen"] > 10_000
    assert found["holidays"]
    assert found["wal_autocheckpoint"] == 0


def test_a_chat_process_builds_no_http_client_for_get_updates(
        sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The router fetches the updates: PTB's default getUpdates client (httpx, its TLS
    context) cost each chat process ~90 ms of CPU at start and ~1 MB, never used."""
    assert ready_report(sqlite_url, tmp_path, monkeypatch)["httpx_clients"] == 0


def ready_report(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What a chat process's start left in place, as it said it was ready (fakes.chat_ready)."""
    report = tmp_path / "ready.json"
    monkeypatch.setenv(REPORT, str(report))
    monkeypatch.setattr(chatprocs, "_main", main_reporting_ready)
    world = TelegramWorld(url, tmp_path, extra={"telegram_chat_processes": 1})

    async def story() -> None:
        async with world:
            pass

    asyncio.run(story())
    found: dict[str, Any] = json.loads(report.read_text())
    return found


def test_chat_processes_need_a_database_they_can_share() -> None:
    with pytest.raises(SettingsRefused, match="TELEGRAM_CHAT_PROCESSES: TELEGRAM_CHAT_PROCESSES "
                       "precisa de um arquivo de banco ou de PostgreSQL"):
        Settings(_env_file=None, database_url="sqlite://",  # type: ignore[call-arg]
                 telegram_chat_processes=2)


def test_an_update_goes_to_the_process_of_its_chat() -> None:
    message = {"update_id": 1, "message": {"message_id": 5, "chat": {"id": 42}}}
    edited = {"update_id": 2, "edited_message": {"message_id": 5, "chat": {"id": 42}}}
    click = {"update_id": 3, "callback_query": {"id": "q", "from": {"id": 42},
                                                "message": {"chat": {"id": 42}}}}
    inline = {"update_id": 4, "callback_query": {"id": "q", "from": {"id": 42}}}
    assert {chat_of_raw(u) for u in (message, edited, click, inline)} == {42}
    assert chat_of_raw({"update_id": 5, "poll": {}}) == 0
    assert chat_of_raw({"update_id": 6, "message": {"chat": {"id": "42"}}}) == 0  # forged


@pytest.mark.timeout(30)
def test_a_link_to_a_chat_process_never_blocks_on_a_full_pipe() -> None:
    """Both sides send while the other is busy: a blocking send on a full pipe (~200 KB) would
    stop this loop for ever, as two processes each waiting for the other to read would."""
    import multiprocessing

    async def story() -> None:
        mine, theirs = multiprocessing.Pipe()
        left, right = await Link.over(mine), await Link.over(theirs)
        big = ("update", {"update_id": 1, "message": {"text": "x" * 100_000}})
        for _ in range(50):  # 5 MB each way, nobody reading yet
            left.send(big)
            right.send(big)
        assert [await right.recv() for _ in range(50)] == [big] * 50
        assert [await left.recv() for _ in range(50)] == [big] * 50
        left.close()
        assert await right.recv() is None  # the other side is gone
        right.close()

    asyncio.run(story())



@pytest.mark.parametrize(("language", "line"), [
    ("pt_BR", "erro: um processo de conversas do Telegram (TELEGRAM_CHAT_PROCESSES=1) não "
              "conseguiu abrir DATABASE_URL"),
    ("en", "error: a Telegram chat process (TELEGRAM_CHAT_PROCESSES=1) could not open "
           "DATABASE_URL"),
])
def test_a_chat_process_that_cannot_open_the_database_stops_the_start_with_one_line(
        new_db_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        language: str, line: str) -> None:
    monkeypatch.setattr(chatprocs, "_main", main_unreachable)
    world = TelegramWorld(new_db_url("sqlite"), tmp_path,
                          extra={"telegram_chat_processes": 1, "language": language})
    with pytest.raises(SystemExit) as stopped:
        start_and_stop(world)
    said = str(stopped.value.code)
    assert said.startswith(line), said
    assert "127.0.0.1" in said
    assert "\n" not in said
    assert "TELEGRAM_CHAT_PROCESSES=0" in said


@pytest.mark.parametrize(("language", "line"), [
    ("pt_BR", "erro: um processo de conversas do Telegram (TELEGRAM_CHAT_PROCESSES=2) não "
              "iniciou: não ficou pronto em 1 s"),
    ("en", "error: a Telegram chat process (TELEGRAM_CHAT_PROCESSES=2) did not start: not "
           "ready within 1 s"),
])
def test_chat_processes_not_ready_in_time_stop_the_start_with_one_line(
        new_db_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        language: str, line: str) -> None:
    """Each owns its share of the chats, so the start waits for all of them: one that is not
    up in time (the machine overloaded) stops it."""
    monkeypatch.setattr(chatprocs, "START_SECONDS", 1.0)
    monkeypatch.setattr(chatprocs, "_main", main_slow)
    world = TelegramWorld(new_db_url("sqlite"), tmp_path,
                          extra={"telegram_chat_processes": 2, "language": language})
    with pytest.raises(SystemExit) as stopped:
        start_and_stop(world)
    said = str(stopped.value.code)
    assert said.startswith(line), said
    assert "\n" not in said
    assert "TELEGRAM_CHAT_PROCESSES=0" in said
