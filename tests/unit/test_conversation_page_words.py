"""The next or previous page of a list asked in words. "próximo" at the agents' queue showed
its first page again (the word also asks for the queue), "mais" or "more" at a listing was
searched for and found nothing: on every paged list of the chat (the queue, the listing, an
agent's worklists, the knowledge base's results) the words for the next and the previous page
turn it, in pt-BR and English; past the last page (or before the first) it is said so."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for
from test_conversation_rating import in_english

from core.i18n import t
from core.services import handling

NEXT = {"pt_BR": ["próximo", "próxima", "mais", "próxima página", "seguinte", "ver mais"],
        "en": ["next", "more", "next page", "show more"]}
PREV = {"pt_BR": ["anterior", "página anterior"], "en": ["previous", "previous page"]}


def many(world, n=12):
    tickets = []
    for i in range(n):
        tickets.append(world.open("carla", assunto=f"Pedido {4400 + i} não confirma"))
        world.advance(minutes=5)
    return tickets


def at_list(world, where, lang):
    tickets = many(world)
    if where == "meus":
        for ticket in tickets:
            world.run(handling.take, world.ids["ana"], ticket.id)
    if lang == "en":
        in_english(world, "ana")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send({"fila": "fila", "tickets": "tickets", "meus": "meus"}[where])
    assert t("conv.list.next", lang) in chat.labels
    return chat


def page_told(chat):
    """The page number the list's header tells ("Página 2 de 3", "Page 2 of 3")."""
    head = chat.prompt.text.splitlines()[0]
    return head.rsplit(" ", 3)[-3]


@pytest.mark.parametrize("where", ["fila", "tickets", "meus"])
@pytest.mark.parametrize(("lang", "word"), [(lang, w) for lang, ws in NEXT.items() for w in ws])
def test_r12_the_next_page_in_words_turns_the_page(world, where, lang, word):
    chat = at_list(world, where, lang)
    step = chat.state().step
    first = chat.prompt.text
    chat.send(word)
    assert chat.state().step == step
    assert chat.prompt.text != first
    assert page_told(chat) == "2"


@pytest.mark.parametrize("where", ["fila", "tickets", "meus"])
@pytest.mark.parametrize(("lang", "word"), [(lang, w) for lang, ws in PREV.items() for w in ws])
def test_r12_the_previous_page_in_words_turns_back(world, where, lang, word):
    chat = at_list(world, where, lang)
    first = chat.prompt.text
    chat.click(t("conv.list.next", lang))
    chat.send(word)
    assert chat.prompt.text == first


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r12_no_page_past_the_last_or_before_the_first_is_said_so(world, lang):
    chat = at_list(world, "fila", lang)
    first = chat.prompt.text
    chat.send(PREV[lang][0])
    assert t("conv.list.first_page", lang) in chat.text
    assert chat.prompt.text == first
    chat.send(NEXT[lang][0])
    chat.send(NEXT[lang][0])
    last = chat.prompt.text
    assert page_told(chat) == "3"
    chat.send(NEXT[lang][0])
    assert t("conv.list.last_page", lang) in chat.text
    assert chat.prompt.text == last


@pytest.mark.parametrize("where", ["fila", "tickets", "meus"])
@pytest.mark.parametrize(("lang", "word"), [("pt_BR", "página 3"), ("pt_BR", "pag 3"),
                                            ("pt_BR", "ir para a página 3"), ("en", "page 3")])
def test_r12_a_page_named_by_its_number_is_shown(world, where, lang, word):
    """"página 2" searched the tickets for the words and found nothing."""
    chat = at_list(world, where, lang)
    chat.send(word)
    assert page_told(chat) == "3"
    chat.send("página 1" if lang == "pt_BR" else "page 1")
    assert page_told(chat) == "1"


def test_r12_a_page_past_the_last_shows_the_last(world):
    chat = at_list(world, "tickets", "pt_BR")
    chat.send("página 9")
    assert page_told(chat) == "3"
