"""R14 in the coordinator's report: the first response (opening to the first take) and the
time to solution (opening to closing), in business hours as the team's calendar counts them:
nights, the lunch break and the weekend apart; the critical tickets' own limit; on memory,
SQLite and PostgreSQL, in pt-BR and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.models import CriticalReason, Priority
from core.report_text import render
from core.services import closing, handling, report


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving) as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) + timedelta(hours=3)


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def _at(world: Any, moment: datetime, service: Callable[..., Any], *args: Any) -> Any:
    world.now = moment
    return world.run(service, *args)


def _week(world: Any) -> None:
    """Tickets of Monday 23/11 to Tuesday 01/12 opened and taken at known times."""
    ana, carla = world.ids["ana"], world.ids["carla"]

    def opened(moment: datetime, **fields: Any) -> int:
        world.now = moment
        return world.open("carla", **fields).id

    def solved(ticket: int, moment: datetime) -> None:
        _at(world, moment - timedelta(minutes=30), closing.request_approval, ana, ticket,
            "Ajustamos o cadastro.", "erro_sistema")
        _at(world, moment, closing.approve, carla, ticket)

    critical = {"priority": Priority.CRITICAL, "critical_reason": CriticalReason.AREA_STOPPED}
    # Monday 11:30, taken 13:50: 30 min before lunch, 20 after: 50 min, within 2 h
    lunch = opened(sp(23, 11, 11, 30), assunto="Pedido não confirma")
    _at(world, sp(23, 11, 13, 50), handling.take, ana, lunch)
    solved(lunch, sp(24, 11, 10))  # 5 h on Monday, 2 h on Tuesday: 7 h
    # critical, Tuesday 11:50, taken 13:45: 25 min, within its 30
    fast = opened(sp(24, 11, 11, 50), assunto="Caixa parado", **critical)
    _at(world, sp(24, 11, 13, 45), handling.take, ana, fast)
    # critical, Wednesday 09:00, taken 09:40: 40 min, past its 30 (a standard one's 2 h apart)
    slow = opened(sp(25, 11, 9), assunto="Balança parada", **critical)
    _at(world, sp(25, 11, 9, 40), handling.take, ana, slow)
    # Thursday 08:00, taken 09:10: 1 h 10, closed at 16:00: 6 h 30
    morning = opened(sp(26, 11, 8), assunto="Etiqueta desalinhada")
    _at(world, sp(26, 11, 9, 10), handling.take, ana, morning)
    solved(morning, sp(26, 11, 16))
    # Friday 17:00, taken Monday 09:20: 1 h on Friday, 1 h 20 on Monday: 2 h 20, late;
    # closed Tuesday 15:00: 15 h, a business day of 8 h 30 and 6 h 30
    weekend = opened(sp(27, 11, 17), assunto="Relatório de vendas lento")
    _at(world, sp(30, 11, 9, 20), handling.take, ana, weekend)
    solved(weekend, sp(1, 12, 15))
    # a duplicate rejected: closed, but no solution; one waiting, nobody has taken it
    duplicate = opened(sp(1, 12, 9), assunto="Pedido não confirma de novo")
    _at(world, sp(1, 12, 9, 30), handling.reject_duplicate, ana, duplicate,
        world.ticket(lunch).number)
    opened(sp(1, 12, 10), assunto="Impressora não imprime")
    world.now = sp(1, 12, 18)


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title)
    return lines[start:lines.index("", start)]


def test_r14_first_response_and_time_to_solution_in_business_hours(world: Any) -> None:
    _week(world)
    found = world.run(report.build, world.ids["coord"],
                      window=(sp(23, 11, 0), sp(2, 12, 0)))
    times = found.times
    assert (times.taken, times.within, times.not_taken, times.solved) == (5, 3, 1, 3)
    assert times.first_median == timedelta(minutes=50)
    assert times.solution_median == timedelta(hours=7)
    assert times.solution_p90 == timedelta(hours=15)
    tz = world.policy.timezone
    assert _section(render(found, tz), "Tempos (R14), em horário útil") == [
        "Tempos (R14), em horário útil",
        "  Primeira resposta: mediana de 50 min úteis (5 tickets assumidos no período)",
        "    Dentro do limite (2 h úteis; críticos: 30 min úteis): 3 (60%)",
        "  Abertos no período e ainda não assumidos: 1",
        "  Tempo até a solução: mediana de 7 h úteis; 90% em até 1 dia útil e 6 h"
        " (3 tickets encerrados no período)"]
    assert _section(render(found, tz, "en"), "Times (R14), in business hours") == [
        "Times (R14), in business hours",
        "  First response: median 50 min (5 tickets taken in the period)",
        "    Within the limit (2 h; critical: 30 min): 3 (60%)",
        "  Opened in the period and not taken yet: 1",
        "  Time to solution: median 7 h; 90% within 1 business day and 6 h"
        " (3 tickets closed in the period)"]


def test_r14_a_ticket_taken_in_the_window_counts_however_long_ago_it_was_opened(
        world: Any) -> None:
    """Taken on Monday after waiting since the Friday before the window: its first response
    is the window's; a window with nothing taken or closed says so."""
    _week(world)
    monday = world.run(report.build, world.ids["coord"], window=(sp(30, 11, 0), sp(1, 12, 0)))
    assert (monday.times.taken, monday.times.first_median) == (1, timedelta(hours=2,
                                                                            minutes=20))
    text = render(monday, world.policy.timezone)
    assert "  Primeira resposta: mediana de 2 h 20 min úteis (1 ticket assumido no período)" \
        in text
    assert "  Tempo até a solução: nenhum ticket encerrado no período." in text.splitlines()
    tuesday = world.run(report.build, world.ids["coord"], window=(sp(1, 12, 0), sp(2, 12, 0)))
    assert "  Time to solution: median 1 business day and 6 h (1 ticket closed in the period)" \
        in render(tuesday, world.policy.timezone, "en").splitlines()
    sunday = world.run(report.build, world.ids["coord"], window=(sp(29, 11, 0), sp(30, 11, 0)))
    assert sunday.empty
