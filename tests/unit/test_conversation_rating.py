"""R20: a number typed alone at the rating question. The options are Ótimo … Péssimo, so "5"
is the fifth option, Péssimo, and also five stars, Ótimo: the customer says which."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_closing import at_decision, awaiting

from core.i18n import t
from core.models import Rating


def at_rating(world):
    ticket, chat = at_decision(world)
    chat.click("Aprovar")
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    return ticket, chat


def low_rating_notes(world):
    return [m for m in world.outbox() if m.kind == "agent.rated_low"]


def test_r20_five_typed_alone_asks_stars_or_option_and_records_the_stars(world):
    ticket, chat = at_rating(world)
    chat.send("5")  # was recorded as Péssimo, and the agent told of a low rating
    assert world.ticket(ticket.id).rating is None
    assert chat.prompt.text == pt("conv.closing.rate_digit", digit=5, option="Péssimo",
                                  stars="Ótimo")
    assert chat.labels == ["Ótimo (5 de 5 estrelas)", "Péssimo (a 5ª opção)", "Agora não"]
    chat.click("Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert low_rating_notes(world) == []


def test_r20_one_typed_alone_then_the_options_number_at_the_second_question(world):
    """Typed as text (Telegram and Slack show buttons, not numbers; the terminal, which numbers
    the options, sends a digit as that option): "2" at the second question is its second
    option, Ótimo (the first option)."""
    ticket, chat = at_rating(world)
    chat.send("1")
    assert chat.labels == ["Péssimo (1 de 5 estrelas)", "Ótimo (a 1ª opção)", "Agora não"]
    chat.send("2")
    assert world.ticket(ticket.id).rating == Rating.GREAT


@pytest.mark.parametrize(("typed", "rating"), [
    ("3", Rating.FAIR),  # the third option and three stars alike: no second question
    ("nota 8", Rating.GOOD), ("10/10", Rating.GREAT), ("6 de 10", Rating.FAIR),
    ("nota 0", Rating.TERRIBLE),  # marks that say they are out of 10
    # Stars sent as emoji, and marks out of 5: they said "Não entendi" and kept no rating.
    ("⭐⭐⭐⭐⭐", Rating.GREAT), ("⭐⭐", Rating.POOR), ("★★★", Rating.FAIR),
    ("🌟🌟🌟🌟", Rating.GOOD), ("4 de 5", Rating.GOOD), ("4/5", Rating.GOOD),
    ("1 of 5", Rating.TERRIBLE)])
def test_r20_numbers_that_mean_one_thing_are_recorded_at_once(world, typed, rating):
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating == rating


def in_english(world, who="carla"):
    def english(uow):
        user = uow.users.get(world.ids[who])
        user.language = "en"
        uow.users.update(user)
        uow.commit()

    world.read(english)


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize("typed", ["0", "00", "11"])  # "6" to "10": rating_loose
def test_r20_a_number_alone_off_the_manuals_scale_is_refused_and_asked_again(world, typed, lang):
    """The manual rates from 1 to 5 (Ótimo to Péssimo): "0" alone was recorded as Péssimo (a
    mark out of 10) and the agent told of a low rating, "6" as Regular; a slip of the finger
    became the ticket's rating. The same in every channel: the terminal's own numbers (6 is
    its Agora não) never reach here."""
    if lang == "en":
        in_english(world)
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    chat.click(t("conv.closing.approve", lang))
    chat.send(typed)
    assert world.ticket(ticket.id).rating is None
    assert low_rating_notes(world) == []
    assert t("conv.closing.rate_off_scale", lang, number=typed) in chat.text
    assert chat.prompt.text == t("conv.closing.ask_rating", lang, number=ticket.number)
    chat.click(t("rating.bom", lang))
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_r20_a_click_is_still_the_option_clicked(world):
    ticket, chat = at_rating(world)
    chat.click("Péssimo")
    assert world.ticket(ticket.id).rating == Rating.TERRIBLE
    assert len(low_rating_notes(world)) == 1


def test_r20_agora_nao_says_no_rating_was_kept_and_how_to_rate_later(world):
    """Agora não went to the menu without a word: in the terminal, whose options are
    numbered, a "6" typed there read as a rating taken (QA took it so)."""
    ticket, chat = at_rating(world)
    chat.click("Agora não")
    assert pt("conv.closing.rate_later", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).rating is None


@pytest.mark.parametrize(("typed", "rating"), [
    ("nada bom", None), ("nada bom, demorou demais", None), ("nada ótimo", None),
    ("ótimo, nada a reclamar", Rating.GREAT)])
def test_r20_nada_bom_is_no_good_rating(world, typed, rating):
    """"nada bom" (not good at all) was recorded as Bom, and no agent told of a low rating:
    "nada" before a rating word negates it, as "não" does; "nada a reclamar" does not."""
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating == rating
