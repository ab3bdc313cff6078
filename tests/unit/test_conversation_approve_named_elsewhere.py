"""R19, R10: an approval left for later ("Agora não", Decidir depois) is taken up when the
customer names it: "quero aprovar o 0002" typed at another ticket's page was offered as that
ticket's trâmite, and at her listing searched for; it now asks to confirm that approval, as at
the menu."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import t
from core.models import Status
from core.services import closing, handling


def left_for_later(world, lang="pt_BR"):
    other = world.open("carla", assunto="Boleto com juros errados")
    ticket = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido no pacote.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(t("conv.closing.not_now", lang))
    return other, ticket, chat


def test_r19_quero_aprovar_named_at_another_tickets_page_asks_to_confirm_it(world):
    other, ticket, chat = left_for_later(world)
    chat.send(f"ticket {other.number}")
    chat.send(f"quero aprovar o {ticket.number[-4:]}")
    assert pt("conv.closing.confirm_approve", number=ticket.number) in chat.text
    assert "Envio como trâmite" not in chat.text
    chat.click(pt("conv.closing.confirm_yes"))
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert world.ticket(other.id).status != Status.CLOSED


def test_r19_quero_aprovar_named_at_the_listing_asks_to_confirm_it(world):
    _, ticket, chat = left_for_later(world)
    chat.send("meus tickets")
    chat.send(f"quero aprovar o {ticket.number}")
    assert pt("conv.closing.confirm_approve", number=ticket.number) in chat.text


def test_r19_approve_named_at_another_page_in_english(world):
    world.speaks("carla", "en")
    other, ticket, chat = left_for_later(world, "en")
    chat.send(f"ticket {other.number}")
    chat.send(f"I approve {ticket.number}")
    assert t("conv.closing.confirm_approve", "en", number=ticket.number) in chat.text
