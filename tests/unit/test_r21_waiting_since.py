"""R21: how long a ticket has awaited approval reads exactly — 'desde ontem às 23:10', not 'há 1
dia' an hour after midnight — and a reminder's days waited and left add up to the days the
request announced, weekends and holidays included (R14 holds the sends, not the count)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fakes.chat import chat_for
from test_r14_r21_reminders_business_hours import awaiting_since, sent, sweep_at

from core.conversation import prompt_for_ticket_event
from core.conversation.staff_worklists import silence as _silence
from core.i18n import render_notification


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving), late evenings too."""
    return datetime(2026, month, day, tzinfo=UTC) + timedelta(hours=hour + 3, minutes=minute)


def test_r21_aprovacao_an_hour_after_midnight_says_since_yesterday_not_one_day(world):
    """Answered Wednesday 23:10 (a late agent); at 01:00 the coordinator read 'há 1 dia'."""
    ticket = awaiting_since(world, sp(2, 12, 23, 10))
    world.now = sp(3, 12, 1)
    shown = world.run(_silence, world.ticket(ticket.id), "pt_BR")
    assert shown.startswith("sem resposta do cliente desde ontem às 23:10 · ")
    english = world.run(_silence, world.ticket(ticket.id), "en")
    assert english.startswith("no answer from the customer since yesterday at 23:10 · ")


def test_r21_aprovacao_the_same_day_says_since_when_and_later_the_days_with_the_date(world):
    ticket = awaiting_since(world, sp(2, 12, 8))
    world.now = sp(2, 12, 17)
    assert world.run(_silence, world.ticket(ticket.id), "pt_BR").startswith(
        "sem resposta do cliente desde hoje às 08:00 · ")
    assert world.run(_silence, world.ticket(ticket.id), "en").startswith(
        "no answer from the customer since today at 08:00 · ")
    world.now = sp(14, 12, 7)
    assert world.run(_silence, world.ticket(ticket.id), "pt_BR") == (
        "sem resposta do cliente há 12 dias (desde 02/12 às 08:00) · encerra como aprovado em "
        "3 dias (17/12/2026 08:00)")
    assert world.run(_silence, world.ticket(ticket.id), "en").startswith(
        "no answer from the customer for 12 days (since Dec 02 at 08:00) · ")


def test_r21_a_reminder_held_over_the_weekend_says_since_when_in_the_chat_and_the_email(world):
    """Day 10 of an answer on Wednesday 02/12 10:00 is Saturday; the reminder goes on Monday
    08:00, 11 days and 22 hours later: 'há 12 dias' alone overstated it."""
    ticket = awaiting_since(world, sp(2, 12, 10))
    [request] = sent(world, "ticket.approval_requested")
    assert "Sem resposta em 15 dias (até 17/12/2026 10:00)" in request
    assert sweep_at(world, sp(7, 12, 10)).reminded == 1  # day 5, a Monday
    assert sweep_at(world, sp(14, 12, 8)).reminded == 1
    last = [m for m in world.outbox() if m.kind == "ticket.approval_reminder"][-1]
    assert "aguarda a sua aprovação há 12 dias (desde 02/12 às 10:00). Sem resposta em 3 " \
           "dias" in render_notification(last.kind, last.params)[1]
    assert "awaiting your approval for 12 days (since Dec 02 at 10:00). If there is no answer " \
           "within 3 days" in render_notification(last.kind, last.params, "en")[1]
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_reminder")
    assert replies[0].text == f"⏰ Lembrete: o ticket {ticket.number} aguarda a sua aprovação " \
                              "há 12 dias (desde 02/12 às 10:00)."


def test_r21_a_reminder_queued_before_it_said_since_when_still_reads_well():
    params = {"number": "T-1", "assunto": "Nota", "day": 5, "days_left": 10}
    text = render_notification("ticket.approval_reminder", params)[1]
    assert "aguarda a sua aprovação há 5 dias. Sem resposta em 10 dias" in text


def test_r14_r21_every_reminder_s_days_waited_and_left_add_up_to_the_request_s_days(world):
    """Answers every 11 hours over two weeks (every hour of the day, nights, two weekends);
    swept five times a business day: each reminder, held or not, says waited + left = the days
    its request announced."""
    start = sp(30, 11, 0, 30)
    numbers = [awaiting_since(world, start + timedelta(hours=step)).number
               for step in range(0, 14 * 24, 11)]
    for day in range(40):
        if (start + timedelta(days=day)).weekday() < 5:
            for hour, minute in ((8, 0), (10, 0), (13, 30), (15, 0), (17, 0)):
                sweep_at(world, sp(30, 11, hour, minute) + timedelta(days=day))
    announced = {}
    for text in sent(world, "ticket.approval_requested"):
        number = next(n for n in numbers if n in text)
        announced[number] = int(re.search(r"Sem resposta em (\d+) dias \(até", text)[1])
    reminders = sent(world, "ticket.approval_reminder")
    assert len(reminders) == 2 * len(numbers)
    held = 0
    for text in reminders:
        number = next(n for n in numbers if n in text)
        found = re.search(r"há (\d+) dias\b.*?Sem resposta em (\d+) dias", text)
        assert found is not None, text
        assert int(found[1]) + int(found[2]) == announced[number], text
        held += found[1] not in ("5", "10")
    assert held  # some were held for the night, the weekend or a holiday
    assert len(sent(world, "ticket.auto_closed")) == len(numbers)
