"""R4: "remover" typed at the files' question (its button is *Remover anexos*) was added to the
descrição as a complement ("Complemento acrescentado à descrição.") and the files stayed. Now
the words of the button remove the files, and with none there they are said to be none; the
descrição keeps only what the customer wrote about the problem."""

from __future__ import annotations

import pytest
from fakes.chat import attachment, chat_for, pt

from core.conversation.replies import UserInput
from core.i18n import t

DESCRICAO = "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma"


def at_anexos(world, lang="pt_BR", files=True):
    if lang != "pt_BR":
        world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("novo")
    chat.send("1")
    chat.send("estoque" if lang == "pt_BR" else "inventory")
    chat.send("2026.11")
    chat.send("Saldo negativo no estoque")
    chat.send(DESCRICAO)
    if chat.state().step != "intake.anexos":
        chat.send("seguir assim" if lang == "pt_BR" else "continue as is")
    assert chat.state().step == "intake.anexos"
    if files:
        chat.send(UserInput.of_files([attachment("erro.png")]))
    return chat


def draft(chat):
    return chat.state().data["intake"]["draft"]


@pytest.mark.parametrize("typed", ["remover", "Remover os anexos", "tirar os arquivos",
                                   "apagar anexo"])
def test_r4_the_buttons_words_remove_the_files(world, typed):
    chat = at_anexos(world)
    chat.send(typed)
    assert draft(chat)["attachments"] == []
    assert pt("conv.intake.anexos_cleared") in chat.text
    assert draft(chat)["descricao"] == DESCRICAO


def test_r4_with_no_file_there_are_none_to_remove(world):
    chat = at_anexos(world, files=False)
    chat.send("remover")
    assert pt("conv.intake.anexos_none_to_remove") in chat.text
    assert draft(chat)["descricao"] == DESCRICAO
    assert chat.state().step == "intake.anexos"


def test_r4_a_complement_naming_the_files_still_joins_the_descricao(world):
    chat = at_anexos(world)
    chat.send("o anexo mostra o erro ao confirmar o pedido 4431 no caixa 2")
    assert len(draft(chat)["attachments"]) == 1
    assert "caixa 2" in draft(chat)["descricao"]


def test_r4_remove_typed_in_english(world):
    chat = at_anexos(world, "en")
    chat.send("remove the attachments")
    assert draft(chat)["attachments"] == []
    assert t("conv.intake.anexos_cleared", "en") in chat.text
