"""R14 (manual §4: telephone support, always about a registered ticket): "qual o telefone do
suporte?" was told to call with the ticket's number at hand, and given no number. The number is
a setting (SUPPORT_PHONE); the contact answer gives it, with the ticket to have at hand."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r14_the_support_phone_is_given_when_asked(world, lang):
    world.policy = world.policy.model_copy(update={"support_phone": "(11) 3333-4444"})
    if lang == "en":
        world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("qual o telefone do suporte?" if lang == "pt_BR" else "what is your phone number?")
    assert t("conv.contact.phone", lang, phone="(11) 3333-4444") in chat.text


def test_r14_without_the_setting_no_number_is_made_up(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("qual o telefone do suporte?")
    assert pt("conv.contact.open") in chat.text
    assert "Telefone do suporte" not in chat.text


def test_r2_an_untrained_customer_is_given_the_phone_too(world):
    world.policy = world.policy.model_copy(update={"support_phone": "(11) 3333-4444"})
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("qual o telefone do suporte?")
    assert pt("conv.contact.phone", phone="(11) 3333-4444") in chat.text
