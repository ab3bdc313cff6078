"""R22, R23: a charge needs the customer's prior authorization (§12), asked in the chat while
the ticket is open. A ticket already closed can no longer be made billable: it was, with no
question to anyone, and the invoice list showed it as "sem resposta do cliente"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from bots.commands.tickets import charge
from bots.slack.cards import card_data
from core.conversation.turn import error_text
from core.errors import InvalidTransition
from core.models import Status
from core.services import billing, closing, handling, sweeps


def approved(world, origin_id="erro_sistema"):
    """Carla's ticket, answered by Ana within the contract and approved: closed."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3.", origin_id=origin_id)
    world.run(closing.approve, world.ids["carla"], ticket.id)
    assert world.ticket(ticket.id).status == Status.CLOSED
    return ticket


def test_r23_a_closed_ticket_is_not_made_billable_with_nobody_asked(world):
    ticket = approved(world)
    before = len(world.outbox())
    with pytest.raises(InvalidTransition) as err:
        world.run(billing.classify_origin, world.ids["ana"], ticket.id, "configuracao")
    assert error_text(err.value, "pt_BR") == pt(
        "error.closed_not_billable", number=ticket.number, origin="Configuração de processos")
    assert error_text(err.value, "en").startswith(f"Ticket {ticket.number} is already closed")
    stored = world.ticket(ticket.id)
    assert (stored.origin, stored.covered, stored.billable) == ("erro_sistema", True, False)
    assert world.outbox()[before:] == []  # no card change, no notice
    assert charge(stored) == ""  # not on the invoice list


def test_r23_the_chat_and_the_slack_card_offer_a_closed_ticket_only_origins_it_may_take(world):
    """Asked by the chat's and the card's origin lists: only those within the contract."""
    ticket = approved(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.origin"))
    assert pt("conv.staff.ask_classify_closed", number=ticket.number) in chat.text
    offered = " ".join(chat.labels)
    assert "Instrução sobre funções" in offered
    assert "Configuração de processos" not in offered
    assert "Backup" not in offered
    chat.send("configuracao")  # typed anyway: not among the options, asked again
    assert chat.text.endswith(pt("conv.staff.ask_classify_closed", number=ticket.number))
    assert world.ticket(ticket.id).billable is False
    card = world.run(card_data, ticket.id)
    assert [o.label for o in card.origins] == [
        "Erro de sistema", "Atualização de legislação federal", "Instrução sobre funções",
        "Novas versões e releases", "Correção em relatório padrão"]


def test_r22_r23_a_closed_ticket_still_takes_another_origin_within_the_contract(world):
    """What stays possible: correcting a covered origin, and withdrawing a charge."""
    ticket = approved(world)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "instrucao")
    assert world.ticket(ticket.id).origin == "instrucao"


def test_r21_r23_the_invoice_list_says_a_charge_closed_unanswered_is_not_authorized(world):
    """Closed as approved by silence (R21), the charge never answered: nothing to invoice."""
    ticket = world.open("carla", assunto="Backup não roda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Reconfiguramos o agendamento do backup.", origin_id="backup")
    world.advance(days=16)
    world.run(sweeps.run_all)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.billable, stored.billing_authorized) == (
        Status.CLOSED, True, None)
    assert charge(stored) == "não autorizada (encerrado sem resposta)"
    assert charge(stored, "en") == "not authorized (closed unanswered)"
