"""R14, R21: the approval reminders and the auto-close wait for business hours, so a customer's
phone does not buzz at 3 a.m. or on a Sunday about a ticket; when the day-5 and day-10
reminders fall due together (no sweep for a week, say), one goes, the later, with the real days."""

from __future__ import annotations

from datetime import UTC, datetime

from fakes.chat import chat_for

from core.conversation import prompt_for_ticket_event
from core.i18n import render_notification
from core.models import Decision, Status
from core.services import approval_clock, closing, handling, sweeps


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def awaiting_since(world, moment):
    """A ticket answered by the agent at `moment`, from then on awaiting the customer."""
    world.now = moment
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return ticket


def sent(world, kind):
    """The customer's e-mails of one kind, rendered in pt-BR."""
    return [render_notification(m.kind, m.params)[1] for m in world.outbox()
            if m.kind == kind and m.target == "carla@exemplo.com.br"]


def sweep_at(world, moment):
    world.now = moment
    return world.run(sweeps.run_all)


def test_r14_r21_a_reminder_due_on_saturday_at_3_waits_for_monday_8(world):
    awaiting_since(world, sp(30, 11, 3))  # Monday 03:00: day 5 is Saturday 05/12 03:00
    for moment in (sp(5, 12, 3, 1), sp(5, 12, 10), sp(6, 12, 12), sp(7, 12, 7, 59)):
        assert sweep_at(world, moment).reminded == 0
        assert sent(world, "ticket.approval_reminder") == []
    assert sweep_at(world, sp(7, 12, 8)).reminded == 1
    [text] = sent(world, "ticket.approval_reminder")
    # Monday 08:00 is 7 days after the answer; day 15 is Tuesday 15/12 03:00, closed at 08:00.
    assert "aguarda a sua aprovação há 7 dias (desde 30/11 às 03:00). Sem resposta em 8 " \
           "dias" in text
    assert sweep_at(world, sp(7, 12, 8, 1)).reminded == 0


def test_r21_a_reminder_due_on_a_tuesday_morning_goes_out_then(world):
    awaiting_since(world, sp(26, 11, 10))  # Thursday 10:00: day 5 is Tuesday 01/12 10:00
    assert sweep_at(world, sp(1, 12, 9, 59)).reminded == 0
    assert sweep_at(world, sp(1, 12, 10, 1)).reminded == 1
    [text] = sent(world, "ticket.approval_reminder")
    assert "há 5 dias (desde 26/11 às 10:00). Sem resposta em 10 dias" in text


def test_r14_r21_the_auto_close_due_on_saturday_at_3_happens_on_monday_at_8(world):
    ticket = awaiting_since(world, sp(4, 12, 3))  # Friday 03:00: day 15 is Saturday 19/12
    assert world.run(approval_clock.closes_at, world.ticket(ticket.id)) == sp(21, 12, 8)
    for moment in (sp(19, 12, 3, 1), sp(20, 12, 15), sp(21, 12, 7, 59)):
        assert sweep_at(world, moment).auto_closed == 0
        assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert sent(world, "ticket.auto_closed") == []
    assert sweep_at(world, sp(21, 12, 8)).auto_closed == 1
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision) == (Status.CLOSED, Decision.AUTO_APPROVED)
    assert stored.closed_at == sp(21, 12, 8)
    assert len(sent(world, "ticket.auto_closed")) == 1


def test_r14_r21_a_holiday_waits_too_christmas_closes_on_the_next_monday(world):
    ticket = awaiting_since(world, sp(10, 12, 10))  # Thursday: day 15 is Christmas, Friday
    assert sweep_at(world, sp(25, 12, 10, 1)).auto_closed == 0
    assert sweep_at(world, sp(28, 12, 7, 59)).auto_closed == 0
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert sweep_at(world, sp(28, 12, 8)).auto_closed == 1
    assert world.ticket(ticket.id).closed_at == sp(28, 12, 8)


def test_r14_r21_consciencia_negra_holds_the_reminder_until_monday(world):
    awaiting_since(world, sp(15, 11, 10))  # Sunday: day 5 is Friday 20/11, a holiday
    assert sweep_at(world, sp(20, 11, 10, 1)).reminded == 0
    assert sweep_at(world, sp(23, 11, 8)).reminded == 1


def test_r14_the_lunch_break_is_outside_business_hours_too(world):
    awaiting_since(world, sp(26, 11, 12, 30))  # Thursday: day 5 is Tuesday 01/12 12:30
    assert sweep_at(world, sp(1, 12, 12, 31)).reminded == 0
    assert sweep_at(world, sp(1, 12, 13, 30)).reminded == 1


def test_r14_r21_the_auto_close_notice_says_the_17_days_waited_when_it_lands_on_day_17(world):
    """Fifteen days from Friday 03:00 end on a Saturday: the close waits for Monday 08:00, 17
    days after the answer. The notice said 'ficou 15 dias', on every channel."""
    with world.store() as uow:
        carla = uow.users.get(world.ids["carla"])
        carla.telegram_id, carla.slack_id = 5001, "UCARLA"
        uow.users.update(carla)
        uow.commit()
    ticket = awaiting_since(world, sp(4, 12, 3))
    assert sweep_at(world, sp(21, 12, 8)).auto_closed == 1
    notices = [m for m in world.outbox() if m.kind == "ticket.auto_closed"]
    assert sorted(m.channel.value for m in notices) == ["email", "slack", "telegram"]
    for notice in notices:
        pt_text = render_notification(notice.kind, notice.params, "pt_BR")[1]
        en_text = render_notification(notice.kind, notice.params, "en")[1]
        assert f"{ticket.number} — {ticket.assunto} ficou 17 dias aguardando" in pt_text
        assert "was awaiting approval for 17 days" in en_text


def reminders(world):
    return [m for m in world.outbox()
            if m.kind == "ticket.approval_reminder" and m.target == "carla@exemplo.com.br"]


def test_r21_reminders_due_together_send_only_the_later_one_with_the_real_days_never_both(
        world):
    ticket = awaiting_since(world, sp(30, 11, 10))  # Monday: day 5 Sat 05/12, day 10 Thu 10/12
    assert sweep_at(world, sp(1, 12, 10)).reminded == 0
    # No sweep until Friday 11/12 10:00, day 11: both reminders are due.
    assert sweep_at(world, sp(11, 12, 10)).reminded == 1
    [one] = reminders(world)
    assert world.ticket(ticket.id).reminders_sent == 2
    text = render_notification(one.kind, one.params, "pt_BR")[1]
    assert "aguarda a sua aprovação há 11 dias (desde 30/11 às 10:00). Sem resposta em 4 " \
           "dias" in text
    english = render_notification(one.kind, one.params, "en")[1]
    assert "awaiting your approval for 11 days (since Nov 30 at 10:00). If there is no " \
           "answer within 4 days" in english
    for moment in (sp(11, 12, 10, 1), sp(14, 12, 8), sp(15, 12, 9, 59)):
        assert sweep_at(world, moment).reminded == 0  # the day-5 one never comes late
    assert sweep_at(world, sp(15, 12, 10, 1)).auto_closed == 1
    assert len(reminders(world)) == 1
    assert world.ticket(ticket.id).status == Status.CLOSED


def test_r21_the_reminder_in_the_chat_says_the_days_waited_and_left_before_the_question(
        world):
    """In Telegram and a Slack DM a reminder is the approval question asked again: it did not
    say it was a reminder, nor that the ticket closes by itself in 4 days. The reminder says
    the days waited; the question, the days left and the date."""
    ticket = awaiting_since(world, sp(30, 11, 10))
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    world.now = sp(11, 12, 10)
    world.run(sweeps.run_all)
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_reminder")
    assert replies[0].text == (
        f"⏰ Lembrete: o ticket {ticket.number} aguarda a sua aprovação há 11 dias "
        "(desde 30/11 às 10:00).")
    # The question after it says the days left, with the date (once, not in both).
    assert replies[-1].text.endswith(
        "Sem resposta em 4 dias (até 15/12/2026 10:00), ele será encerrado como aprovado.")
    assert [c.label for c in replies[-1].choices][0] == "Aprovar"
    asked = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_requested")
    assert "Lembrete" not in " ".join(r.text for r in asked)
    with world.store() as uow:
        carla = uow.users.get(world.ids["carla"])
        carla.language = "en"
        uow.users.update(carla)
        uow.commit()
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_reminder")
    assert replies[0].text == (
        f"⏰ Reminder: ticket {ticket.number} has been awaiting your approval for 11 days "
        "(since Nov 30 at 10:00).")
    assert replies[-1].text.endswith(
        "If there is no answer within 4 days (by 2026-12-15 10:00), it will be closed as "
        "approved.")


def test_r14_r21_the_approval_request_says_when_the_ticket_really_closes(world):
    """Answered Friday 04/12 17:00: the 15 days end Saturday 19/12 17:00 and the close waits
    for Monday 21/12 08:00. The request said 'Sem resposta em 15 dias', as a rule."""
    ticket = awaiting_since(world, sp(4, 12, 17))
    [request] = [m for m in world.outbox() if m.kind == "ticket.approval_requested"
                 and m.target == "carla@exemplo.com.br"]
    pt_text = render_notification(request.kind, request.params, "pt_BR")[1]
    en_text = render_notification(request.kind, request.params, "en")[1]
    assert "Sem resposta em 17 dias (até 21/12/2026 08:00), o ticket será encerrado como " \
           "aprovado." in pt_text
    assert "If there is no answer within 17 days (by 2026-12-21 08:00), the ticket will be " \
           "closed as approved." in en_text
    waited, left = world.run(approval_clock.reminder_days, world.ticket(ticket.id))
    assert (waited, left) == (0, 17)  # what a reminder would say at that moment


def test_r21_an_approval_request_queued_before_the_date_was_said_still_reads_well():
    """An outbox row written before the upgrade has the policy's days and no date."""
    text = render_notification("ticket.approval_requested",
                               {"number": "2026-000001", "days": 15, "solution": "x"})[1]
    assert "Sem resposta em 15 dias, o ticket será encerrado como aprovado." in text


def test_r21_the_request_reminders_and_close_count_the_same_days_from_a_friday_at_17(world):
    """Answered Friday 04/12 17:00, closed Monday 21/12 08:00: the request said 'em 17 dias'
    (the days left rounded up) and the close 'ficou 16 dias' (the days waited rounded down).
    Days are counted by the dates the customer reads, so every count says 17."""
    with world.store() as uow:
        carla = uow.users.get(world.ids["carla"])
        carla.telegram_id = 5001
        uow.users.update(carla)
        uow.commit()
    ticket = awaiting_since(world, sp(4, 12, 17))
    [request] = sent(world, "ticket.approval_requested")
    assert "Sem resposta em 17 dias (até 21/12/2026 08:00)" in request
    assert sweep_at(world, sp(9, 12, 17)).reminded == 1
    [reminder] = sent(world, "ticket.approval_reminder")
    assert "aguarda a sua aprovação há 5 dias (desde 04/12 às 17:00). Sem resposta em 12 " \
           "dias" in reminder
    assert sweep_at(world, sp(21, 12, 8)).auto_closed == 1
    [closed] = sent(world, "ticket.auto_closed")
    assert f"{ticket.number} — {ticket.assunto} ficou 17 dias aguardando" in closed
    for notice in [m for m in world.outbox() if m.kind == "ticket.auto_closed"]:
        assert "was awaiting approval for 17 days" in render_notification(
            notice.kind, notice.params, "en")[1]


def test_r21_answered_friday_at_3_the_request_says_the_17_days_the_close_says(world):
    """Fifteen days from Friday 03:00 end on Saturday; the close comes Monday 08:00, 17 days
    and 5 hours later: the request said 'em 18 dias' and the close 'ficou 17 dias'."""
    awaiting_since(world, sp(4, 12, 3))
    [request] = sent(world, "ticket.approval_requested")
    assert "Sem resposta em 17 dias (até 21/12/2026 08:00)" in request
    assert sweep_at(world, sp(21, 12, 8)).auto_closed == 1
    [closed] = sent(world, "ticket.auto_closed")
    assert "ficou 17 dias aguardando" in closed


def test_r21_slack_aprovacao_counts_the_days_left_as_the_customer_was_told(world):
    """/ticket aprovacao said 'encerra como aprovado em 18 dias' of a ticket whose customer
    read 'em 17 dias (até 21/12/2026 08:00)'; on the close's morning it says 'hoje'."""
    from core.conversation.staff_worklists import silence as _silence

    ticket = awaiting_since(world, sp(4, 12, 3))
    shown = world.run(_silence, world.ticket(ticket.id), "pt_BR")
    assert "encerra como aprovado em 17 dias (21/12/2026 08:00)" in shown
    world.now = sp(21, 12, 7)
    shown = world.run(_silence, world.ticket(ticket.id), "pt_BR")
    assert shown == "sem resposta do cliente há 17 dias (desde 04/12 às 03:00) · encerra " \
                    "como aprovado hoje (21/12/2026 08:00)"
    english = world.run(_silence, world.ticket(ticket.id), "en")
    assert english.endswith("closes as approved today (2026-12-21 08:00)")


def test_r21_the_approval_question_in_the_chat_says_when_the_ticket_closes_by_itself(world):
    """In Telegram and a Slack DM the request is the question itself: it did not say the
    ticket closes as approved, so the customer first heard of it in the day-5 reminder."""
    ticket = awaiting_since(world, sp(4, 12, 17))
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    asked = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_requested")
    assert asked[-1].text.endswith(
        "Você aprova a solução? Depois de aprovado, o ticket não pode ser reaberto. "
        "Sem resposta em 17 dias (até 21/12/2026 08:00), ele será encerrado como aprovado.")
    assert [c.label for c in asked[-1].choices][0] == "Aprovar"
    with world.store() as uow:
        carla = uow.users.get(world.ids["carla"])
        carla.language = "en"
        uow.users.update(carla)
        uow.commit()
    world.now = sp(21, 12, 7)  # the close's morning
    asked = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.approval_requested")
    assert asked[-1].text.endswith(
        "If there is no answer by 2026-12-21 08:00, it will be closed as approved.")
