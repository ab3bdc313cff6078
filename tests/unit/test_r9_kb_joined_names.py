"""R9: "nfe", as customers type NF-e, finds the NF-e article in the knowledge base; it found
nothing (only "NF-e", with its hyphen, did), in the chat too."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.kb import default_articles, search

NFE = "Como enviar a rejeição e o XML de uma NF-e"


@pytest.mark.parametrize("query", ["nfe", "NFe", "como faço pra cancelar uma nfe?", "nfce",
                                   "NF-e"])
def test_r9_a_hyphenated_name_typed_joined_finds_its_article(query):
    assert NFE in [a.title for a in search(default_articles(), query)]


def test_r9_the_chat_search_for_nfe_lists_the_article(world):
    chat = chat_for(world, "carla")
    chat.send("kb")
    chat.send("nfe")
    assert NFE in chat.text or any(NFE in c.label for c in chat.prompt.choices)
