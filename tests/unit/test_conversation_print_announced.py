"""R3: "segue o print", "vou mandar o print" typed at a question of the intake that is not the
anexos' was misread: at the priority "Aqui preciso só da prioridade", at the descrição's
complement kept as part of the descrição. The customer means to attach: where files go is
said (the anexos step later, or send it now: kept as anexos) and the question stays."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt, to_anexos

from core.conversation import print_announced
from core.i18n import t

DESCRICAO = "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma"


@pytest.mark.parametrize("typed", [
    "segue o print", "vou mandar o print", "Vou enviar o print da tela", "segue print",
    "seguem os prints", "já mandei o print", "vou anexar a imagem", "segue em anexo",
    "te mando o print já já", "ok, vou mandar o print", "here is the screenshot",
    "I'll send the screenshot", "attaching a picture"])
def test_announcing_a_file_is_read_as_such(typed):
    assert print_announced.announced(typed)


@pytest.mark.parametrize("typed", [
    "o print mostra o erro ao fechar a venda", "a imagem do produto não aparece no site",
    "não consigo mandar o XML para a SEFAZ", "print", "segue o mesmo erro"])
def test_a_matter_about_prints_is_no_announcement(typed):
    assert not print_announced.announced(typed)


def at_priority(world):
    chat = to_anexos(chat_for(world, "carla"))
    chat.click("Concluir")
    assert chat.state().step == "intake.prioridade"
    return chat


def test_segue_o_print_at_the_priority_says_send_it_now_and_keeps_the_question(world):
    chat = at_priority(world)
    asked = chat.prompt.text
    chat.send("segue o print")
    assert pt("conv.intake.print_now") in chat.text
    assert (chat.state().step, chat.prompt.text) == ("intake.prioridade", asked)
    assert chat.state().data["intake"]["draft"].get("prioridade") is None
    chat.files("tela.png")  # sent now: kept as the ticket's anexos, the question still asked
    assert [a["filename"] for a in chat.state().data["intake"]["draft"]["attachments"]] == \
        ["tela.png"]
    assert chat.state().step == "intake.prioridade"


def test_vou_mandar_o_print_at_the_complement_is_not_added_to_the_descricao(world):
    chat = to_anexos(chat_for(world, "carla"), assunto="Caixa travando")
    chat.send("voltar")
    assert chat.state().step in ("intake.descricao", "intake.descricao_mais")
    step = chat.state().step
    chat.send("vou mandar o print")
    assert pt("conv.intake.print_later") in chat.text
    assert chat.state().step == step
    assert "print" not in (chat.state().data["intake"]["draft"]["descricao"] or "")


def test_segue_o_print_at_the_servico_says_the_anexos_come_later(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.send("segue o print")
    assert pt("conv.intake.print_later") in chat.text
    assert chat.state().step == "intake.servico"


def test_in_english(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("new")
    chat.click("Support")
    chat.send("here is the screenshot")
    assert t("conv.intake.print_later", "en") in chat.text
    assert chat.state().step == "intake.servico"


def test_segue_o_print_at_the_anexos_is_left_to_that_step(world):
    chat = to_anexos(chat_for(world, "carla"))
    chat.send("segue o print")
    assert pt("conv.intake.print_now") not in chat.text
    assert pt("conv.intake.print_later") not in chat.text
