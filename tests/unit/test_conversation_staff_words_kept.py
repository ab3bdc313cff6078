"""R7: an agent's reply typed at the menu by mistake ("Corrigido o arredondamento do índice na
versão 2026.11.2; atualize e refaça o reajuste.") was searched as words and found nothing: the
text was left in the search, to retype at the ticket. Now the empty search offers it as a
trâmite of a ticket named by its number, Enviar, nota interna or Descartar."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.models import EntryKind
from core.services import handling

REPLY = "Corrigido o arredondamento do índice na versão 2026.11.2; atualize e refaça o reajuste."


def typed_at_menu(world, lang="pt_BR"):
    ticket = world.open("carla", assunto="Erro reajuste contrato")
    world.run(handling.take, world.ids["ana"], ticket.id)
    if lang != "pt_BR":
        world.speaks("ana", lang)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(REPLY)
    assert t("conv.list.empty", lang) in chat.prompt.text
    return ticket, chat


def entries(world, ticket):
    def read(uow):
        return [(e.kind, e.text) for e in uow.entries.list(ticket.id, True)
                if e.kind != EntryKind.SYSTEM]
    return world.read(read)


@pytest.mark.parametrize(("number", "button", "kind"), [
    ("full", "conv.tramite.send_said", EntryKind.PUBLIC),
    ("short", "conv.tramite.send_note", EntryKind.INTERNAL)])
def test_r7_an_agents_reply_typed_at_the_menu_goes_to_the_ticket_named(world, number, button,
                                                                       kind):
    ticket, chat = typed_at_menu(world)
    chat.click(pt("conv.list.as_tramite"))
    assert chat.prompt.text.startswith(pt("conv.list.as_tramite_which"))
    chat.send(ticket.number if number == "full" else str(ticket.seq))
    assert pt("conv.tramite.said", text=REPLY) in chat.prompt.text
    assert entries(world, ticket) == []  # offered, not sent
    chat.click(pt(button))
    assert entries(world, ticket) == [(kind, REPLY)]


def test_r7_a_number_of_no_ticket_is_said_and_asked_again(world):
    _, chat = typed_at_menu(world)
    chat.click(pt("conv.list.as_tramite"))
    chat.send("202611/9999")
    assert chat.state().step == "list.as_tramite"
    assert "202611/9999" in chat.text


def test_r7_short_words_or_a_customer_get_no_such_offer(world):
    _, chat = typed_at_menu(world)
    chat.send("menu")
    chat.send("boleto vencido")  # a search, two words
    assert pt("conv.list.as_tramite") not in chat.labels
    carla = chat_for(world, "carla")
    carla.send("oi")
    carla.send("tickets")
    carla.send("buscar")
    carla.send(REPLY)
    assert pt("conv.list.as_tramite") not in carla.labels


def test_r7_in_english(world):
    ticket, chat = typed_at_menu(world, "en")
    chat.click(t("conv.list.as_tramite", "en"))
    chat.send(ticket.number)
    chat.click(t("conv.tramite.send_said", "en"))
    assert entries(world, ticket) == [(EntryKind.PUBLIC, REPLY)]


def test_r7_the_ticket_ending_in_1_is_a_number_not_an_option(world):
    """The terminal types an option's number: the question has none, so "1" is …/0001."""
    ticket, chat = typed_at_menu(world)
    chat.click(pt("conv.list.as_tramite"))
    assert chat.labels == []
    chat.send(str(ticket.seq))
    assert pt("conv.tramite.said", text=REPLY) in chat.prompt.text
