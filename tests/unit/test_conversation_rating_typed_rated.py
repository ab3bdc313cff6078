"""R20: "nota 10, a Ana foi ótima" typed at the menu (or on coming back) about a ticket she
already rated was offered as a new ticket whose descrição was the compliment. She is now told
she rated it, with its mark, and the compliment is kept as the rating's comment while it has
none (the one comment a rating takes); with one already, that is said, nothing kept."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.models import Rating
from core.services import closing, handling


def rated(world, mark=Rating.GOOD, comment=None):
    ticket = world.open("carla", assunto="Reajuste zera parcela")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Instale o pacote.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    world.run(closing.rate, world.ids["carla"], ticket.id, mark, comment)
    world.advance(hours=3)
    return ticket


def test_r20_a_compliment_typed_on_a_ticket_rated_says_so_and_keeps_it_as_the_comment(world):
    ticket = rated(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("nota 10, a Ana foi ótima")
    assert pt("conv.closing.rated_by", who=pt("conv.closing.you"), number=ticket.number,
              rating="Bom") in chat.text
    assert pt("conv.closing.comment_kept") in chat.text
    assert not (chat.state().data.get("typed") or {}).get("text")
    assert world.ticket(ticket.id).rating == Rating.GOOD
    assert world.ticket(ticket.id).rating_comment == "nota 10, a Ana foi ótima"


def test_r20_the_same_words_as_the_first_message_of_a_session(world):
    ticket = rated(world, Rating.GREAT)
    chat = chat_for(world, "carla")
    chat.send("a Ana foi ótima, obrigada")
    assert pt("conv.closing.rated_by", who=pt("conv.closing.you"), number=ticket.number,
              rating="Ótimo") in chat.text
    assert world.ticket(ticket.id).rating_comment == "a Ana foi ótima, obrigada"


def test_r20_a_rating_with_its_comment_already_keeps_nothing_more(world):
    ticket = rated(world, comment="Resolveu rápido.")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("nota 10, a Ana foi ótima")
    assert "já avaliou o atendimento do ticket" in chat.text
    assert pt("conv.closing.commented_already", who=pt("conv.closing.you"),
              number=ticket.number, comment="Resolveu rápido.") in chat.text
    assert world.ticket(ticket.id).rating_comment == "Resolveu rápido."
    assert not (chat.state().data.get("typed") or {}).get("text")


@pytest.mark.parametrize("typed", ["nota 10", "5 estrelas"])
def test_r20_a_mark_alone_on_a_rated_ticket_says_its_mark(world, typed):
    ticket = rated(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert pt("conv.closing.rated_by", who=pt("conv.closing.you"), number=ticket.number,
              rating="Bom") in chat.text
    assert world.ticket(ticket.id).rating_comment is None


def test_r20_a_new_matter_after_a_rated_ticket_is_still_offered(world):
    rated(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("foi ótimo mas agora a impressora não imprime")
    assert "já avaliou" not in chat.text
    assert chat.state().data["typed"]["text"] == "foi ótimo mas agora a impressora não imprime"


def test_r20_in_english(world):
    world.speaks("carla", "en")
    ticket = rated(world, Rating.GREAT)
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("great service, Ana was amazing")
    assert t("conv.closing.rated_by", "en", who=t("conv.closing.you", "en"),
             number=ticket.number, rating="Great") in chat.text, chat.text
    assert t("conv.closing.comment_kept", "en") in chat.text
