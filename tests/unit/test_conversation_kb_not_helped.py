"""R3, R9: "isso não resolveu" typed at an article (or at the results) was searched as words
("Não encontrei artigos para “isso não resolveu”"); now the customer is offered a ticket, the
problem typed before searching and their words kept, the search still one click away."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_kb_then_ticket import TYPED, draft_descricao, kb_after_typing

from core.i18n import t


def at_article(world, who="carla", lang="pt_BR"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.click(t("conv.menu.kb", lang))
    chat.send("xml da nota rejeitada")
    chat.send("1")
    assert chat.state().step == "kb.article"
    return chat


@pytest.mark.parametrize(("typed", "said"), [
    ("isso não resolveu", "not_helped"), ("não ajudou", "not_helped"),
    ("Não era isso", "not_helped"), ("ainda não consegui", "not_helped"),
    ("quero falar com alguém", "wants_person"), ("quero abrir um chamado", "wants_person")])
def test_r9_words_saying_the_article_did_not_help_offer_a_ticket(world, typed, said):
    chat = at_article(world)
    chat.send(typed)
    assert chat.prompt.text == pt(f"conv.kb.{said}")
    assert chat.labels == [pt("conv.menu.new"), pt("conv.kb.search_words", words=typed),
                           pt("conv.kb.back_article"), pt("conv.menu.back")]
    chat.click(pt("conv.menu.new"))
    assert chat.state().step.startswith("intake.")
    assert not draft_descricao(chat)  # three words saying only that: no descrição


def test_r9_a_problem_told_with_it_becomes_the_descricao(world):
    chat = at_article(world)
    said = "fiz isso e não resolveu, continua dando rejeição 539 na nota 10125"
    chat.send(said)
    assert chat.prompt.text == pt("conv.kb.not_helped")
    chat.click(pt("conv.menu.new"))
    assert draft_descricao(chat) == said


def test_r9_the_problem_typed_before_searching_comes_first(world):
    chat = kb_after_typing(world)
    chat.send("1")
    chat.send("não resolveu, o certificado já foi renovado ontem")
    chat.click(pt("conv.menu.new"))
    assert draft_descricao(chat) == TYPED + "\n" + \
        "não resolveu, o certificado já foi renovado ontem"


def test_r9_the_words_can_still_be_searched(world):
    chat = at_article(world)
    chat.send("não funciona o gravador de passos")
    chat.click(pt("conv.kb.search_words", words="não funciona o gravador de pa…"))
    assert chat.state().step == "kb.results"
    assert "Gravador de passos" in chat.prompt.text


def test_r9_at_the_results_too(world):
    chat = at_article(world)
    chat.click(pt("conv.kb.back"))
    chat.send("não era isso")
    assert chat.prompt.text == pt("conv.kb.not_helped")
    chat.click(pt("conv.kb.back_results"))
    assert chat.state().step == "kb.results"


def test_r9_a_plain_search_is_still_a_search(world):
    chat = at_article(world)
    chat.send("horário de atendimento")
    assert chat.state().step == "kb.results"
    assert "Horário de atendimento" in chat.prompt.text


def test_r2_an_untrained_customer_is_told_whom_to_ask_and_no_ticket_is_offered(world):
    chat = at_article(world, "novato")
    chat.send("isso não resolveu")
    assert pt("conv.menu.new") not in chat.labels
    assert chat.prompt.text.startswith(pt("conv.kb.not_helped_untrained", contact="")[:40])


def test_r9_not_helped_in_english(world):
    world.speaks("carla", "en")
    chat = at_article(world, lang="en")
    chat.send("that didn't help")
    assert chat.prompt.text == t("conv.kb.not_helped", "en")
    chat.click(t("conv.menu.new", "en"))
    assert chat.state().step.startswith("intake.")
