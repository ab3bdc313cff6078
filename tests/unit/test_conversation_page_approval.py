"""R19: the page of a ticket awaiting its customer's approval ends with the approval's question
and its three answers (Aprovar, Não aprovar, Aprovar com restrições), as the question asked at
the session's start does; it showed one button, 'Aprovar ou não a solução', to find first."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Decision, Status
from core.services import closing, handling


def awaiting(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    return ticket


def at_page(world, lang="pt_BR"):
    ticket = awaiting(world)
    if lang != "pt_BR":
        world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return ticket, chat


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r19_the_page_of_a_ticket_awaiting_approval_ends_with_the_question(world, lang):
    ticket, chat = at_page(world, lang)
    assert chat.prompt.text.endswith(pt("conv.ticket.approval_question") if lang == "pt_BR"
                                     else "Do you approve the solution? Once approved, the "
                                          "ticket cannot be reopened.")
    answers = [pt("conv.closing.approve"), pt("conv.closing.reject"), pt("conv.closing.partial")] \
        if lang == "pt_BR" else ["Approve", "Do not approve", "Approve with restrictions"]
    assert [label for label in chat.labels if label in answers] == answers
    assert "Corrigido no pacote 2026.11.3." in chat.prompt.text


def test_r19_aprovar_on_the_page_approves_and_asks_the_rating(world):
    ticket, chat = at_page(world)
    chat.click(pt("conv.closing.approve"))
    assert world.ticket(ticket.id).decision == Decision.APPROVED
    assert pt("conv.closing.approved", number=ticket.number) in chat.text
    assert chat.state().step == "closing.rate"


def test_r19_nao_aprovar_on_the_page_asks_the_reason(world):
    ticket, chat = at_page(world)
    chat.click(pt("conv.closing.reject"))
    assert chat.state().step == "closing.reason"
    chat.send("o pedido 10125 continua sem confirmar")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r19_aprovar_com_restricoes_on_the_page_asks_the_restriction(world):
    ticket, chat = at_page(world)
    chat.click(pt("conv.closing.partial"))
    assert chat.state().step == "closing.comment"
    chat.send("funciona, mas o relatório sai sem a margem")
    assert world.ticket(ticket.id).decision == Decision.APPROVED_WITH_RESTRICTIONS


def test_r19_the_page_of_an_open_ticket_asks_nothing(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert pt("conv.ticket.approval_question") not in chat.prompt.text
    assert pt("conv.closing.approve") not in chat.labels

