"""The knowledge base's article on recording the steps (the Windows steps recorder) is found by
the words customers ask with: in English ("how do I record the steps", "how do I take a
screenshot": found already, pinned here) and in Portuguese ("como tirar print", "como gravo a
tela": the NF-e article came first, or the article not at all)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core import kb

ARTICLE = "gravador-de-passos"


@pytest.mark.parametrize("query", [
    "how do I record the steps", "how to record steps", "record my screen", "steps recorder",
    "how do I take a screenshot", "screen recording", "como tirar print", "como mando o print",
    "como gravo a tela", "gravar os passos", "captura de tela"])
def test_the_steps_recorder_article_comes_first(query):
    found = kb.search(kb.default_articles(), query)
    assert found
    assert found[0].slug == ARTICLE


@pytest.mark.parametrize("query", ["print da rejeição", "nota rejeitada"])
def test_a_rejected_invoice_still_finds_its_own_article_first(query):
    assert kb.search(kb.default_articles(), query)[0].slug == "nfe-rejeicao"


def test_how_do_i_record_the_steps_in_an_english_chat(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("knowledge base")
    chat.send("how do I record the steps")
    assert any("psr.exe" in label for label in chat.labels)
