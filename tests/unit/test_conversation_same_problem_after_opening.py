"""R3, R7: "mesmo problema" typed at the menu right after a ticket was registered was offered
as a new ticket's whole descrição, the ticket just opened not named. Now it is named and the
customer chooses: its page (to add to it), another ticket (the same problem elsewhere), or the
menu. Nothing is opened or sent by the words alone."""

from __future__ import annotations

from fakes.chat import chat_for, pt, to_summary


def registered(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.click("Registrar")
    assert chat.state().step == "menu.main"
    return chat


def number_of(world):
    return world.read(lambda uow: uow.tickets.get(1)).number


def test_mesmo_problema_after_registering_names_the_ticket_and_asks(world):
    chat = registered(world)
    chat.send("mesmo problema")
    assert chat.prompt.text == pt("conv.same.ask", number=number_of(world))
    assert chat.state().step == "menu.same"
    assert "typed" not in chat.state().data


def test_its_page_is_one_choice(world):
    chat = registered(world)
    chat.send("o mesmo problema")
    chat.click(pt("conv.same.view"))
    assert chat.state().step == "ticket.view"
    assert chat.state().data["ticket"]["id"] == 1


def test_another_ticket_is_another(world):
    chat = registered(world)
    chat.send("mesmo problema")
    chat.click(pt("conv.same.new"))
    assert chat.state().step == "intake.item"


def test_same_problem_in_english(world):
    chat = registered(world)
    world.speaks("carla", "en")
    chat.send("same problem")
    assert chat.state().step == "menu.same"


def test_mesmo_problema_with_no_ticket_just_opened_is_a_matter_as_before(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("mesmo problema")
    assert chat.state().step == "menu.typed"


def test_mesmo_problema_at_the_listing_after_registering_names_that_ticket(world):
    chat = registered(world)
    chat.send("meus tickets")
    chat.send("mesmo problema")
    assert chat.state().step == "menu.same"


def test_mesmo_problema_at_the_listing_asks_which_ticket_not_a_search(world):
    world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("meus tickets")
    chat.send("mesmo problema")
    assert pt("conv.same.which") in chat.text
    assert chat.state().step == "list.view"
    assert not chat.state().data["list"].get("text")  # nothing searched
