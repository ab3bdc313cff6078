"""R20: an English customer's words at the rating question name the rating as the Portuguese
ones do: "4 out of 5" as "4 de 5", "so-so" as "mais ou menos", "horrible" as "horrível",
"amazing" as "maravilhoso"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t
from core.models import Rating
from core.services import closing, handling


def at_rating_in_english(world):
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Erro ao confirmar pedido de venda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", "en", number=ticket.number))
    chat.click(t("conv.closing.approve", "en"))
    assert chat.prompt.text == t("conv.closing.ask_rating", "en", number=ticket.number)
    return ticket, chat


@pytest.mark.parametrize(("typed", "rating"), [
    ("4 out of 5", Rating.GOOD), ("9 out of 10", Rating.GREAT), ("so-so", Rating.FAIR),
    ("so so", Rating.FAIR), ("horrible", Rating.TERRIBLE), ("amazing", Rating.GREAT),
    ("awesome!", Rating.GREAT), ("the worst", Rating.TERRIBLE)])
def test_r20_english_words_name_the_rating(world, typed, rating):
    """Each was held as a comment, the rating asked again."""
    ticket, chat = at_rating_in_english(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating == rating
