"""R12, R6: an agent takes the queue's next ticket nobody has taken, in the queue's order —
critical first, then the oldest — as Assumir does; tickets a colleague has, and requests in
triage (Em estimativa, R16), are passed over; none left is said."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotAllowed, NotFound
from core.i18n import t
from core.models import CriticalReason, Priority, Status
from core.services import handling, users
from core.services.take_next import take_next


def test_r12_the_next_ticket_taken_is_the_critical_then_the_oldest_nobody_has(world):
    oldest = world.open(assunto="O mais antigo")
    world.advance(minutes=5)
    held = world.open(assunto="Com o Bruno")
    world.run(handling.take, world.ids["bruno"], held.id)
    world.advance(minutes=5)
    world.open(item_id="implementacao", assunto="Relatório novo")  # triage's, R16
    world.advance(minutes=5)
    newer = world.open(assunto="O mais novo")
    world.advance(minutes=5)
    urgent = world.open(priority=Priority.CRITICAL, critical_reason=CriticalReason.TAX_DEADLINE)
    taken = []
    for _ in range(3):
        taken.append(world.run(take_next, world.ids["ana"]))
        world.advance(seconds=10)  # pressed again once its page came: not a double press
    assert [k.number for k in taken] == [urgent.number, oldest.number, newer.number]
    for ticket in taken:
        stored = world.ticket(ticket.id)
        assert stored.assignee_id == world.ids["ana"]
        assert stored.status == Status.IN_PROGRESS
        assert stored.due_at is not None  # the prazo set, as Assumir sets it (R13)
    with pytest.raises(NotFound) as refused:
        world.run(take_next, world.ids["ana"])
    assert t(refused.value.key, "pt_BR", **refused.value.params) == \
        "Não há ticket novo sem responsável na fila agora: todos já foram assumidos."
    assert world.ticket(held.id).assignee_id == world.ids["bruno"]


def test_r12_a_customer_takes_nothing_from_the_queue(world):
    ticket = world.open()
    with pytest.raises(NotAllowed):
        world.run(take_next, world.ids["carla"])
    assert world.ticket(ticket.id).assignee_id is None


def test_r12_a_double_press_takes_one_ticket_and_names_it(world):
    """A double click on Assumir o próximo (Slack's Home, a chat button tapped twice) took two
    tickets, the second hers unseen; the second press now names the first and takes none."""
    first = world.open(assunto="O primeiro")
    world.advance(minutes=5)
    second = world.open(assunto="O segundo")
    assert world.run(take_next, world.ids["ana"]).id == first.id
    world.advance(seconds=2)
    with pytest.raises(Conflict) as again:
        world.run(take_next, world.ids["ana"])
    assert t(again.value.key, "pt_BR", **again.value.params) == (
        f"Você acabou de assumir o ticket {first.number}: um segundo toque em Assumir o próximo "
        "não pega outro. Para pegar o próximo, toque de novo em alguns segundos.")
    assert world.ticket(second.id).assignee_id is None
    assert world.run(take_next, world.ids["bruno"]).id == second.id  # a colleague's press is his
    world.advance(seconds=10)
    with pytest.raises(NotFound):  # a deliberate press later: the queue's next, none left
        world.run(take_next, world.ids["ana"])


def test_r12_a_double_press_right_after_taking_a_ticket_back_in_the_queue_takes_no_second(
        world_on, store):
    """A ticket back in the queue (its agent deactivated) and taken again kept its first take's
    moment, so a double press right after taking it took a second ticket, unseen. The report's
    first response (R14) still counts from the first take."""
    world = world_on(store)
    back = world.open(assunto="De volta à fila")
    world.advance(minutes=5)
    other = world.open(assunto="O seguinte")
    first_take = world.run(handling.take, world.ids["bruno"], back.id).assigned_at
    world.advance(hours=2)
    world.run(users.deactivate, "bruno@exemplo.com.br")
    assert world.ticket(back.id).status == Status.NEW
    world.advance(minutes=10)
    assert world.run(take_next, world.ids["ana"]).id == back.id
    world.advance(seconds=2)
    with pytest.raises(Conflict) as again:
        world.run(take_next, world.ids["ana"])
    assert t(again.value.key, "pt_BR", **again.value.params).startswith(
        f"Você acabou de assumir o ticket {back.number}:")
    assert world.ticket(other.id).assignee_id is None
    assert world.ticket(back.id).assigned_at == first_take
    world.advance(seconds=10)
    assert world.run(take_next, world.ids["ana"]).id == other.id  # pressed again later: taken


def test_r12_the_next_right_after_assumir_on_a_newer_tickets_card_takes_the_queues_next(world):
    """Ana pressed Assumir on the card of a newer ticket (the customer on the phone), then at
    once Assumir o próximo: it was read as a double press ('Você acabou de assumir' that
    ticket) and nothing was taken, the oldest left waiting. A ticket the queue would not have
    given (one waiting before it still) was taken by its card: the press takes the next."""
    oldest = world.open(assunto="O mais antigo")
    world.advance(minutes=5)
    newer = world.open(assunto="O do telefone")
    world.run(handling.take, world.ids["ana"], newer.id)
    world.advance(seconds=1)
    assert world.run(take_next, world.ids["ana"]).id == oldest.id
    world.advance(seconds=1)
    with pytest.raises(Conflict):  # and that press pressed twice is still one
        world.run(take_next, world.ids["ana"])
