"""R19, R23: the customer's approval closes the ticket, and a billable ticket's charge needs
their prior authorization, so closing.approve and approve_with_restrictions refuse while the
charge still awaits the customer's answer, whichever adapter calls them (the chat asks the
charge first). Authorized or refused, the approval closes as before. On both databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from core.errors import InvalidTransition
from core.i18n import t
from core.models import Decision, Status
from core.services import billing, closing, handling
from storage.sql import SqlStore


@pytest.fixture
def sql_world(db_url: str, world_on: Callable[[Any], Any]) -> Iterator[Any]:
    store = SqlStore(db_url)
    try:
        yield world_on(store)
    finally:
        store.dispose()


def answered_as_billable(world: Any) -> Any:
    """Ana answered with an origin outside the contract (Backup): the charge unanswered."""
    ticket = world.open("carla", assunto="Backup não roda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Reconfiguramos o agendamento do backup.", origin_id="backup",
              quote="2 h de configuração, R$ 360,00")
    return ticket


@pytest.mark.parametrize("decide", [
    lambda w, tid: w.run(closing.approve, w.ids["carla"], tid),
    lambda w, tid: w.run(closing.approve_with_restrictions, w.ids["carla"], tid, "Demorou"),
], ids=["approve", "with_restrictions"])
def test_r19_r23_no_approval_while_the_charge_awaits_the_customer(sql_world, decide):
    ticket = answered_as_billable(sql_world)
    with pytest.raises(InvalidTransition) as err:
        decide(sql_world, ticket.id)
    assert err.value.key == "error.charge_first"
    assert t(err.value.key, "pt_BR", **err.value.params) == (
        f"Responda antes a cobrança do ticket {ticket.number}: o atendimento está fora do "
        "contrato e a sua autorização vem antes da aprovação da solução.")
    assert t(err.value.key, "en", **err.value.params) == (
        f"Answer the charge of ticket {ticket.number} first: the service is outside the "
        "contract and your authorization comes before approving the solution.")
    stored = sql_world.ticket(ticket.id)
    assert (stored.status, stored.decision, stored.billing_authorized) == (
        Status.AWAITING_APPROVAL, None, None)


@pytest.mark.parametrize("authorized", [True, False])
def test_r19_r23_once_the_charge_is_answered_the_approval_closes(sql_world, authorized):
    ticket = answered_as_billable(sql_world)
    sql_world.run(billing.record_billing_authorization, sql_world.ids["carla"], ticket.id,
                  authorized)
    sql_world.run(closing.approve_with_restrictions, sql_world.ids["carla"], ticket.id,
                  "Demorou")
    stored = sql_world.ticket(ticket.id)
    assert (stored.status, stored.decision, stored.billing_authorized) == (
        Status.CLOSED, Decision.APPROVED_WITH_RESTRICTIONS, authorized)
