"""R6, R15, R19, R23: whether an agent may open an action's form on a ticket now is core's rule
(it was the Slack adapter's): the statuses each use case takes, a second Encaminhar, a quote
with no charge, and never for a customer, whatever a forged click names."""

from __future__ import annotations

import pytest

from core.errors import InvalidTransition, NotAllowed, NotFound
from core.models import Status
from core.services import handling
from core.services.forms import OPENS_IN, Form, form_ticket


def test_r6_each_form_opens_in_the_statuses_its_use_case_takes(world):
    ticket = world.open()
    ana = world.ids["ana"]
    for form in Form:
        assert form_ticket_ok(world, ana, ticket.id, form) == (
            Status.NEW in OPENS_IN.get(form, tuple(Status)) and form != Form.QUOTE)
    with pytest.raises(InvalidTransition) as stale:  # the adapter says: outdated card
        world.run(form_ticket, ana, ticket.id, Form.RETURN)
    assert stale.value.key == InvalidTransition.key
    assert stale.value.params["status"] == Status.NEW.value
    world.run(handling.forward_to_development, ana, ticket.id, "erro no ICMS-ST")
    with pytest.raises(InvalidTransition) as already:
        world.run(form_ticket, ana, ticket.id, Form.DEVELOPMENT)
    assert already.value.key == "error.already_in_development"
    assert world.run(form_ticket, ana, ticket.id, Form.RETURN).id == ticket.id
    assert world.run(form_ticket, ana, ticket.id, Form.NOTE).id == ticket.id
    with pytest.raises(InvalidTransition) as quote:
        world.run(form_ticket, ana, ticket.id, Form.QUOTE)
    assert quote.value.key == "error.quote_not_billable"


def test_a_customer_opens_no_agents_form_of_any_ticket(world):
    mine, theirs = world.open("carla"), world.open("rival")
    for who, ticket in (("carla", mine), ("carla", theirs), ("rival", mine)):
        with pytest.raises((NotAllowed, NotFound)):
            world.run(form_ticket, world.ids[who], ticket.id, Form.NOTE)
    with pytest.raises(NotFound):
        world.run(form_ticket, world.ids["ana"], 999_999, Form.NOTE)


def form_ticket_ok(world, actor: int, ticket_id: int, form: Form) -> bool:
    try:
        world.run(form_ticket, actor, ticket_id, form)
    except InvalidTransition:
        return False
    return True
