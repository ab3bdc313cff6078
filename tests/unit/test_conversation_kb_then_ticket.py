"""R3, R9: a problem typed, looked up in the knowledge base first and then opened as a ticket
from the results or an article, keeps the words typed as the descrição; they were lost, and the
descrição asked for from scratch."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import t

TYPED = "o certificado digital venceu e a nota fiscal não sai desde hoje cedo"


def kb_after_typing(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(TYPED)
    chat.click(pt("conv.typed.kb"))
    assert chat.state().step == "kb.results"
    return chat


def draft_descricao(chat):
    return chat.state().data["intake"]["draft"]["descricao"]


def test_r9_abrir_ticket_from_the_results_keeps_what_was_typed(world):
    chat = kb_after_typing(world)
    chat.click(pt("conv.menu.new"))
    assert chat.state().step.startswith("intake.")
    assert draft_descricao(chat) == TYPED


def test_r9_a_search_refined_and_an_article_read_keep_it_too(world):
    chat = kb_after_typing(world)
    chat.click(pt("conv.kb.again"))
    chat.send("nota fiscal")
    chat.send("1")  # the first article found
    assert chat.state().step == "kb.article"
    chat.click(pt("conv.menu.new"))
    assert draft_descricao(chat) == TYPED


def test_r9_the_kb_from_the_menu_opens_a_ticket_with_nothing_written(world):
    chat = kb_after_typing(world)
    chat.send("menu")
    chat.click(pt("conv.menu.kb"))
    chat.send("nota fiscal")
    chat.click(pt("conv.menu.new"))
    assert not draft_descricao(chat)


def test_r9_a_search_of_common_words_only_asks_for_a_word_about_the_problem(world):
    """"quero ver isso aqui" at the knowledge base listed every article as found for it."""
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.click(pt("conv.menu.kb"))
    chat.send("quero ver isso aqui")
    assert pt("error.kb_common_words", words="quero ver isso aqui") in chat.text
    assert chat.state().step == "kb.query"
    chat.send("certificado digital")
    assert chat.state().step == "kb.results"


def test_r9_an_english_chat_finds_the_articles_by_english_words(world):
    """The articles are Portuguese; "business hours" in an English chat found none."""
    world.speaks("novato", "en")
    chat = chat_for(world, "novato")
    chat.send("hi")
    chat.click(t("conv.menu.kb", "en"))
    chat.send("business hours")
    assert chat.state().step == "kb.results"
    assert "Horário de atendimento" in chat.labels
