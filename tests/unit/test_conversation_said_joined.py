"""R7: words typed while a message waits for Enviar or Descartar: the customer is told they
were joined to it and sees what will be sent; "pronto" is not part of it."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


def waiting(world, first="Ainda está dando erro na nota 4431"):
    """Carla at her ticket's page, a message typed there waiting to be sent or discarded."""
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send(first)
    assert chat.state().step == "ticket.said"
    return chat, ticket


def public_entries(world, ticket):
    return [e.text for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
            if e.author_id == world.ids["carla"]]


def test_r7_the_first_offer_says_more_words_join_the_message(world):
    chat, _ = waiting(world)
    assert pt("conv.tramite.more") in chat.prompt.text


def test_r7_words_typed_while_a_message_waits_are_said_joined_to_it(world):
    """The second message was appended silently: the same offer came back and the customer
    could not tell whether it had gone, or would go as a message of its own."""
    chat, ticket = waiting(world)
    before = public_entries(world, ticket)
    chat.send("Ah, e também na 4432")
    assert chat.replies[0].text == pt("conv.tramite.joined", count=2)
    assert chat.prompt.text.startswith(pt(
        "conv.tramite.said", text="Ainda está dando erro na nota 4431\nAh, e também na 4432"))
    assert [c.label for c in chat.prompt.choices] == ["Enviar como trâmite", "Descartar"]
    assert public_entries(world, ticket) == before  # nothing sent yet
    chat.click("Enviar")
    assert public_entries(world, ticket)[-1] == \
        "Ainda está dando erro na nota 4431\nAh, e também na 4432"


def test_r7_words_joined_after_a_long_log_are_shown_not_cut_off(world):
    """After a pasted log the offer showed only the text's first 500 characters: what the
    customer had just added was out of sight."""
    log = "ERRO 539 Rejeicao: duplicidade de NF-e, chave 3526 " * 15
    chat, _ = waiting(world, log)
    chat.send("acontece em todas as notas de hoje")
    assert "acontece em todas as notas de hoje" in chat.prompt.text
    assert log[:100] in chat.prompt.text


@pytest.mark.parametrize("typed", ["pronto", "é isso", "só isso", "terminei"])
def test_r7_saying_done_is_not_joined_and_asks_for_the_button(world, typed):
    chat, ticket = waiting(world)
    chat.send(typed)
    assert pt("conv.tramite.done_typing") in chat.text
    assert chat.state().data["tramite"]["said"] == "Ainda está dando erro na nota 4431"
    assert chat.state().step == "ticket.said"


def test_r7_the_joined_message_reads_in_english(world):
    world.speaks("carla", "en")
    chat, _ = waiting(world, "The invoice 4431 still fails")
    chat.send("and 4432 too")
    assert chat.replies[0].text == t("conv.tramite.joined", "en", count=2)


def test_r7_the_same_message_sent_again_is_kept_once_and_said_so(world):
    """A message resent (Telegram's retry of a bad connection, an impatient repeat) was joined
    again: 'Ainda está dando erro…' twice in the trâmite."""
    chat, ticket = waiting(world)
    chat.send("Ainda está dando erro na nota 4431")
    assert chat.replies[0].text == pt("conv.tramite.repeated")
    assert chat.state().data["tramite"]["said"] == "Ainda está dando erro na nota 4431"
    chat.send("e na 4432")
    assert chat.replies[0].text == pt("conv.tramite.joined", count=2)


def test_r3_a_matter_sent_again_at_the_menu_is_offered_once(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O caixa 3 trava ao fechar a venda")
    chat.send("O caixa 3 trava ao fechar a venda")
    assert chat.state().data["typed"]["text"] == "O caixa 3 trava ao fechar a venda"
