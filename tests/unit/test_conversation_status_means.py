"""R6: the customer's ticket page says what a status from the manual's list means where its
name alone does not ("Repassada", "Em estimativa", "Em desenvolvimento")."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.services import handling


def page(world, who, ticket):
    chat = chat_for(world, who)
    chat.send(f"ticket {ticket.number}")
    return chat.prompt.text


def test_r6_a_repassada_ticket_says_what_repassada_means_to_the_customer(world):
    ticket = world.open("carla")
    world.run(handling.assign, world.ids["coord"], ticket.id, world.ids["ana"])
    assert "Status: Repassada" in page(world, "carla", ticket)
    assert pt("conv.ticket.status_means.repassada") in page(world, "carla", ticket)


def test_r6_a_ticket_in_development_says_so_to_the_customer(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id)
    assert pt("conv.ticket.status_means.em_desenvolvimento") in page(world, "carla", ticket)


def test_r6_statuses_that_say_themselves_and_staff_pages_have_no_such_line(world):
    ticket = world.open("carla")
    assert "status_means" not in page(world, "carla", ticket)
    assert all(pt(f"conv.ticket.status_means.{s}") not in page(world, "carla", ticket)
               for s in ("repassada", "em_estimativa", "em_desenvolvimento"))
    world.run(handling.assign, world.ids["coord"], ticket.id, world.ids["ana"])
    assert pt("conv.ticket.status_means.repassada") not in page(world, "ana", ticket)
