"""R17: a word typed at the version question is no version: what one looks like is said."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


def at_version(world, who="carla"):
    chat = chat_for(world, who)
    chat.send("novo")
    chat.send("1")
    chat.send("1")
    assert chat.state().step == "intake.versao"
    return chat


def draft_of(chat):
    return chat.state().data["intake"]["draft"]


def english(world, who):
    def change(uow):
        user = uow.users.get(world.ids[who])
        user.language = "en"
        uow.users.update(user)
        uow.commit()
    world.read(change)


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize("typed", ["Gold", "versão gold", "a de novembro", "beta"])
def test_r17_words_at_the_version_are_refused_with_what_a_version_looks_like(world, lang,
                                                                              typed):
    """"Gold" was stored as the version ("Não reconheci esse formato, mas guardei"): the
    team got a version that says nothing. Now the customer reads that versions are numbers
    like the current one and where to find it, the words quoted back, and is asked again;
    nothing else of the draft moves."""
    if lang == "en":
        english(world, "carla")
    chat = at_version(world)
    chat.send(typed)
    assert t("conv.intake.version_no_number", lang, typed=typed, current="2026.11") \
        in chat.text
    assert chat.state().step == "intake.versao"
    assert draft_of(chat)["versao"] is None
    assert (draft_of(chat)["assunto"], draft_of(chat)["descricao"]) == (None, None)
    chat.click("2026.11")
    assert draft_of(chat)["versao"] == "2026.11"
    assert chat.state().step == "intake.assunto"


@pytest.mark.parametrize("typed", ["não faço ideia", "nem ideia", "sei não", "n sei",
                                   "desconheço", "não tenho ideia", "no idea", "not sure"])
def test_r17_i_dont_know_said_in_other_words_moves_on_as_unknown(world, typed):
    """Ways of saying "não sei" other than the button's were stored as the version."""
    chat = at_version(world)
    chat.send(typed)
    assert chat.state().step == "intake.assunto"
    assert draft_of(chat)["versao"] is None


@pytest.mark.parametrize("typed", ["onde vejo a versão?", "como descubro a versão do sistema?",
                                   "qual versão?"])
def test_r17_asking_where_the_version_is_answers_where_and_keeps_nothing(world, typed):
    """A question about the version was kept as the assunto (a sentence) or stored as the
    version; it gets the answer, and the version is asked again."""
    chat = at_version(world)
    chat.send(typed)
    assert pt("conv.intake.version_where", current="2026.11") in chat.text
    assert chat.state().step == "intake.versao"
    assert (draft_of(chat)["versao"], draft_of(chat)["assunto"]) == (None, None)


def test_r17_a_sentence_at_the_version_is_still_kept_as_the_assunto(world):
    chat = at_version(world)
    chat.send("Erro ao confirmar pedido de venda")
    assert draft_of(chat)["assunto"] == "Erro ao confirmar pedido de venda"
    assert draft_of(chat)["versao"] is None


@pytest.mark.parametrize("typed", ["a mais nova", "a mais atual", "atualizada", "estou na última",
                                   "uso a atual", "acho que é a última", "the latest one"])
def test_r17_the_current_version_said_in_other_words_is_the_current_release(world, typed):
    """These were refused as no version number (before: kept as the version, as typed)."""
    chat = at_version(world)
    chat.send(typed)
    assert draft_of(chat)["versao"] == "2026.11"
    assert chat.state().step == "intake.assunto"
