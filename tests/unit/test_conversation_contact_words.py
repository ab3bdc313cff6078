"""R14: a question about when the team works ("vocês atendem sábado?", "que horas vocês
abrem?", "are you open on saturday?") is answered with the team's hours; a problem that uses
the same words ("o caixa não abre", "o sistema não funciona hoje") is still a problem."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation import intents
from core.conversation.replies import Command


@pytest.mark.parametrize("typed", ["vocês atendem sábado?", "que horas vocês abrem?",
                                   "até que horas tem suporte hoje?", "vocês abrem amanhã?",
                                   "atendem no fim de semana?", "o suporte está aberto?",
                                   "are you open on saturday?"])
def test_r14_a_question_about_the_teams_days_and_hours_asks_for_them(typed):
    """'vocês atendem sábado?' was offered as a new ticket."""
    assert intents.command(typed) == (Command.CONTACT, "")


@pytest.mark.parametrize("typed", ["o caixa não abre", "o sistema não funciona hoje",
                                   "o pedido está aberto desde ontem", "hoje", "amanhã",
                                   "o caixa fecha sozinho"])
def test_r14_a_problem_or_a_day_alone_is_no_question_about_hours(typed):
    assert intents.command(typed) is None or intents.command(typed)[0] != Command.CONTACT


def test_r14_the_customer_asking_on_saturday_reads_the_hours(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("vocês atendem sábado?")
    assert "segunda a sexta" in chat.text
    assert pt("conv.typed.open") not in chat.labels
