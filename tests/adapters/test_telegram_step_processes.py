"""TELEGRAM_STEP_PROCESSES: the conversation steps run in processes of their own; the chats
read exactly as with the steps in the adapter's threads, and a step process that dies is
replaced without losing the chat."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.step_death import MARKER, SLOW, converse_then_die, open_slowly, open_unreachable
from pydantic import ValidationError
from telegram_harness import (
    CARLA,
    RITA,
    TelegramWorld,
    link,
    seed,
    start_and_stop,
    tickets,
    whole_intake,
)

from bots.settings import Settings
from bots.telegram import steppool


def test_two_customers_open_tickets_at_once_with_the_steps_in_two_processes(
        db_url: str, tmp_path: Path) -> None:
    # Webhook mode: each delivery returns once its update was processed, chat by chat.
    world = TelegramWorld(db_url, tmp_path, webhook=True, extra={"telegram_step_processes": 2})

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            world.desk.call(link, world.ids["rita"], RITA)
            assert world.channel is not None
            assert world.channel.steps is not None
            pids = world.channel.steps.pids()
            assert len(pids) == 2
            assert os.getpid() not in pids
            carla, rita = world.chat(CARLA), world.chat(RITA)
            numbers = await asyncio.gather(whole_intake(carla, "Pedido não confirma"),
                                           whole_intake(rita, "Caixa travado"))
            by_number = {t.number: t for t in tickets(world.desk)}
            assert sorted(by_number) == sorted(numbers)
            assert by_number[numbers[0]].assunto == "Pedido não confirma"
            assert by_number[numbers[1]].assunto == "Caixa travado"
            assert len(carla.with_buttons()) == 1
            assert len(rita.with_buttons()) == 1

    asyncio.run(story())


def test_a_step_process_ignores_ctrl_c_and_one_that_dies_is_replaced(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path, extra={"telegram_step_processes": 1})

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("/novo")
            assert carla.button("Suporte")
            assert world.channel is not None
            assert world.channel.steps is not None
            [pid] = world.channel.steps.pids()
            # Ctrl-C reaches the whole process group: the adapter, not the step, decides.
            os.kill(pid, signal.SIGINT)
            await carla.click("Suporte")
            assert carla.button("Vendas")
            assert world.channel.steps.pids() == [pid]
            os.kill(pid, signal.SIGKILL)
            await carla.click("Vendas")  # answered by a new step process
            assert carla.button("atual")
            assert world.channel.steps.pids() != [pid]
            assert "Erro" not in carla.last_text()

    asyncio.run(story())


def test_steps_in_processes_need_a_database_they_can_share() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_STEP_PROCESSES"):
        Settings(_env_file=None, database_url="sqlite://",  # type: ignore[call-arg]
                 telegram_step_processes=2)


def test_a_step_process_killed_after_its_commit_still_answers_at_once_and_once(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step committed (the chat moved on, its answer is in the outbox as a safety net)
    and its process died before handing the answer back: the step's rerun in the new process
    is a duplicate, and the answer the step wrote is sent then, not 30 s later by the
    outbox, and not a second time by it."""
    marker = tmp_path / "die"
    monkeypatch.setenv(MARKER, str(marker))
    monkeypatch.setattr(steppool, "_converse", converse_then_die)
    world = TelegramWorld(db_url, tmp_path, extra={"telegram_step_processes": 1})

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("/novo")
            assert world.channel is not None
            assert world.channel.steps is not None
            [pid] = world.channel.steps.pids()
            marker.touch()
            await carla.click("Suporte")
            assert not marker.exists()  # the step process died after the commit
            assert world.channel.steps.pids() != [pid]
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



@pytest.mark.parametrize(("language", "line"), [
    ("pt_BR", "erro: um processo de passos do Telegram (TELEGRAM_STEP_PROCESSES=1) não "
              "conseguiu abrir DATABASE_URL"),
    ("en", "error: a Telegram step process (TELEGRAM_STEP_PROCESSES=1) could not open "
           "DATABASE_URL"),
])
def test_a_step_process_that_cannot_open_the_database_stops_the_start_with_one_line(
        new_db_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        language: str, line: str) -> None:
    """It was a BrokenProcessPool traceback (or, with the database opened lazily, a start
    that went on and failed every customer's first step)."""
    monkeypatch.setattr(steppool, "_open", open_unreachable)
    world = TelegramWorld(new_db_url("sqlite"), tmp_path,
                          extra={"telegram_step_processes": 1, "language": language})
    with pytest.raises(SystemExit) as stopped:
        start_and_stop(world)
    said = str(stopped.value.code)
    assert said.startswith(line), said
    assert "127.0.0.1" in said
    assert "\n" not in said
    assert "TELEGRAM_STEP_PROCESSES=0" in said


@pytest.mark.parametrize(("language", "line"), [
    ("pt_BR", "erro: nenhum dos 2 processos de passos do Telegram (TELEGRAM_STEP_PROCESSES) "
              "iniciou em 1 s"),
    ("en", "error: none of the 2 Telegram step processes (TELEGRAM_STEP_PROCESSES) started "
           "within 1 s"),
])
def test_step_processes_none_of_which_start_in_time_stop_the_start_with_one_line(
        new_db_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        language: str, line: str) -> None:
    monkeypatch.setattr(steppool, "START_SECONDS", 1.0)
    monkeypatch.setattr(steppool, "_open", open_slowly)
    monkeypatch.setenv(SLOW, "all")
    world = TelegramWorld(new_db_url("sqlite"), tmp_path,
                          extra={"telegram_step_processes": 2, "language": language})
    with pytest.raises(SystemExit) as stopped:
        start_and_stop(world)
    assert str(stopped.value.code).startswith(line), stopped.value.code


@pytest.mark.parametrize(("language", "line"), [
    ("pt_BR", "só 1 dos 2 processos de passos do Telegram (TELEGRAM_STEP_PROCESSES) iniciaram "
              "em 15 s"),
    ("en", "only 1 of the 2 Telegram step processes (TELEGRAM_STEP_PROCESSES) started within "
           "15 s"),
])
def test_fewer_step_processes_in_time_are_said_and_the_chat_goes_on(
        sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, language: str, line: str) -> None:
    """It went on silently with fewer. One of the two waits until the start is over (15 s,
    room for the other to start on a loaded machine)."""
    monkeypatch.setattr(steppool, "START_SECONDS", 15.0)
    monkeypatch.setattr(steppool, "_open", open_slowly)
    monkeypatch.setenv(SLOW, str(tmp_path / "slow"))
    world = TelegramWorld(sqlite_url, tmp_path,
                          extra={"telegram_step_processes": 2, "language": language})

    async def story() -> None:
        async with world:
            assert world.channel is not None
            assert world.channel.steps is not None
            assert len(world.channel.steps.pids()) == 1
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("/novo")
            assert carla.button("Suporte" if language == "pt_BR" else "Support")
            (tmp_path / "slow.go").touch()  # the late one may start now

    with caplog.at_level(logging.WARNING, logger="bots.telegram.steppool"):
        asyncio.run(story())
    said = [r.getMessage() for r in caplog.records if r.name == "bots.telegram.steppool"]
    assert len(said) == 1
    assert said[0].startswith(line), said
