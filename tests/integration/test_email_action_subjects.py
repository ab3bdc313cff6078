"""R19, R23 by e-mail: a notice that needs the customer's action says so in its subject,
still in the ticket's thread (real SMTP server on loopback)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from fakes.delivery_world import (
    CARLA_EMAIL,
    open_ticket,
    seed,
    through_smtp,
)
from fakes.smtp_server import FakeSMTP

from bots.runtime import Desk
from bots.scheduler import Scheduler
from core.i18n import t
from core.services import closing, handling
from core.services.context import Ctx

ASSUNTO = "Backup não roda à noite"
T0 = datetime(2026, 11, 3, 13, 0, tzinfo=UTC)  # a Tuesday, 10:00 in São Paulo
REMINDER = T0 + timedelta(days=6)  # the next business morning after the 5 days (R21, R14)


def plain(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return " ".join(str(part.get_content()).split())


deliver = through_smtp


def _english(ctx: Ctx, user_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    assert user is not None
    user.language = "en"
    ctx.uow.users.update(user)


def answered(desk: Desk, origin: str, english: bool = False) -> tuple[int, str, str]:
    """Carla's ticket answered by Ana with that origin, at T0: its id, number and thread root."""
    people = seed(desk)
    if english:
        desk.call(_english, people.carla)
    at = desk.at(T0)
    try:
        ticket = open_ticket(at, people.carla, assunto=ASSUNTO)
        at.call(handling.take, people.ana, ticket.id)
        at.call(closing.request_approval, people.ana, ticket.id, "Agendamento refeito.",
                origin_id=origin)
    finally:
        at.close()
    return ticket.id, ticket.number, f"<ticket-{ticket.id}@exemplo.com.br>"


def sweep_at(desk: Desk, moment: datetime) -> None:
    at = desk.at(moment)
    try:
        asyncio.run(Scheduler(at).sweep())
    finally:
        at.close()


def by_kind(smtp: FakeSMTP, text: str) -> list[EmailMessage]:
    return [m for m in smtp.to(CARLA_EMAIL) if text in plain(m)]


def test_r19_approval_email_and_reminder_say_approval_is_awaited_in_the_thread(
        desk: Desk) -> None:
    ticket_id, number, root = answered(desk, "erro_sistema")
    sweep_at(desk, REMINDER)
    smtp = deliver(desk)
    mails = smtp.to(CARLA_EMAIL)
    subjects = [m["Subject"] for m in mails]
    assert subjects[0] == f"[Ticket {number}] {ASSUNTO}"  # registration
    wanted = f"[Ticket {number}] Aguardando sua aprovação: {ASSUNTO}"
    assert subjects.count(wanted) == 2  # the request and the first reminder
    (request,) = by_kind(smtp, "Agendamento refeito.")
    assert request["Subject"] == wanted
    assert "Aprovar, Não aprovar" in plain(request)
    assert "cobrança" not in plain(request)
    for mail in mails[1:]:
        assert mail["In-Reply-To"] == root
        assert mail["References"] == root
        assert mail["Message-ID"].startswith(f"<ticket-{ticket_id}-")
    assert mails[0]["Message-ID"] == root


def test_r23_billable_answer_asks_the_charge_first_in_subject_and_text(desk: Desk) -> None:
    _, number, root = answered(desk, "backup")
    sweep_at(desk, REMINDER)
    smtp = deliver(desk)
    subjects = [m["Subject"] for m in smtp.to(CARLA_EMAIL)]
    assert f"[Ticket {number}] Autorização de cobrança: {ASSUNTO}" in subjects
    both = f"[Ticket {number}] Aguardando sua autorização de cobrança e aprovação: {ASSUNTO}"
    assert subjects.count(both) == 2  # the request and the reminder: the charge still unanswered
    (request,) = by_kind(smtp, "Agendamento refeito.")
    first = " ".join(t("email.charge_first", "pt_BR", number=number).split())
    assert first in plain(request)
    assert request["In-Reply-To"] == root
    assert request["References"] == root


def test_r19_r23_subjects_in_english(desk: Desk) -> None:
    _, number, _ = answered(desk, "backup", english=True)
    smtp = deliver(desk)
    subjects = [m["Subject"] for m in smtp.to(CARLA_EMAIL)]
    assert f"[Ticket {number}] Billing authorization: {ASSUNTO}" in subjects
    assert f"[Ticket {number}] Awaiting your billing authorization and approval: {ASSUNTO}" \
        in subjects
    (request,) = by_kind(smtp, "Agendamento refeito.")
    assert "the billing question comes first" in plain(request)
