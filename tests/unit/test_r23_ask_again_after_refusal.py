"""R23: a customer who refused a charge and changed their mind could never authorize it: the
answer was final and the agent's Orçamento… with the same amount changed nothing, so the
only way to ask again was to retype the quote differently. The same quote given again after a
refusal now asks the customer again; after an authorization, or while pending, it still
changes nothing."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.conversation import prompt_for_ticket_event
from core.i18n import render_notification
from core.services import billing, handling

QUOTE = "2 h de configuração, R$ 360,00"


def prompts(world, ticket):
    return [m for m in world.outbox() if m.kind == "ticket.billing_prompt"
            and m.ticket_id == ticket.id and m.target == "carla@exemplo.com.br"]


def refused(world):
    ticket = world.open("carla", assunto="Configurar nova filial")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "configuracao", quote=QUOTE)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, False)
    return ticket


def test_r23_the_same_quote_after_a_refusal_asks_the_customer_again(world):
    ticket = refused(world)
    world.run(billing.set_quote, world.ids["ana"], ticket.id, QUOTE)
    stored = world.ticket(ticket.id)
    assert (stored.billing_quote, stored.billing_authorized) == (QUOTE, None)
    first, again = prompts(world, ticket)
    text = render_notification(again.kind, again.params, "pt_BR")[1]
    assert f"Orçamento: {QUOTE}" in text
    assert "substitui o anterior" not in text  # not told of a change there was none of
    carla = chat_for(world, "carla")
    carla.send("oi")
    carla.replies = world.run(prompt_for_ticket_event, carla.key, ticket.id,
                              "ticket.billing_prompt")
    carla.click("Autorizo")
    assert pt("conv.closing.billing_authorized", number=ticket.number) in carla.text
    assert world.ticket(ticket.id).billing_authorized is True


def test_r23_the_same_quote_after_an_authorization_changes_nothing(world):
    ticket = refused(world)
    world.run(billing.set_quote, world.ids["ana"], ticket.id, QUOTE)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    world.run(billing.set_quote, world.ids["ana"], ticket.id, QUOTE)  # a double submit
    world.run(billing.set_quote, world.ids["ana"], ticket.id, QUOTE)
    assert world.ticket(ticket.id).billing_authorized is True
    assert len(prompts(world, ticket)) == 2


def test_r23_the_chat_tells_the_agent_when_the_same_quote_asked_nobody(world):
    """The chat said 'O cliente recebeu o pedido de autorização' for a quote typed the same
    while the customer's answer was pending: nothing had been sent. After a refusal, the same
    amount does ask again, and says so."""
    ticket = world.open("carla")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "backup", quote=QUOTE)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.quote"))
    chat.send(QUOTE)
    assert pt("conv.staff.quote_unchanged", number=ticket.number, quote=QUOTE) in chat.text
    assert pt("conv.staff.quote_set", number=ticket.number, quote=QUOTE) not in chat.text
    assert len(prompts(world, ticket)) == 1
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, False)
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.quote"))
    chat.send(QUOTE)
    assert pt("conv.staff.quote_set", number=ticket.number, quote=QUOTE) in chat.text
    assert len(prompts(world, ticket)) == 2
