"""R3, R4: an English customer saying she is done at the descrição's complement and at the
anexos ("go on", "that's all") goes on; "go on" had joined the descrição as a complement."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import UserInput


def english_at_complement(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("novo")
    for _ in range(3):  # Support, the first service, the current version
        chat.send(UserInput.of_choice(chat.prompt.choices[0].id))
    chat.send("Sales order won't confirm")
    chat.send("Sales order 4431 says negative stock when I confirm it")
    assert chat.state().step == "intake.descricao_mais"
    return chat


def descricao(chat):
    return chat.state().data["intake"]["draft"]["descricao"]


@pytest.mark.parametrize("typed", ["go on", "Go on as is", "ok, go on", "that's all",
                                   "that's it", "move on", "proceed", "nothing else"])
def test_r3_done_words_in_english_go_on_without_joining_the_descricao(world, typed):
    chat = english_at_complement(world)
    chat.send(typed)
    assert descricao(chat) == "Sales order 4431 says negative stock when I confirm it"
    assert chat.state().step == "intake.anexos"


@pytest.mark.parametrize("typed", ["that's all", "no attachments", "go on"])
def test_r4_done_words_in_english_conclude_the_anexos(world, typed):
    chat = english_at_complement(world)
    chat.send("skip")
    assert chat.state().step == "intake.anexos"
    chat.send(typed)
    assert chat.state().step == "intake.prioridade"
    assert descricao(chat) == "Sales order 4431 says negative stock when I confirm it"
