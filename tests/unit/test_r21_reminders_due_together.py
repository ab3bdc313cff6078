"""R21, R14: when the day-5 and day-10 approval reminders fall due together (the sweep did not
run for a week, say, over a long holiday), the customer gets one reminder, the later one, with
the days really waited and left, and the one skipped never arrives afterwards: two reminders at
once, the first saying 'há 5 dias', would be wrong and noisy."""

from __future__ import annotations

from datetime import UTC, datetime

from fakes.chat import chat_for

from core.conversation import prompt_for_ticket_event
from core.i18n import render_notification
from core.models import Status
from core.services import closing, handling, sweeps


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def awaiting_since(world, moment):
    world.now = moment
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return ticket


def reminders(world):
    return [m for m in world.outbox()
            if m.kind == "ticket.approval_reminder" and m.target == "carla@exemplo.com.br"]


def sweep_at(world, moment):
    world.now = moment
    return world.run(sweeps.run_all)


def test_r21_reminders_due_together_send_only_the_later_one_with_the_real_days_never_both(
        world):
    ticket = awaiting_since(world, sp(30, 11, 10))  # Monday: day 5 Sat 05/12, day 10 Thu 10/12
    assert sweep_at(world, sp(1, 12, 10)).reminded == 0
    # No sweep until Friday 11/12 10:00, day 11: both reminders are due.
    assert sweep_at(world, sp(11, 12, 10)).reminded == 1
    [one] = reminders(world)
    assert world.ticket(ticket.id).reminders_sent == 2
    text = render_notification(one.kind, one.params, "pt_BR")[1]
    assert "aguarda a sua aprovação há 11 dias. Sem resposta em 4 dias" in text
    english = render_notification(one.kind, one.params, "en")[1]
    assert "awaiting your approval for 11 days. If there is no answer within 4 days" in english
    for moment in (sp(11, 12, 10, 1), sp(14, 12, 8), sp(15, 12, 9, 59)):
        assert sweep_at(world, moment).reminded == 0  # the day-5 one never comes late
    assert sweep_at(world, sp(15, 12, 10, 1)).auto_closed == 1
    assert len(reminders(world)) == 1
    assert world.ticket(ticket.id).status == Status.CLOSED


def test_r21_the_reminder_in_the_chat_says_the_days_waited_and_left_before_the_question(
        world):
    """In Telegram and a Slack DM a reminder is the approval question asked again: it did not
    say it was a reminder, nor that the ticket closes by itself in 4 days."""
    ticket = awaiting_since(world, sp(30, 11, 10))
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    world.now = sp(11, 12, 10)
    world.run(sweeps.run_all)
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_reminder")
    assert replies[0].text == (
        f"⏰ Lembrete: o ticket {ticket.number} aguarda a sua aprovação há 11 dias. "
        "Sem resposta em 4 dias, ele será encerrado como aprovado.")
    assert [c.label for c in replies[-1].choices][0] == "Aprovar"
    asked = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_requested")
    assert "Lembrete" not in " ".join(r.text for r in asked)
    with world.store() as uow:
        carla = uow.users.get(world.ids["carla"])
        carla.language = "en"
        uow.users.update(carla)
        uow.commit()
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_reminder")
    assert replies[0].text.startswith(
        f"⏰ Reminder: ticket {ticket.number} has been awaiting your approval for 11 days. "
        "If there is no answer within 4 days, it will be closed as approved.")
