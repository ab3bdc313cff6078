"""R9, R8: "meus tickets" ("my tickets", "meus chamados abertos") typed at the knowledge base's
question, its results or an article searched the articles for those words ("Encontrei 1 artigo
para “meus tickets”: Como abrir um bom ticket"); it lists the customer's tickets, as at the
menu. "como abrir um ticket" is still searched: an article answers it."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t


def at_kb(world, where, lang="pt_BR"):
    world.open("carla", assunto="Boleto com vencimento errado")
    if lang != "pt_BR":
        world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(t("conv.menu.kb", lang))
    if where != "kb.query":
        chat.send("xml da nota rejeitada")
    if where == "kb.article":
        chat.send("1")
    assert chat.state().step == where
    return chat


@pytest.mark.parametrize("where", ["kb.query", "kb.results", "kb.article"])
@pytest.mark.parametrize(("typed", "lang"), [("meus tickets", "pt_BR"), ("my tickets", "en"),
                                             ("meus chamados abertos", "pt_BR")])
def test_r9_my_tickets_typed_at_the_knowledge_base_lists_them(world, where, typed, lang):
    chat = at_kb(world, where, lang)
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert "Boleto com vencimento errado" in chat.prompt.text


@pytest.mark.parametrize("typed", ["como abrir um ticket", "abrir um bom ticket"])
def test_r9_words_about_tickets_are_still_searched_at_the_question(world, typed):
    chat = at_kb(world, "kb.query")
    chat.send(typed)
    assert chat.state().step == "kb.results"
