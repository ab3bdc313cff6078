"""R14: the first-response alarm ('Novo há mais de N minutos úteis sem ninguém assumir') waits
for business hours as the prazo warnings and the customers' reminders do: a ticket whose two
business hours ran out at 18:00 was flagged at 18:01, and a sweep back at night after being
down flagged it at night on the agents' phones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.i18n import render_notification
from core.outbox import SLACK_TRIAGE
from core.services import sweeps


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving) as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) + timedelta(hours=3)


def sweep_at(world, moment):
    world.now = moment
    return world.run(sweeps.run_all)


def alarms(world):
    """Each first-response alarm as (where it goes, when it was written)."""
    return [(m.target, m.created_at) for m in world.outbox()
            if m.kind == "ticket.first_response_overdue"]


def test_r14_a_ticket_whose_two_hours_end_at_18_is_flagged_next_morning_not_at_18_01(world):
    world.now = sp(24, 11, 16, 0)  # Tuesday 16:00: 120 business minutes end at 18:00
    ticket = world.open()
    assert sweep_at(world, sp(24, 11, 17, 59)).first_response_flagged == 0
    for moment in (sp(24, 11, 18, 1), sp(24, 11, 23, 30), sp(25, 11, 7, 59)):
        assert sweep_at(world, moment).first_response_flagged == 0
    assert alarms(world) == []
    assert sweep_at(world, sp(25, 11, 8)).first_response_flagged == 1
    assert alarms(world) == [(SLACK_TRIAGE, sp(25, 11, 8))]
    [alarm] = [m for m in world.outbox() if m.kind == "ticket.first_response_overdue"]
    assert ticket.number in render_notification(alarm.kind, alarm.params, "pt_BR")[1]
    assert ticket.number in render_notification(alarm.kind, alarm.params, "en")[1]
    assert sweep_at(world, sp(25, 11, 8, 1)).first_response_flagged == 0


def test_r14_sweeps_back_at_lunch_on_a_holiday_or_at_the_weekend_wait_for_the_opening(world):
    """Opened Thursday 19/11 at 09:00, nobody took it; the sweeps were down until 12:30 (lunch),
    then ran on Friday 20/11 (Consciência Negra) and Saturday: the alarm comes Thursday 13:30."""
    world.now = sp(19, 11, 9)
    world.open()
    for moment in (sp(19, 11, 12, 30), sp(19, 11, 13, 29)):
        assert sweep_at(world, moment).first_response_flagged == 0
    assert sweep_at(world, sp(19, 11, 13, 30)).first_response_flagged == 1
    world.now = sp(19, 11, 17)
    world.open(assunto="Outro erro no PDV")  # 1 h left on Friday, a holiday: Monday 09:00
    for moment in (sp(20, 11, 10), sp(21, 11, 10), sp(23, 11, 8, 59)):
        assert sweep_at(world, moment).first_response_flagged == 0
    assert sweep_at(world, sp(23, 11, 9)).first_response_flagged == 1


def test_r14_r16_an_estimate_nobody_took_is_flagged_as_a_novo_one_is(world):
    """An implementation request opens in Em estimativa with nobody responsible (R16), and an
    agent may move a Novo ticket there without taking it: neither had a prazo (R13: set on
    assignment) nor ever an alarm, so nothing told triage nobody had it."""
    from core.services import handling

    world.now = sp(24, 11, 9)  # Tuesday 09:00: 120 business minutes end at 11:00
    request = world.open(item_id="implementacao", assunto="Relatório de margem por vendedor")
    moved = world.open(assunto="Erro no fechamento de caixa")
    world.run(handling.move_to_estimate, world.ids["ana"], moved.id)
    taken = world.open(item_id="implementacao", assunto="Novo campo no cadastro")
    world.run(handling.take, world.ids["bruno"], taken.id)
    assert world.ticket(request.id).assignee_id is None
    assert sweep_at(world, sp(24, 11, 10, 59)).first_response_flagged == 0
    assert sweep_at(world, sp(24, 11, 11)).first_response_flagged == 2
    texts = [render_notification(m.kind, m.params, "pt_BR")[1] for m in world.outbox()
             if m.kind == "ticket.first_response_overdue"]
    assert sorted(texts) == sorted(
        f"O ticket {t.number} — {t.assunto} está Em estimativa há mais de 120 minutos úteis sem"
        " ninguém assumir." for t in (request, moved))
    [alarm, _] = [m for m in world.outbox() if m.kind == "ticket.first_response_overdue"]
    assert "has been In estimate for more than 120 business minutes" in \
        render_notification(alarm.kind, alarm.params, "en")[1]
    assert sweep_at(world, sp(24, 11, 11, 1)).first_response_flagged == 0


def test_r12_r14_an_estimate_left_by_an_agent_who_took_it_raises_no_not_taken_alarm(world):
    """Ana took the ticket and moved it to Em estimativa, then left the team (R12): nobody is
    responsible now, but it was taken; 'sem ninguém assumir' would not be true."""
    from core.services import handling

    world.now = sp(24, 11, 9)
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.move_to_estimate, world.ids["ana"], ticket.id)
    ana = world.read(lambda uow: uow.users.get(world.ids["ana"]))
    world.run(handling.release, ana)
    assert world.ticket(ticket.id).assignee_id is None
    assert sweep_at(world, sp(24, 11, 15)).first_response_flagged == 0


def test_r12_r14_a_critical_ticket_nobody_took_is_flagged_after_30_business_minutes(world):
    """R12: a critical ticket 'será atendido mais rápido' (§8), yet triage heard of one nobody
    took only after the 120 business minutes of a Padrão one. Its alarm comes after 30, saying
    30; the Padrão ticket opened with it still waits its 120."""
    from core.models import CriticalReason, Priority
    from core.services import handling

    world.now = sp(24, 11, 11, 45)  # Tuesday 11:45: 30 business minutes end at 13:45
    critical = world.open(assunto="Não emite nota fiscal")
    world.run(handling.set_priority, world.ids["coord"], critical.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    world.open(assunto="Dúvida no relatório")
    assert sweep_at(world, sp(24, 11, 13, 44)).first_response_flagged == 0
    assert sweep_at(world, sp(24, 11, 13, 45)).first_response_flagged == 1
    [alarm] = [m for m in world.outbox() if m.kind == "ticket.first_response_overdue"]
    assert render_notification(alarm.kind, alarm.params, "pt_BR")[1] == (
        f"O ticket {critical.number} — {critical.assunto} está Novo há mais de 30 minutos úteis"
        " sem ninguém assumir.")
    assert world.ticket(critical.id).first_response_flagged
    assert sweep_at(world, sp(24, 11, 15, 14)).first_response_flagged == 0
    assert sweep_at(world, sp(24, 11, 15, 15)).first_response_flagged == 1
