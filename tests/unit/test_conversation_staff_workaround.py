"""R12: an agent in the chat (terminal, or Telegram when linked) sends a workaround from the
ticket's page, as the Slack card's *Solução de contorno* does: the customer is told it is one
and that the definitive fix follows; the ticket stays open for it."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.models import EntryKind, Status
from core.services import closing, handling

TEXT = "Emita em contingência (Fiscal / NF-e / Contingência) até a correção."


def taken_page(world):
    ticket = world.open("carla", assunto="Não consigo emitir NF-e")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return ticket, chat


def test_r12_an_agent_sends_a_workaround_from_the_page_and_the_ticket_stays_open(world):
    ticket, chat = taken_page(world)
    chat.click(pt("conv.staff.send_workaround"))
    assert chat.state().step == "ticket.workaround"
    assert pt("conv.staff.ask_workaround", number=ticket.number) in chat.prompt.text
    chat.send(TEXT)
    assert pt("conv.staff.workaround_sent", number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.awaiting_since) == (Status.IN_PROGRESS, None)
    assert stored.workaround_at == world.now
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert [e.text for e in entries if e.kind == EntryKind.PUBLIC] == [TEXT]
    assert [m.params["solution"] for m in world.outbox() if m.kind == "ticket.workaround"]
    assert pt("conv.staff.send_solution") in chat.labels  # the definitive fix, later


def test_r12_back_sends_no_workaround(world):
    ticket, chat = taken_page(world)
    chat.click(pt("conv.staff.send_workaround"))
    chat.click(pt("conv.tramite.back"))
    assert chat.state().step == "ticket.view"
    assert world.ticket(ticket.id).workaround_at is None
    assert not [m for m in world.outbox() if m.kind == "ticket.workaround"]


def test_r12_the_customer_reads_on_the_page_that_a_workaround_came(world):
    ticket, chat = taken_page(world)
    chat.click(pt("conv.staff.send_workaround"))
    chat.send(TEXT)
    carla = chat_for(world, "carla")
    carla.send("oi")
    carla.send(f"ticket {ticket.number}")
    assert pt("conv.ticket.workaround", date="24/11/2026 10:00") in carla.text
    assert TEXT in carla.text


def test_r12_once_the_definitive_fix_is_sent_the_page_no_longer_says_it_follows(world):
    ticket, chat = taken_page(world)
    chat.click(pt("conv.staff.send_workaround"))
    chat.send(TEXT)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido na 2026.11.3: o certificado A1 foi renovado.", origin_id="erro_sistema")
    carla = chat_for(world, "carla")
    carla.send("oi")
    carla.send(f"ticket {ticket.number}")
    assert pt("conv.ticket.workaround", date="24/11/2026 10:00") not in carla.text
    assert pt("conv.ticket.workaround_then_fix", date="24/11/2026 10:00",
              fixed="24/11/2026 10:00") in carla.text
