"""R2: Pedro (not trained) wrote a problem, then "quero abrir um chamado": the answer said
twice that he needs the training, who in his company may open it and whom to ask (the
refusal, then the offer of his message again with the same explanation). It is said once."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t

PROBLEM = "o caixa travou na hora de emitir nota"


@pytest.mark.parametrize(("lang", "problem", "ask"), [
    ("pt_BR", PROBLEM, "quero abrir um chamado"),
    ("pt_BR", PROBLEM, "novo"),
    ("en", "the register freezes when issuing invoices", "open a ticket"),
])
def test_r2_an_untrained_customer_asking_to_open_a_ticket_hears_why_once(
        world, lang, problem, ask):
    world.speaks("novato", lang)
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send(problem)
    chat.send(ask)
    text = chat.text
    assert text.count("Carla Souza") == 1, text  # who may open it for him: once
    assert text.count("coord@exemplo.com.br") == 1, text  # whom to ask for the training
    assert t("conv.typed.offer_untrained_told", lang, text=problem) in text  # still offered
    assert chat.state().step == "menu.typed"
    chat.click(t("conv.typed.kb", lang))
    assert chat.state().step.startswith("kb."), chat.text
