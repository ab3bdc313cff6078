"""R3: an edited message changes the ticket being opened only where its text was taken whole."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.conversation import UserInput, edits


def typed(text: str, ref: str) -> UserInput:
    """A typed message with the channel's id, as an adapter that sees edits hands it over."""
    return UserInput(text=text, ref=ref)


def to_complement(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send(typed("Pedido não confirma", "10"))
    chat.send(typed("O pedido 4431 não confirma", "11"))  # no menu path: a complement asked
    return chat


def test_r3_an_edit_of_the_descricao_keeps_the_complement_added_after_it(world):
    chat = to_complement(world)
    chat.send(typed("Caminho: Vendas / Pedidos / Novo pedido", "12"))
    said = world.run(edits.edited, chat.key, "11", "O pedido 4432 não confirma na 2026.11")
    assert [r.text for r in said] == [pt("conv.edited.applied", fields="Descrição")]
    draft = chat.state().data["intake"]["draft"]
    assert draft["descricao"] == ("O pedido 4432 não confirma na 2026.11\n"
                                  "Caminho: Vendas / Pedidos / Novo pedido")
    world.run(edits.edited, chat.key, "12", "Caminho: Vendas / Pedidos / Alterar pedido")
    assert chat.state().data["intake"]["draft"]["descricao"].endswith("Alterar pedido")


def test_r3_an_edit_of_words_not_taken_into_the_draft_changes_nothing(world):
    chat = to_complement(world)
    chat.send(typed("seguir assim", "12"))  # going on, not a complement: not remembered
    before = chat.state().data["intake"]["draft"]
    said = world.run(edits.edited, chat.key, "12", "Vendas / Pedidos")
    assert [r.text for r in said] == [pt("conv.edited.intake")]
    assert chat.state().data["intake"]["draft"] == before
    too_long = "x" * (world.policy.assunto_max + 1)
    said = world.run(edits.edited, chat.key, "10", too_long)  # refused as an assunto would be
    assert [r.text for r in said] == [pt("conv.edited.intake")]
    assert chat.state().data["intake"]["draft"]["assunto"] == "Pedido não confirma"


def test_an_edit_outside_a_ticket_being_opened_is_left_to_the_channel(world):
    chat = chat_for(world, "carla")
    chat.send(typed("oi", "5"))
    assert world.run(edits.edited, chat.key, "5", "olá") == []
