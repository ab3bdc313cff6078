"""Closing, coverage, invites, profile and sweeps through the use cases: R2, R10, R11, R19-R23."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fakes.chat import chat_for

from core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from core.i18n import render_notification
from core.models import Decision, Rating, Status
from core.services import billing, closing, handling, queries, sweeps, tramites, users


def answered(world, who="carla"):
    """A ticket that the agent answered and that now waits for approval."""
    ticket = world.open(who)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return ticket


def test_r19_approve_closes_for_good(world):
    ticket = answered(world)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    world.run(closing.approve, world.ids["carla"], ticket.id)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision) == (Status.CLOSED, Decision.APPROVED)
    with pytest.raises(InvalidTransition):
        world.run(closing.not_approve, world.ids["carla"], ticket.id, "mudei de ideia")
    with pytest.raises(InvalidTransition):
        world.run(closing.approve, world.ids["carla"], ticket.id)
    with pytest.raises(InvalidTransition):
        world.run(tramites.add_tramite, world.ids["carla"], ticket.id, "reabrir")
    assert world.ticket(ticket.id) == stored


def test_r19_not_approve_needs_a_reason_and_returns_to_attendance(world):
    ticket = answered(world)
    with pytest.raises(InvalidInput):
        world.run(closing.not_approve, world.ids["carla"], ticket.id, "   ")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Continua dando erro")
    stored = world.ticket(ticket.id)
    assert stored.status == Status.IN_PROGRESS
    assert stored.decision == Decision.NOT_APPROVED
    assert any(m.kind == "agent.not_approved" and m.target == "user:UANA" for m in world.outbox())


def test_r19_approve_with_restrictions_keeps_the_comment(world):
    ticket = answered(world)
    world.run(closing.approve_with_restrictions, world.ids["carla"], ticket.id,
              "Resolvido, mas demorou")
    stored = world.ticket(ticket.id)
    assert stored.decision == Decision.APPROVED_WITH_RESTRICTIONS
    assert stored.decision_comment == "Resolvido, mas demorou"
    told = [m for m in world.outbox() if m.kind == "agent.approved_with_restrictions"]
    assert [(m.target, m.params["comment"]) for m in told] == [
        ("user:UANA", "Resolvido, mas demorou")]  # the one who solved it hears it directly


def test_r19_approve_with_restrictions_needs_the_comment(world):
    """Aprovar com restrições closes with the restriction said: none, or nothing but spaces
    and dots, is refused and the ticket keeps waiting."""
    ticket = answered(world)
    for blank in ("   ", "...", None):
        with pytest.raises(InvalidInput):
            world.run(closing.approve_with_restrictions, world.ids["carla"], ticket.id, blank)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision) == (Status.AWAITING_APPROVAL, None)


def test_r19_only_the_customer_side_approves(world):
    ticket = answered(world)
    with pytest.raises(NotAllowed):
        world.run(closing.approve, world.ids["ana"], ticket.id)
    with pytest.raises(Exception) as err:
        world.run(closing.approve, world.ids["rival"], ticket.id)
    assert err.value.key == "error.ticket_not_found"
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r19_approving_a_ticket_not_awaiting_is_refused(world):
    ticket = world.open()
    with pytest.raises(InvalidTransition):
        world.run(closing.approve, world.ids["carla"], ticket.id)


def test_r20_rating_after_approval_once(world):
    ticket = answered(world)
    with pytest.raises(InvalidTransition):
        world.run(closing.rate, world.ids["carla"], ticket.id, Rating.GREAT)
    world.run(closing.approve, world.ids["carla"], ticket.id)
    with pytest.raises(InvalidInput):
        world.run(closing.rate, world.ids["carla"], ticket.id, "excelente")
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.GOOD)
    assert world.ticket(ticket.id).rating == Rating.GOOD
    with pytest.raises(InvalidTransition):
        world.run(closing.rate, world.ids["carla"], ticket.id, Rating.GREAT)


@pytest.mark.parametrize(("rating", "told"), [
    (Rating.GREAT, False), (Rating.FAIR, False), (Rating.POOR, True), (Rating.TERRIBLE, True)])
def test_r20_a_low_rating_reaches_the_responsible_agent(world, rating, told):
    ticket = answered(world)
    world.run(closing.approve, world.ids["carla"], ticket.id)
    world.run(closing.rate, world.ids["carla"], ticket.id, rating)
    rows = [m for m in world.outbox() if m.kind == "agent.rated_low"]
    assert [(m.target, m.params["rating"]) for m in rows] == (
        [("user:UANA", rating.value)] if told else [])


def test_r20_a_low_rating_does_not_reach_an_agent_who_left_the_team(world):
    """Ana solved it, then left the team: the customer's low rating (and its words) is not
    sent to her Slack or her e-mail any more."""
    ticket = answered(world)
    world.run(closing.approve, world.ids["carla"], ticket.id)
    ana = world.run(lambda ctx: ctx.uow.users.get(world.ids["ana"]))
    world.run(users.deactivate, ana.email)
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.TERRIBLE)
    assert [m for m in world.outbox() if m.kind == "agent.rated_low"] == []


def test_r10_pending_approvals_are_listed_for_the_requester(world):
    ticket = answered(world)
    world.open()
    pending = world.run(queries.pending_approvals, world.ids["carla"])
    assert [t.number for t in pending] == [ticket.number]
    assert world.run(queries.pending_approvals, world.ids["joao"]) == []


def test_r21_reminders_on_day_5_and_10_and_auto_close_on_day_15(world):
    ticket = answered(world)
    start = world.now

    def sweep(days):
        world.now = start + timedelta(days=days, minutes=1)
        return world.run(sweeps.run_all)

    assert sweep(4).reminded == 0
    assert sweep(5).reminded == 0  # a Sunday: the reminder waits for business hours (R14)
    assert sweep(6).reminded == 1
    assert sweep(7).reminded == 0
    assert sweep(10).reminded == 1
    assert sweep(14).auto_closed == 0
    report = sweep(15)
    assert report.auto_closed == 1
    assert sweep(16).auto_closed == 0
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision) == (Status.CLOSED, Decision.AUTO_APPROVED)
    kinds = [m.kind for m in world.outbox() if m.target == "carla@exemplo.com.br"]
    assert kinds.count("ticket.approval_reminder") == 2
    assert kinds.count("ticket.auto_closed") == 1
    with pytest.raises(InvalidTransition):
        world.run(closing.not_approve, world.ids["carla"], ticket.id, "reabrir")


def test_r21_a_second_answer_after_not_approve_gets_its_own_reminders_and_fifteen_days(world):
    """Não aprovar sends the ticket back; the team's next answer waits 15 days again, with
    its day-5 and day-10 reminders, whatever the first wait had sent."""
    ticket = answered(world)  # Tuesday 24/11 10:00
    start = world.now
    world.now = start + timedelta(days=10, minutes=1)  # Friday 04/12
    assert world.run(sweeps.run_all).reminded == 1
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "A nota 10126 ainda dá erro")
    world.now = start + timedelta(days=13)  # Monday 07/12
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido no pacote 2.")
    world.now = start + timedelta(days=18, minutes=1)  # Saturday 12/12: held for Monday
    assert world.run(sweeps.run_all).reminded == 0
    world.now = start + timedelta(days=20, minutes=1)  # Monday 14/12
    assert world.run(sweeps.run_all).reminded == 1
    world.now = start + timedelta(days=23, minutes=1)  # Thursday 17/12: day 10
    assert world.run(sweeps.run_all).reminded == 1
    world.now = start + timedelta(days=27, minutes=1)  # Monday 21/12
    report = world.run(sweeps.run_all)
    assert (report.reminded, report.auto_closed) == (0, 0)
    world.now = start + timedelta(days=28, minutes=1)  # Tuesday 22/12: 15 days after
    assert world.run(sweeps.run_all).auto_closed == 1


def test_r21_customer_is_told_the_configured_days_in_words(world):
    world.policy = world.policy.model_copy(update={"autoclose_days": 11})
    world.now = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Monday: days 10 and 11 are weekdays
    ticket = answered(world)
    start = world.now
    for days in (5, 10, 11):
        world.now = start + timedelta(days=days, minutes=1)
        world.run(sweeps.run_all)
    texts = {m.kind: render_notification(m.kind, m.params)[1] for m in world.outbox()
             if m.target == "carla@exemplo.com.br"}
    assert "Sem resposta em 11 dias (até 11/12/2026 10:00), o ticket" \
        in texts["ticket.approval_requested"]
    assert "Sem resposta em 1 dia, ele será encerrado" in texts["ticket.approval_reminder"]
    assert "ficou 11 dias aguardando" in texts["ticket.auto_closed"]
    assert world.ticket(ticket.id).status == Status.CLOSED


@pytest.mark.parametrize("who", ["carla", "joao"])
def test_r21_customer_word_restarts_the_fifteen_days(world, who):
    """The requester's word, or a colleague's of the same company (§6.2: they may tramitar
    too): the client spoke."""
    ticket = answered(world)
    start = world.now
    world.now = start + timedelta(days=12)
    world.run(tramites.add_tramite, world.ids[who], ticket.id, "Ainda testando")
    world.now = start + timedelta(days=16)
    assert world.run(sweeps.run_all).auto_closed == 0
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r21_the_teams_new_word_to_the_customer_restarts_the_fifteen_days(world):
    """§11.2 waits 15 days for the customer's return on the solution: when the team writes to
    the customer again (a package to test, the answer to a question), the wait starts there,
    reminders too; an internal note, which the customer never sees, changes nothing."""
    ticket = answered(world)  # Tuesday 24/11 10:00
    start = world.now
    world.now = start + timedelta(days=10, minutes=1)  # Friday 04/12
    assert world.run(sweeps.run_all).reminded == 1
    world.now = start + timedelta(days=13)  # Monday 07/12
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id,
              "Publicamos o pacote 2026.11.2 com a correção; pode testar no caixa 3?")
    world.now = start + timedelta(days=14)
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "Pacote enviado.")
    world.now = start + timedelta(days=16, minutes=1)  # Thursday 10/12
    assert world.run(sweeps.run_all).auto_closed == 0
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    world.now = start + timedelta(days=18, minutes=1)  # Saturday: the reminder waits
    world.run(sweeps.run_all)
    world.now = start + timedelta(days=20, minutes=1)  # Monday 14/12: 7 days after the package
    assert world.run(sweeps.run_all).reminded == 1
    world.now = start + timedelta(days=28, minutes=1)  # Monday 21/12: 15 days after it
    assert world.run(sweeps.run_all).auto_closed == 1
    assert world.ticket(ticket.id).decision == Decision.AUTO_APPROVED
    texts = [render_notification(m.kind, m.params)[1] for m in world.outbox()
             if m.target == "carla@exemplo.com.br" and m.kind in (
                 "ticket.approval_reminder", "ticket.auto_closed")]
    assert "ficou 15 dias aguardando" in texts[-1]
    assert len(texts) == 3  # day 10 of the first wait, day 7 of the new one, the close


def test_r22_agent_classifies_origin_covered(world):
    ticket = world.open()
    origin, covered = world.run(billing.suggested_origin, world.ticket(ticket.id))
    assert origin == "erro_sistema"
    assert covered
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "erro_sistema")
    stored = world.ticket(ticket.id)
    assert (stored.origin, stored.covered, stored.billable) == ("erro_sistema", True, False)
    with pytest.raises(InvalidInput):
        world.run(billing.classify_origin, world.ids["ana"], ticket.id, "inventado")


def test_r23_not_covered_origin_is_billable_and_asks_authorization(world):
    ticket = world.open(assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    stored = world.ticket(ticket.id)
    assert stored.billable
    assert stored.covered is False
    prompts = [m for m in world.outbox() if m.kind == "ticket.billing_prompt"]
    assert prompts
    assert all(m.params["number"] == ticket.number for m in prompts)
    with pytest.raises(NotAllowed):
        world.run(billing.record_billing_authorization, world.ids["ana"], ticket.id, True)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    assert world.ticket(ticket.id).billing_authorized is True
    with pytest.raises(InvalidTransition):
        world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, False)


def test_r2_invite_code_is_single_use_and_expires(world):
    invite = world.run(users.create_invite, "carla@exemplo.com.br")
    user = world.run(users.redeem_invite, invite.code.lower(), telegram_id=555)
    assert user.telegram_id == 555
    with pytest.raises(InvalidInput) as err:
        world.run(users.redeem_invite, invite.code, telegram_id=556)
    assert err.value.key == "error.invite_used"
    late = world.run(users.create_invite, "joao@exemplo.com.br")
    world.advance(hours=world.policy.invite_ttl_hours + 1)
    with pytest.raises(InvalidInput) as err:
        world.run(users.redeem_invite, late.code, telegram_id=557)
    assert err.value.key == "error.invite_expired"
    with pytest.raises(InvalidInput):
        world.run(users.redeem_invite, "NAOEXISTE", telegram_id=557)


def test_r2_duplicate_email_is_refused(world):
    with pytest.raises(Conflict):
        world.run(users.add_user, name="Outra Carla", email="CARLA@exemplo.com.br",
                  company_names=["Mercado Exemplo"])


def test_r11_profile_validates_email_and_phone(world):
    carla = world.ids["carla"]
    with pytest.raises(InvalidInput):
        world.run(users.update_profile, carla, email="carla@@exemplo")
    with pytest.raises(Conflict):
        world.run(users.update_profile, carla, email="joao@exemplo.com.br")
    with pytest.raises(InvalidInput):
        world.run(users.update_profile, carla, phone="12")
    user = world.run(users.update_profile, carla, email=" Carla.Nova@Exemplo.com.br ",
                     phone="(41) 99876-5432")
    assert (user.email, user.phone) == ("carla.nova@exemplo.com.br", "+5541998765432")


def test_r13_deadline_warnings_once_before_and_once_after(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    due = world.ticket(ticket.id).due_at  # Sunday 29/11 10:00: told in business hours (R14)
    world.now = due - timedelta(days=2)  # Friday 10:00: 390 business minutes left, within a
    # quarter of the prazo's 1920 (R13)
    assert world.run(sweeps.run_all).due_soon == 1
    assert world.run(sweeps.run_all).due_soon == 0
    world.now = due + timedelta(days=1)  # Monday 10:00
    assert world.run(sweeps.run_all).overdue == 1
    assert world.run(sweeps.run_all).overdue == 0


def test_r14_first_response_clock_counts_business_time_only(world):
    # Friday 17:00 in São Paulo: two business hours end on Monday 09:00.
    from datetime import UTC, datetime

    world.now = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    ticket = world.open()
    world.now = datetime(2026, 11, 30, 11, 50, tzinfo=UTC)  # Monday 08:50
    assert world.run(sweeps.run_all).first_response_flagged == 0
    world.now = datetime(2026, 11, 30, 12, 5, tzinfo=UTC)  # Monday 09:05
    assert world.run(sweeps.run_all).first_response_flagged == 1
    assert world.run(sweeps.run_all).first_response_flagged == 0
    flagged = [m for m in world.outbox() if m.kind == "ticket.first_response_overdue"]
    assert [m.params["number"] for m in flagged] == [ticket.number]


def test_r23_reclassifying_to_a_covered_origin_withdraws_the_charge(world):
    ticket = world.open(assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    assert "Autorizar cobrança" in chat.labels
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "erro_sistema")
    stored = world.ticket(ticket.id)
    assert (stored.covered, stored.billable, stored.billing_authorized) == (True, False, None)
    chat.send(f"ticket {ticket.number}")
    assert "Autorizar cobrança" not in chat.labels
    with pytest.raises(InvalidTransition):
        world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    told = [m for m in world.outbox() if m.kind == "ticket.billing_withdrawn"]
    assert told
    _, pt_text = render_notification(told[0].kind, told[0].params, "pt_BR")
    _, en_text = render_notification(told[0].kind, told[0].params, "en")
    assert "não se aplica mais" in pt_text
    assert "no longer applies" in en_text


def test_r23_an_answer_about_a_withdrawn_charge_is_forgotten_and_a_new_charge_asked_again(world):
    ticket = world.open(assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "erro_sistema")
    assert world.ticket(ticket.id).billing_authorized is None
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    assert world.ticket(ticket.id).billable
    assert len([m for m in world.outbox() if m.kind == "ticket.billing_prompt"
                and m.channel.value == "email"]) == 2


def test_r14_a_ticket_back_in_the_queue_after_an_answer_raises_no_first_response_alarm(world):
    """Taken at once and answered, its agent gone, then not approved: back in Novos, the next
    sweep told triage 'está Novo há mais de 60 minutos úteis sem ninguém assumir' (it had
    been Novo a minute, answered days before). The same for one back from development with
    nobody responsible; the release of a leaving agent's tickets already kept it quiet."""
    answered_ticket = world.open()
    developed = world.open(assunto="Erro ao gerar o SPED")
    world.run(handling.take, world.ids["ana"], answered_ticket.id)
    world.run(handling.forward_to_development, world.ids["ana"], developed.id)
    world.run(closing.request_approval, world.ids["ana"], answered_ticket.id, "Corrigido.",
              "erro_sistema")
    world.advance(days=3)
    world.run(users.deactivate, "ana@exemplo.com.br")
    world.run(closing.not_approve, world.ids["carla"], answered_ticket.id, "Ainda trava.")
    world.run(handling.return_from_development, world.ids["bruno"], developed.id,
              "Pacote 2026.11.3")
    assert [world.ticket(i).status for i in (answered_ticket.id, developed.id)] == \
        [Status.NEW, Status.NEW]
    world.advance(minutes=1)
    assert world.run(sweeps.run_all).first_response_flagged == 0
    assert not [m for m in world.outbox() if m.kind == "ticket.first_response_overdue"]
