"""START (Telegram's /start, each new terminal run) in the middle of something typed: it
resumed an unfinished intake, but put back at the menu a customer whose reason or restriction
was typed and not yet confirmed (R19), whose comment was held for the rating (R20), or who had
the knowledge base's results on screen after a search (R9); what they had typed was gone. It
is kept now and the question asked again; cancelar and menu still leave as before."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_closing import at_decision, awaiting
from test_conversation_rating import at_rating, in_english

from core.i18n import t
from core.models import EntryKind, Rating, Status

NOT_WORKING = "não funcionou, a nota 10130 ainda volta rejeitada"
DID_NOT_WORK = {"pt_BR": NOT_WORKING, "en": "it did not work, invoice 10130 is still rejected"}


def public_words(world, ticket, who="carla"):
    with world.store() as uow:
        return [e.text for e in uow.entries.list(ticket.id, False)
                if e.kind == EntryKind.PUBLIC and e.author_id == world.ids[who]]


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r19_start_at_the_restriction_check_keeps_the_words_and_asks_again(world, lang):
    if lang == "en":
        in_english(world)
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    chat.click(t("conv.closing.partial", lang))
    chat.send(DID_NOT_WORK[lang])
    asked = chat.prompt
    assert asked.text == t("conv.closing.comment_check", lang, number=ticket.number)
    chat.send("/start")
    assert chat.prompt.text == asked.text
    assert [c.label for c in chat.prompt.choices] == [c.label for c in asked.choices]
    assert t("conv.resume_kept", lang, about=DID_NOT_WORK[lang]) in chat.text
    assert t("conv.menu.prompt", lang) not in chat.text
    chat.click(t("conv.closing.check_not_approve", lang))
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert public_words(world, ticket) == [DID_NOT_WORK[lang]]


def test_r19_start_at_the_reason_keeps_the_words_offered(world):
    ticket, chat = at_decision(world)
    typed = "não resolveu, o saldo continua negativo na loja 2"
    chat.send(typed)
    asked = chat.prompt.text
    assert pt("conv.closing.said", text=typed) in asked
    chat.send("/start")
    assert chat.prompt.text == asked
    assert pt("conv.resume") in chat.text  # the question shows the words: not said twice
    chat.click(pt("conv.closing.use_said"))
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert public_words(world, ticket) == [typed]


def test_r19_start_at_the_decision_keeps_the_words_said_kept(world):
    ticket, chat = at_decision(world)
    typed = "o pedido 4431 confirmou, mas o 4432 ainda não sai na loja 3"
    chat.send(typed)
    assert pt("conv.closing.said_kept") in chat.text
    chat.send("/start")
    assert t("conv.resume_kept", about=typed) in chat.text
    assert chat.state().step == "closing.decide"
    chat.click("Não aprovar")
    chat.click(pt("conv.closing.use_said"))
    assert public_words(world, ticket) == [typed]


def test_r20_start_keeps_the_comment_held_for_the_rating(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    asked = chat.prompt.text
    chat.send("/start")
    assert chat.prompt.text == asked
    assert pt("conv.closing.comment_held", comment="demorou muito, mas resolveu") in asked
    chat.click("Regular")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.FAIR,
                                                      "demorou muito, mas resolveu")


def test_r9_start_after_a_search_shows_its_results_again(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("kb nota fiscal rejeitada")
    asked = chat.prompt
    assert "nota fiscal rejeitada" in asked.text
    chat.send("/start")
    assert pt("conv.resume") in chat.text
    assert chat.prompt.text == asked.text
    assert chat.labels == [c.label for c in asked.choices]


@pytest.mark.parametrize(("word", "said"), [("cancelar", "conv.cancel.done"), ("menu", None)])
def test_r19_cancel_and_menu_still_leave_after_start(world, word, said):
    ticket, chat = at_decision(world)
    chat.click("Aprovar com restrições")
    chat.send(NOT_WORKING)
    chat.send("/start")
    chat.send(word)
    if said:
        assert pt(said) in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r8_a_deep_link_still_opens_its_ticket_at_a_question_with_words_kept(world):
    other = world.open("carla", assunto="Boleto com vencimento errado")
    ticket, chat = at_decision(world)
    chat.click("Aprovar com restrições")
    chat.send(NOT_WORKING)
    chat.send(f"/start {other.number.replace('/', '_')}")
    assert other.number in chat.prompt.text
    assert "Boleto com vencimento errado" in chat.prompt.text
    assert chat.state().step == "ticket.view"


def test_r19_words_held_at_the_restriction_check_survive_a_long_pause(world):
    """The pause kept the words of a reason or restriction, but not at the check that asks
    which they are: START a day later put Carla at the menu, the words gone."""
    ticket, chat = at_decision(world)
    chat.click("Aprovar com restrições")
    chat.send(NOT_WORKING)
    world.advance(hours=30)
    chat.send("/start")
    assert pt("conv.stale") not in chat.text
    assert chat.replies[0].text.startswith(pt("conv.stale_closing", when="", number="",
                                              about="")[:40])
    assert chat.prompt.text == pt("conv.closing.comment_check", number=ticket.number)
    chat.click(pt("conv.closing.check_not_approve"))
    assert public_words(world, ticket) == [NOT_WORKING]


def test_r3_start_at_a_message_offered_as_a_ticket_keeps_it_offered(world):
    """A problem typed at the menu was offered as a new ticket; a /start (a new terminal run)
    put the customer back at the menu and the message was gone."""
    chat = chat_for(world, "carla")
    chat.send("oi")
    said = "o PDV da loja 2 trava ao fechar o caixa"
    chat.send(said)
    asked = chat.prompt.text
    assert asked == pt("conv.typed.offer", text=said)
    chat.send("/start")
    assert chat.prompt.text == asked
    assert pt("conv.menu.prompt") not in chat.text
    chat.click(pt("conv.typed.open"))
    assert chat.state().data["intake"]["draft"]["descricao"] == said
