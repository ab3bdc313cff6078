"""R4: a customer's programs and scripts (setup.exe, corrige.bat, nota.pdf.js) are refused by
name wherever files are sent, and nothing else sent with them is lost; the team's own files
(a correction package, R15) are kept. A customer's virus.exe was kept on the ticket, one
double-click away for the agent who opened it."""

from __future__ import annotations

import pytest
from fakes.chat import attachment, chat_for, pt, to_anexos

from core.conversation import UserInput


def at_anexos(world):
    chat = to_anexos(chat_for(world, "carla"))
    assert chat.state().step == "intake.anexos"
    return chat


def kept(chat):
    return [a["filename"] for a in chat.state().data["intake"]["draft"]["attachments"]]


@pytest.mark.parametrize("name", ["setup.exe", "CORRIGE.BAT", "nota.pdf.js", "atalho.lnk",
                                  "script.ps1", "instalar.msi", "tela.scr", "\u202efdp.exe"])
def test_r4_a_customers_program_is_refused_by_name(world, name):
    chat = at_anexos(world)
    chat.send(UserInput.of_files([attachment(name)]))
    assert chat.replies[0].text == pt("conv.files.executable", names=name)
    assert kept(chat) == []
    assert chat.state().step == "intake.anexos"  # asked again


def test_r4_the_other_files_sent_with_it_are_kept(world):
    chat = at_anexos(world)
    chat.send(UserInput.of_files([attachment("tela.png"), attachment("setup.exe"),
                                  attachment("nota.xml")]))
    assert pt("conv.files.executable", names="setup.exe") in chat.text
    assert kept(chat) == ["tela.png", "nota.xml"]


@pytest.mark.parametrize("name", ["relatorio.pdf", "nota.xml", "log.txt", "banco.zip",
                                  "executavel", "video.mp4", "planilha.xlsx"])
def test_r4_ordinary_files_are_kept(world, name):
    chat = at_anexos(world)
    chat.send(UserInput.of_files([attachment(name)]))
    assert kept(chat) == [name]


def test_r4_a_program_sent_at_the_menu_is_not_carried_into_a_ticket(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(UserInput.of_files([attachment("setup.exe")], caption="o PDV trava ao abrir"))
    assert pt("conv.files.executable", names="setup.exe") in chat.text
    assert "setup.exe" not in chat.prompt.text


def test_r15_an_agents_correction_package_is_kept(world):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send(UserInput.of_files([attachment("pacote-correcao.exe")]))
    assert "pacote-correcao.exe" in chat.text
    assert pt("conv.files.executable", names="pacote-correcao.exe") not in chat.text
