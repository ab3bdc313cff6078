"""R23: a charge found with the solution (the origin outside the contract) is asked before the
customer decides on the solution, so it is never left unanswered on a closed ticket."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from bots.commands.tickets import charge
from core.conversation import prompt_for_ticket_event
from core.models import Decision, Status
from core.services import billing, closing, handling, sweeps


def answered_as_billable(world):
    """Ana answered with an origin outside the contract: billable, the charge unanswered."""
    ticket = world.open("carla", assunto="Backup não roda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Reconfiguramos o agendamento do backup.", origin_id="backup")
    return ticket


def at_charge(world):
    """Carla clicked Responder on that ticket at the start of her session."""
    ticket = answered_as_billable(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    return ticket, chat


def test_r23_the_charge_is_asked_first_then_the_solution(world):
    ticket, chat = at_charge(world)  # approved and closed, the charge never asked, before
    assert pt("conv.closing.charge_first", number=ticket.number) in chat.text
    assert chat.labels == ["Autorizo", "Não autorizo", "Decidir depois"]
    chat.click("Não autorizo")
    assert world.ticket(ticket.id).billing_authorized is False
    assert "Reconfiguramos o agendamento do backup." in chat.prompt.text  # the solution now
    chat.click("Aprovar")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision, stored.billing_authorized) == (
        Status.CLOSED, Decision.APPROVED, False)


def test_r23_deciding_the_charge_later_leaves_the_solution_for_later_too(world):
    ticket, chat = at_charge(world)
    chat.click("Decidir depois")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert pt("conv.closing.later_with_charge", number=ticket.number) in chat.text
    assert "then" not in (chat.state().data.get("closing") or {})
    chat.send("/start")  # the next session asks again, the charge first (R10)
    chat.click("Responder")
    chat.click("Autorizo")
    chat.click("Aprovar")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.billing_authorized) == (Status.CLOSED, True)


def test_r23_a_charge_already_answered_is_not_asked_again(world):
    ticket, chat = at_charge(world)
    chat.click("Autorizo")
    chat.click("Decidir depois")  # at the solution
    chat.send("/start")
    chat.click("Responder")
    assert pt("conv.closing.charge_first", number=ticket.number) not in chat.text
    assert "Reconfiguramos o agendamento do backup." in chat.prompt.text


def test_r21_r23_a_charge_closed_without_an_answer_reads_so_not_as_awaiting(world):
    ticket = answered_as_billable(world)
    world.advance(days=16)
    world.run(sweeps.run_all)  # closed as approved (R21), the charge never answered
    assert world.ticket(ticket.id).status == Status.CLOSED
    unanswered = pt("conv.ticket.charge", answer=pt("conv.ticket.charge_unanswered"),
                    origin="Backup")
    for who in ("carla", "ana"):
        chat = chat_for(world, who)
        chat.send(f"ticket {ticket.number}")
        assert unanswered in chat.text, who
    assert charge(world.ticket(ticket.id)) == "não autorizada (encerrado sem resposta)"  # the CLI


def test_r19_r23_words_that_would_close_the_ticket_wait_for_the_charge_first(world):
    """A decision in words as the session's first message: the restriction typed is kept
    through the charge question, then offered (it closed with the charge never asked)."""
    ticket = answered_as_billable(world)
    chat = chat_for(world, "carla")
    said = "funcionou em parte, mas a nota 10126 ainda da erro"
    chat.send(said)
    assert pt("conv.closing.charge_first", number=ticket.number) in chat.text
    chat.click("Autorizo")
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(ticket.id)
    assert (stored.decision, stored.decision_comment, stored.billing_authorized) == (
        Decision.APPROVED_WITH_RESTRICTIONS, said, True)


def test_r19_r23_funcionou_asks_the_charge_then_the_confirmation(world):
    ticket = answered_as_billable(world)
    chat = chat_for(world, "carla")
    chat.send("funcionou, obrigada")
    chat.click("Não autorizo")
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=ticket.number)
    chat.click("Sim")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.billing_authorized) == (Status.CLOSED, False)


def test_r19_r23_a_new_quote_given_while_the_solution_is_on_screen_is_asked_before_closing(
        world):
    """Carla authorized the charge and reads the solution; meanwhile Ana changes the quote, so
    the authorization is asked again (R23). Aprovar (or the restriction typed) closed the
    ticket with the new charge never answered; now the charge comes first, then the same
    decision, the restriction kept."""
    ticket, chat = at_charge(world)
    chat.click("Autorizo")
    world.run(billing.set_quote, world.ids["ana"], ticket.id, "2 h de serviço, R$ 360,00")
    chat.click("Aprovar")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert pt("conv.closing.charge_first", number=ticket.number) in chat.text
    chat.click("Autorizo")
    chat.click("Aprovar")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.billing_authorized) == (Status.CLOSED, True)
    chat.click("Agora não")  # the rating

    other = answered_as_billable(world)
    chat.send("/start")
    chat.click("Responder")
    chat.click("Autorizo")
    chat.click("Aprovar com restrições")
    world.run(billing.set_quote, world.ids["ana"], other.id, "3 h de serviço, R$ 540,00")
    said = "Resolveu, mas o agendamento ficou às 23h"
    chat.send(said)
    assert world.ticket(other.id).status == Status.AWAITING_APPROVAL
    chat.click("Não autorizo")
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(other.id)
    assert (stored.decision, stored.decision_comment, stored.billing_authorized) == (
        Decision.APPROVED_WITH_RESTRICTIONS, said, False)


def test_r23_the_approval_pushed_after_the_charge_question_does_not_ask_it_twice(world):
    """Telegram gets the billing question, then the approval request: the second push sends
    its plain notice (with the solution) and the charge, once answered, leads to the decision."""
    ticket = answered_as_billable(world)
    chat = chat_for(world, "carla")
    chat.send("/start")
    chat.click("Agora não")
    chat.replies = world.run(prompt_for_ticket_event, chat.key, ticket.id,
                             "ticket.billing_prompt")
    assert chat.labels == ["Autorizo", "Não autorizo", "Decidir depois"]
    assert world.run(prompt_for_ticket_event, chat.key, ticket.id,
                     "ticket.approval_requested") == []  # no second billing question
    chat.click("Autorizo")
    assert "Reconfiguramos o agendamento do backup." in chat.prompt.text
    assert pt("conv.closing.approve") in chat.labels


def test_r21_r23_the_auto_close_of_an_unauthorized_charge_tells_it_is_not_charged(world):
    """Fifteen days of silence approve the solution (R21), not the charge the customer never
    authorized (R23): the notice said only 'encerrado como aprovado', as if all were agreed,
    and neither the responsible agent nor the card's thread heard that nothing was authorized."""
    from core.i18n import render_notification

    ticket = answered_as_billable(world)
    world.advance(days=16)
    world.run(sweeps.run_all)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision, stored.billing_authorized) == (
        Status.CLOSED, Decision.AUTO_APPROVED, None)

    def texts(kind, target=None, lang="pt_BR"):
        return [render_notification(m.kind, m.params, lang)[1] for m in world.outbox()
                if m.kind == kind and (target is None or m.target == target)]

    [notice] = texts("ticket.auto_closed", "carla@exemplo.com.br")
    assert "A cobrança deste atendimento (fora do contrato: Backup) não foi autorizada por você" \
        " e não será feita sem a sua autorização; a equipe vai falar com você sobre isso." \
        in notice
    [notice_en] = texts("ticket.auto_closed", "carla@exemplo.com.br", "en")
    assert "You never authorized the charge for this service (outside the contract: Backup)" \
        in notice_en
    [dm] = texts("agent.auto_closed_uncharged", "user:UANA")
    assert dm == (f"O ticket {ticket.number} — Backup não roda foi encerrado como aprovado por"
                  " falta de resposta, mas o cliente não autorizou a cobrança (fora do contrato:"
                  " Backup): não cobre sem a autorização; fale com o cliente.")
    assert any("a cobrança não foi autorizada pelo cliente" in text
               for text in texts("card", lang="pt_BR"))


def test_r21_r23_an_authorized_charge_closes_silently_as_before(world):
    ticket = answered_as_billable(world)
    chat = chat_for(world, "carla")
    chat.send("/start")
    chat.click("Responder")
    chat.click("Autorizo")
    world.advance(days=16)
    world.run(sweeps.run_all)
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert not [m for m in world.outbox() if m.kind == "agent.auto_closed_uncharged"]
