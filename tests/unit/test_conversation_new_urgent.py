"""R3, R12: "abrir chamado urgente", "quero registrar um problema" start the intake; they were
offered as a ticket whose descrição would be those very words."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.intents import command
from core.conversation.replies import Command


@pytest.mark.parametrize("typed", ["abrir chamado urgente", "preciso abrir um chamado urgente",
                                   "quero registrar um problema", "abrir ticket crítico",
                                   "open an urgent ticket"])
def test_r3_a_request_for_a_ticket_with_its_urgency_starts_the_intake(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().flow == "intake"
    assert chat.state().data["intake"]["draft"]["descricao"] is None
    assert pt("conv.intake.ask_item") in chat.prompt.text


@pytest.mark.parametrize("text", ["problema", "urgente", "novo problema no pdv",
                                  "o problema do chamado urgente continua"])
def test_r3_urgency_or_a_problem_alone_opens_nothing(text):
    assert command(text) != (Command.NEW, "")
