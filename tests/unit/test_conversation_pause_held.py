"""A long pause (policy.stale_conversation_hours) dropped what START keeps: a message offered
as a new ticket (R3), a comment held for the rating (R20), a problem typed before a search
(R9). "O que estava em andamento foi descartado" and the words were gone. They are kept now,
and the question asked again; a rating given meanwhile still drops its comment."""

from __future__ import annotations

from fakes.chat import chat_for, pt
from test_conversation_rating import at_rating, in_english

from core.models import Rating
from core.services import closing

STALE = pt("conv.stale")


SAID = "o pdv trava quando emito cupom fiscal com desconto"


def stale_held_start():
    return pt("conv.stale_held", when="", about="")[:30]


def offered_then_paused(world, said=SAID, hours=30):
    """Carla's message offered as a new ticket, then a long pause."""
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(said)
    asked = chat.prompt.text
    world.advance(hours=hours)
    return chat, asked


def test_r3_a_message_offered_as_a_ticket_survives_a_long_pause(world):
    chat, asked = offered_then_paused(world, hours=72)
    chat.send("/start")
    assert STALE not in chat.text
    assert chat.replies[0].text.startswith(stale_held_start())
    assert chat.prompt.text == asked
    chat.click(pt("conv.typed.open"))
    assert chat.state().data["intake"]["draft"]["descricao"] == SAID


def test_r3_a_greeting_after_the_pause_gets_the_message_offered_again(world):
    chat, _ = offered_then_paused(world)
    chat.send("bom dia")
    assert STALE not in chat.text
    assert chat.state().step == "menu.typed"
    assert chat.prompt.text == pt("conv.typed.offer", text=SAID)


def test_r3_a_new_message_after_the_pause_leads_and_the_old_offer_goes(world):
    """Days later, what is written now is the matter: offered alone, not joined to the old."""
    chat, _ = offered_then_paused(world)
    now = "o boleto da loja 2 saiu com vencimento errado"
    chat.send(now)
    assert chat.state().step == "menu.typed"
    assert chat.prompt.text == pt("conv.typed.offer", text=now)


def test_r20_words_sent_after_the_pause_at_the_rating_are_shown_back(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    world.advance(hours=30)
    chat.send("o relatório de vendas ainda sai sem a margem")
    assert pt("conv.stale_unused", text="o relatório de vendas ainda sai sem a margem") \
        in chat.text
    assert chat.state().step == "closing.rate"
    assert world.ticket(ticket.id).rating is None


def test_r20_a_comment_held_for_the_rating_survives_a_long_pause(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    world.advance(hours=30)
    chat.send("/start")
    assert STALE not in chat.text
    assert "demorou muito, mas resolveu" in chat.replies[0].text
    assert pt("conv.closing.comment_held", comment="demorou muito, mas resolveu") \
        in chat.prompt.text
    chat.click("Regular")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.FAIR,
                                                      "demorou muito, mas resolveu")


def test_r20_a_rating_given_meanwhile_drops_the_comment_after_the_pause(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.GOOD, None)
    world.advance(hours=30)
    chat.send("/start")
    assert stale_held_start() not in chat.text
    assert chat.state().step != "closing.rate"


def test_r9_a_problem_typed_before_a_search_survives_a_long_pause(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("kb nota fiscal rejeitada")
    asked = chat.prompt
    world.advance(hours=30)
    chat.send("/start")
    assert STALE not in chat.text
    assert chat.prompt.text == asked.text
    assert chat.labels == [c.label for c in asked.choices]


def test_r3_english_says_the_pause_kept_the_message(world):
    in_english(world)
    said = "the till freezes when I print a discounted receipt"
    chat, _ = offered_then_paused(world, said)
    chat.send("/start")
    first = chat.replies[0].text
    assert first.startswith("It has been a while")
    assert said[:40] in first
