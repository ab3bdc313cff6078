"""R18, R23: a duplicate is rejected with a reference to the original, and no service is
rendered on it: its charge goes too. It stayed billable with the customer's authorization, so
the invoice list (`tickets list --faturaveis`) offered the duplicate's charge to be billed
alongside the original's."""

from __future__ import annotations

from fakes.chat import chat_for

from bots.commands.tickets import charge
from core.i18n import render_notification
from core.models import Status
from core.ports import TicketQuery
from core.services import billing, handling

QUOTE = "2 h de configuração, R$ 360,00"


def billable_duplicate(world, authorized=True):
    """Carla opened the same backup ticket twice; the second was classified outside the
    contract and its charge authorized (or not answered yet) before anyone saw the first."""
    original = world.open("carla", assunto="Backup não roda")
    duplicate = world.open("carla", assunto="Backup não roda de novo")
    world.run(handling.take, world.ids["ana"], duplicate.id)
    world.run(billing.classify_origin, world.ids["ana"], duplicate.id, "backup", quote=QUOTE)
    if authorized:
        world.run(billing.record_billing_authorization, world.ids["carla"], duplicate.id, True)
    world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, original.number)
    return original, duplicate


def invoice_list(world):
    return world.read(lambda uow: [t.id for t in uow.tickets.list(TicketQuery(billable=True))])


def test_r18_r23_a_duplicate_rejected_leaves_the_invoice_list(world):
    original, duplicate = billable_duplicate(world)
    stored = world.ticket(duplicate.id)
    assert stored.status == Status.REJECTED
    assert (stored.billable, stored.billing_authorized, stored.billing_quote) == (
        False, None, None)
    assert stored.origin == "backup"  # the origin stays on record (R22)
    assert invoice_list(world) == []
    assert charge(stored) == ""


def test_r18_r23_the_customer_and_the_team_are_told_the_charge_is_cancelled(world):
    original, duplicate = billable_duplicate(world, authorized=False)
    [told] = [m for m in world.outbox() if m.kind == "ticket.status"
              and m.params.get("event") == "rejected_duplicate"
              and m.target == "carla@exemplo.com.br"]
    for lang, line in (("pt_BR", "A cobrança deste ticket (fora do contrato) foi cancelada"),
                       ("en", "The charge of this ticket (outside the contract) is cancelled")):
        assert line in render_notification(told.kind, told.params, lang)[1]
    [card] = [m for m in world.outbox() if m.kind == "card"
              and m.params.get("event") == "rejected_duplicate"]
    assert "A cobrança deste ticket (fora do contrato) foi cancelada" in render_notification(
        card.kind, card.params, "pt_BR")[1]
    chat = chat_for(world, "carla")
    chat.send("oi")  # no charge left to ask about at the start of her session
    assert "Autorizo" not in chat.labels
