"""R14: words a customer sends the team outside business hours are told when it is back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.chat import chat_for, pt

from core.conversation.replied import replied_on
from core.i18n import t
from core.services import closing, handling, users

SUNDAY_EVENING = datetime(2026, 11, 29, 21, 30, tzinfo=UTC)  # 18:30 in São Paulo
BACK = "amanhã às 08:00"


def taken(world, assunto="Erro ao confirmar pedido de venda"):
    ticket = world.open("carla", assunto=assunto)
    world.run(handling.take, world.ids["ana"], ticket.id)
    return ticket


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r14_a_tramite_sent_on_sunday_says_when_the_team_is_back(world, lang):
    """"Trâmite adicionado" alone: Carla did not know her question waits until Monday."""
    ticket = taken(world)
    world.run(lambda ctx: users.change_language(ctx, ctx.uow.users.get(world.ids["carla"]),
                                                lang))
    world.now = SUNDAY_EVENING
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click(t("conv.ticket.add_tramite", lang))
    chat.send("O pedido 4431 ainda não confirma")
    back = t("fmt.tomorrow_at", lang, dt=datetime(2026, 11, 30, 8, 0))
    assert t("conv.tramite.added", lang, number=ticket.number) in chat.text
    assert t("conv.contact.closed", lang, when=back) in chat.text


def test_r14_a_tramite_in_business_hours_has_no_after_hours_note(world):
    ticket = taken(world)
    world.now = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 11:00
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send("O pedido 4431 ainda não confirma")
    assert pt("conv.tramite.added", number=ticket.number) in chat.text
    assert "fora do horário" not in chat.text


def test_r14_a_solution_not_approved_at_night_says_when_the_team_is_back(world):
    ticket = taken(world)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    world.now = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # Tuesday 20:00
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.click("Não aprovar")
    chat.send("O pedido 4431 continua sem confirmar depois do pacote")
    assert pt("conv.closing.not_approved", number=ticket.number) in chat.text
    assert pt("conv.contact.closed", when=BACK) in chat.text


def test_r14_a_reply_to_a_ticket_s_message_on_a_holiday_says_when_the_team_is_back(world):
    ticket = taken(world)
    world.now = datetime(2026, 12, 25, 13, 0, tzinfo=UTC)  # Christmas, a Friday
    chat = chat_for(world, "carla")  # her reply to the bot's message about the ticket
    replies, added = world.run(lambda ctx: replied_on(ctx, chat.key, ticket.id,
                                                      "Segue o print do erro"))
    assert added
    texts = "\n".join(r.text for r in replies)
    assert pt("conv.tramite.added", number=ticket.number) in texts
    assert pt("conv.contact.closed", when="segunda-feira, 28/12 às 08:00") in texts
