"""R19: the same solution requested twice while the ticket awaits approval on it is 'already
sent' for every channel, never a second request to the customer nor a 'nothing was sent'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.errors import Conflict, InvalidTransition
from core.i18n import t
from core.models import EntryKind, Status
from core.services import closing, handling, tramites

SOLUTION = "Ajustamos o cadastro do CFOP."


def solved(world: Any) -> Any:
    """A ticket Ana took and answered with SOLUTION: it awaits the customer's approval."""
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, SOLUTION,
              origin_id="erro_sistema")
    return ticket


def requests(world: Any, ticket_id: int) -> list[Any]:
    """The customer's approval requests of the ticket."""
    return [m for m in world.outbox()
            if m.ticket_id == ticket_id and m.kind == "ticket.approval_requested"]


def public(world: Any, ticket_id: int) -> list[str]:
    return [e.text for e in world.read(lambda uow: uow.entries.list(ticket_id, True))
            if e.kind == EntryKind.PUBLIC]


def test_r19_the_same_solution_requested_again_is_already_sent(
        store: Any, world_on: Callable[[Any], Any]) -> None:
    """A double submit or a request delivered twice: the second is refused as already sent,
    saying so in the agent's words; the customer is asked once, the thread holds it once."""
    world = world_on(store)
    ticket = solved(world)
    before = world.ticket(ticket.id)
    with pytest.raises(Conflict) as err:
        world.run(closing.request_approval, world.ids["ana"], ticket.id, f"  {SOLUTION} ",
                  origin_id="erro_sistema")
    assert err.value.key == closing.ALREADY_SENT
    assert t(err.value.key, **err.value.params).startswith(
        f"A solução do ticket {ticket.number} já tinha sido enviada ao cliente")
    assert world.ticket(ticket.id) == before
    assert len(requests(world, ticket.id)) == 1
    assert public(world, ticket.id).count(SOLUTION) == 1


def test_r19_another_solution_or_a_colleagues_is_refused_by_the_status(world: Any) -> None:
    """Only the very solution of this wait, from the agent who sent it, is 'already sent':
    another text, or a colleague's form, is the status's refusal, as before."""
    ticket = solved(world)
    for who, text in (("ana", "Outra solução."), ("bruno", SOLUTION)):
        with pytest.raises(InvalidTransition) as err:
            world.run(closing.request_approval, world.ids[who], ticket.id, text)
        assert err.value.key == "error.invalid_transition"
    assert len(requests(world, ticket.id)) == 1


def test_r19_words_of_the_wait_do_not_hide_the_solution_already_sent(world: Any) -> None:
    """The customer writing while the ticket waits (the R21 wait starts again) and an
    agent's internal note: the same solution sent again is still the one already sent."""
    ticket = solved(world)
    world.advance(hours=2)
    world.run(tramites.add_tramite, world.ids["carla"], ticket.id, "Vou testar amanhã.")
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "Aguardando teste.")
    with pytest.raises(Conflict) as err:
        world.run(closing.request_approval, world.ids["ana"], ticket.id, SOLUTION)
    assert err.value.key == closing.ALREADY_SENT
    assert len(requests(world, ticket.id)) == 1


def test_r19_the_same_solution_after_not_approve_is_a_new_request(world: Any) -> None:
    """Não aprovar ends the wait: the same text sent again is a new answer, asked again."""
    ticket = solved(world)
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Continua dando erro.")
    world.run(closing.request_approval, world.ids["ana"], ticket.id, SOLUTION)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert len(requests(world, ticket.id)) == 2
