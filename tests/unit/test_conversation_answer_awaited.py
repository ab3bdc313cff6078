"""R7, R10: a session's start names the open ticket whose team waits for the customer's answer
(an agent's trâmite was the last word in it, asking her something); it was not mentioned, the
question found only by opening the ticket. Her answer, an internal note or a ticket awaiting
approval (offered as such) name none."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import t
from core.services import closing, handling, tramites


def asked(world, assunto="Erro reajuste contrato de venda"):
    ticket = world.open("carla", assunto=assunto)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id,
              "Qual a versão do PDV instalada na loja?")
    return ticket


def test_r7_the_session_start_names_the_ticket_awaiting_her_answer(world):
    ticket = asked(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert pt("conv.session.answer_awaited", numbers=ticket.number, first=ticket.number) \
        in chat.text


def test_r7_several_are_named_together(world):
    first = asked(world)
    second = asked(world, "Boleto com juros errados")
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert pt("conv.session.answer_awaited", numbers=f"{second.number}, {first.number}",
              first=second.number) in chat.text


def test_r7_once_she_answered_or_only_a_note_followed_none_is_named(world):
    ticket = asked(world)
    world.run(tramites.add_tramite, world.ids["carla"], ticket.id, "Versão 2026.11.")
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "Conferir com o dev.")
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert "espera a sua resposta" not in chat.text


def test_r7_a_ticket_awaiting_approval_is_offered_not_named_so(world):
    ticket = asked(world)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert "espera a sua resposta no ticket" not in chat.text


def test_r7_in_english(world):
    world.speaks("carla", "en")
    ticket = asked(world)
    chat = chat_for(world, "carla")
    chat.send("hi")
    assert t("conv.session.answer_awaited", "en", numbers=ticket.number,
             first=ticket.number) in chat.text
