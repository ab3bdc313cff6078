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


def _business(cal: Any, a: datetime, b: datetime) -> timedelta:
    """The business time from a to b, walked day by day over the calendar's intervals."""
    spent, day = timedelta(0), a.astimezone(cal.zone).date()
    while day <= b.astimezone(cal.zone).date():
        for start, end in cal.intervals(day):
            spent += max(timedelta(0), min(end, b) - max(start, a))
        day += timedelta(days=1)
    return spent


def test_r14_a_months_times_are_its_business_time_across_weekends_holidays_and_lunch(
        world: Any) -> None:
    """December 2025 (Christmas on a Thursday, five weekends), tickets opened from late
    November, taken and closed at odd moments (nights, lunch, weekends, the holiday, to the
    microsecond): the report's figures are the business time walked day by day."""
    import math
    import random

    from core.services.approval_clock import calendar_for

    cal = calendar_for(world.policy.timezone)
    assert cal.holiday_name(datetime(2025, 12, 25).date()) is not None
    since = datetime(2025, 12, 1, 3, tzinfo=UTC)  # 1 December, 00:00 in São Paulo
    until = datetime(2026, 1, 1, 3, tzinfo=UTC)
    ana, carla = world.ids["ana"], world.ids["carla"]
    rnd = random.Random(14)
    taken: list[tuple[timedelta, bool]] = []
    solved: list[timedelta] = []
    for n in range(24):
        opened_at = since - timedelta(days=8) + timedelta(
            microseconds=rnd.randrange(int(36 * 86400e6)))
        critical = n % 5 == 0
        world.now = opened_at
        fields: dict[str, Any] = {"priority": Priority.CRITICAL, "critical_reason":
                                  CriticalReason.AREA_STOPPED} if critical else {}
        ticket = world.open("carla", assunto=f"Chamado {n}", **fields).id
        if n % 7 == 6:
            continue  # nobody takes it
        took = opened_at + timedelta(microseconds=rnd.randrange(int(4 * 86400e6)))
        _at(world, took, handling.take, ana, ticket)
        if since <= took < until:
            taken.append((_business(cal, opened_at, took), critical))
        if n % 3 == 2:
            continue  # still being worked
        closed = took + timedelta(microseconds=rnd.randrange(int(6 * 86400e6)))
        _at(world, closed - timedelta(seconds=1), closing.request_approval, ana, ticket,
            "Ajustamos o cadastro.", "erro_sistema")
        _at(world, closed, closing.approve, carla, ticket)
        if since <= closed < until:
            solved.append(_business(cal, opened_at, closed))
    world.now = until
    times = world.run(report.build, world.ids["coord"], window=(since, until)).times
    waits, spans = sorted(w for w, _ in taken), sorted(solved)
    assert (times.taken, times.solved) == (len(waits), len(spans))
    assert len(spans) >= 6
    assert times.within == sum(1 for w, critical in taken if w <= timedelta(
        minutes=times.critical_limit_minutes if critical else times.limit_minutes))
    half = len(waits) // 2
    assert times.first_median == (waits[half] if len(waits) % 2 else
                                  (waits[half - 1] + waits[half]) / 2)
    half = len(spans) // 2
    assert times.solution_median == (spans[half] if len(spans) % 2 else
                                     (spans[half - 1] + spans[half]) / 2)
    assert times.solution_p90 == spans[math.ceil(0.9 * len(spans)) - 1]
    assert times.first_median.microseconds  # to the microsecond
    assert times.solution_median.microseconds
