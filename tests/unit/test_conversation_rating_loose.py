"""R20: "10" alone (in Brazil, "nota 10" is top marks) and a thumb at the rating question.
"10" was refused as off the scale, "👍" got "Não entendi"; now each is read back to be
confirmed or corrected, nothing recorded silently."""

from __future__ import annotations

import pytest
from fakes.chat import pt
from test_conversation_rating import at_rating, in_english

from core.i18n import t
from core.models import Rating


@pytest.mark.parametrize("typed", ["10", "dez", "10!"])
def test_r20_ten_alone_is_read_as_the_top_of_the_scale_and_said_back(world, typed):
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating is None  # said back first: the customer confirms
    assert chat.prompt.text == pt("conv.closing.rate_top", typed=typed, rating="Ótimo")
    assert chat.labels == ["Sim, Ótimo", "Outra avaliação", "Agora não"]
    chat.click("Sim, Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert pt("conv.closing.thanks") in chat.text


@pytest.mark.parametrize("typed", ["nota 10", "Nota dez!"])
def test_r20_a_mark_of_ten_is_recorded_as_the_top_at_once_and_said(world, typed):
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert pt("conv.closing.rated_as", rating="Ótimo") in chat.text


def test_r20_ten_read_as_the_top_can_be_corrected(world):
    ticket, chat = at_rating(world)
    chat.send("10")
    chat.click("Outra avaliação")
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    chat.click("Bom")
    assert world.ticket(ticket.id).rating == Rating.GOOD


@pytest.mark.parametrize(("typed", "offered", "clicked", "rating"), [
    ("👍", ["Ótimo", "Bom"], "Bom", Rating.GOOD),
    ("👍🏽", ["Ótimo", "Bom"], "Ótimo", Rating.GREAT),
    ("👎", ["Ruim", "Péssimo"], "Péssimo", Rating.TERRIBLE)])
def test_r20_a_thumb_asks_which_of_the_ratings_it_may_be(world, typed, offered, clicked,
                                                         rating):
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating is None
    assert chat.prompt.text == pt("conv.closing.rate_thumb", typed=typed)
    assert chat.labels == [*offered, "Outra avaliação", "Agora não"]
    chat.click(clicked)
    assert world.ticket(ticket.id).rating == rating


def test_r20_ten_and_a_thumb_in_english(world):
    ticket, chat = at_rating(world)
    in_english(world)
    chat.send("10")
    assert chat.prompt.text == t("conv.closing.rate_top", "en", typed="10", rating="Great")
    chat.click("Another rating")
    chat.send("👍")
    assert chat.prompt.text == t("conv.closing.rate_thumb", "en", typed="👍")
    chat.click("Good")
    assert world.ticket(ticket.id).rating == Rating.GOOD


@pytest.mark.parametrize(("answer", "rating"), [("sim", Rating.GREAT), ("pode", Rating.GREAT),
                                               ("não", None)])
def test_r20_ten_said_back_is_answered_in_words(world, answer, rating):
    ticket, chat = at_rating(world)
    chat.send("10")
    chat.send(answer)
    assert world.ticket(ticket.id).rating == rating
    if rating is None:  # the whole scale again
        assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize(("typed", "rating"), [
    ("9", Rating.GREAT), ("8", Rating.GOOD), ("7", Rating.GOOD), ("6", Rating.FAIR),
    ("nove", Rating.GREAT), ("eight", Rating.GOOD)])
def test_r20_a_mark_out_of_ten_alone_is_said_back_on_our_scale(world, lang, typed, rating):
    """"9" or "8" alone (a Brazilian's mark out of 10) was refused as "not on the scale 1 to
    5"; now read as "nota 9" is (9-10 Ótimo, 7-8 Bom, 5-6 Regular), said back, recorded only
    once confirmed."""
    ticket, chat = at_rating(world)
    if lang == "en":
        in_english(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating is None
    shown = t(f"rating.{rating.value}", lang)
    assert chat.prompt.text == t("conv.closing.rate_out_of_ten", lang, typed=typed,
                                 rating=shown)
    assert chat.labels == [t("conv.closing.rate_top_yes", lang, rating=shown),
                           t("conv.closing.rate_other", lang), t("conv.closing.not_now", lang)]
    chat.send("yes" if lang == "en" else "sim")
    assert world.ticket(ticket.id).rating == rating


def test_r20_a_mark_out_of_ten_said_back_can_be_corrected(world):
    ticket, chat = at_rating(world)
    chat.send("8")
    chat.send("não")
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    chat.click("Regular")
    assert world.ticket(ticket.id).rating == Rating.FAIR
