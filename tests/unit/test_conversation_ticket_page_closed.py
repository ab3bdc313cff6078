"""R7, R18: words typed at the page of a ticket that was rejected or closed meanwhile say why
they are no trâmite before they are offered as a new ticket."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.models import EntryKind
from core.services import closing, handling


def public_entries(world, ticket):
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    return [e for e in entries if e.kind == EntryKind.PUBLIC]


def on_page(world, ticket):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return chat


def test_r18_text_at_the_page_of_a_ticket_rejected_as_duplicate_names_the_original(world):
    """It was offered as a new ticket ('Você escreveu: … Quer abrir um ticket…') as if the
    message had reached the ticket on screen; then as a new ticket, though the attendance
    goes on in the original: it is offered as the original's trâmite."""
    original = world.open("carla", assunto="Boleto com vencimento errado")
    ticket = world.open("carla", assunto="Boleto vence no dia errado")
    chat = on_page(world, ticket)
    world.run(handling.reject_duplicate, world.ids["ana"], ticket.id, original.number)
    chat.send("O boleto 5531 também saiu com vencimento errado")
    assert chat.replies[0].text == pt("conv.tramite.not_open_duplicate", number=ticket.number,
                                      original=original.number)
    assert pt("conv.tramite.offer", number=original.number) in chat.prompt.text
    assert "O boleto 5531 também saiu com vencimento errado" in chat.prompt.text
    assert public_entries(world, ticket) == []


def test_r7_text_at_the_page_of_a_ticket_closed_meanwhile_says_it_is_closed(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido o vencimento",
              origin_id="erro_sistema")
    chat = on_page(world, ticket)
    world.run(closing.approve, world.ids["carla"], ticket.id)  # from another chat
    chat.send("O boleto voltou a sair com vencimento errado")
    assert chat.replies[0].text == pt("conv.tramite.not_open_closed", number=ticket.number)
    assert chat.prompt.text == pt("conv.typed.offer",
                                  text="O boleto voltou a sair com vencimento errado") + "\n" \
        + pt("conv.typed.follows_note", number=ticket.number)
