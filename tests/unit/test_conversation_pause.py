"""A long pause (policy.stale_conversation_hours) keeps what was written and not yet sent: a
trâmite (R7) and the words of a reason or restriction at the approval (R19)."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.conversation import prompt_for_ticket_event
from core.models import EntryKind, Status
from core.services import closing, handling


def public_entries(world, ticket):
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    return [e for e in entries if e.kind == EntryKind.PUBLIC]


def test_r7_a_tramite_written_and_not_sent_survives_a_long_pause(world):
    """It was dropped: 'O que estava em andamento foi descartado.'"""
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("O pedido 4431 continua travado depois do pacote")
    assert chat.state().step == "ticket.said"
    world.advance(hours=30)
    chat.send("bom dia")
    assert pt("conv.stale") not in chat.text
    assert chat.replies[0].text.startswith(pt("conv.stale_tramite", when="", number="",
                                              about="")[:40])
    assert ticket.number in chat.replies[0].text
    assert "O pedido 4431 continua travado" in chat.prompt.text
    assert chat.state().step == "ticket.said"
    chat.click(pt("conv.tramite.send_said"))
    assert pt("conv.tramite.added", number=ticket.number) in chat.text
    [entry] = public_entries(world, ticket)
    assert entry.text == "O pedido 4431 continua travado depois do pacote"


def test_r19_a_reason_being_written_at_the_approval_survives_a_long_pause(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3: reinstale e confirme o pedido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    reason = "Não resolveu, o pedido 4431 continua sem confirmar depois do pacote"
    chat.send(reason)
    assert chat.state().step == "closing.reason"
    world.advance(hours=30)
    chat.send("oi")
    assert pt("conv.stale") not in chat.text
    assert chat.replies[0].text.startswith(pt("conv.stale_closing", when="", number="",
                                              about="")[:40])
    assert chat.state().step == "closing.reason"
    chat.click(pt("conv.closing.use_said"))
    assert pt("conv.closing.not_approved", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert public_entries(world, ticket)[-1].text.endswith(reason)


def test_r19_words_kept_for_a_ticket_closed_meanwhile_are_dropped_as_before(world):
    """A ticket that no longer awaits approval takes no reason: the pause starts over."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.send("Não resolveu, o pedido 4431 continua sem confirmar")
    world.run(closing.approve, world.ids["carla"], ticket.id)  # from another chat
    world.advance(hours=30)
    chat.send("oi")
    assert pt("conv.stale_closing", when="", number="", about="")[:40] not in chat.text
    assert chat.state().step != "closing.reason"


def test_r7_an_approval_pushed_after_the_pause_leaves_the_unsent_tramite_kept(world):
    """The pushed approval question took over the paused chat and the trâmite was lost; the
    plain notice goes instead, and the next message resumes the trâmite."""
    ticket = world.open("carla")
    other = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("O pedido 4431 continua travado depois do pacote")
    world.advance(hours=30)
    world.run(handling.take, world.ids["ana"], other.id)
    world.run(closing.request_approval, world.ids["ana"], other.id, "Vencimento corrigido.",
              origin_id="erro_sistema")
    replies = world.run(prompt_for_ticket_event, chat.key, other.id,
                        "ticket.approval_requested")
    assert replies == []  # the plain notice, not the question over the unsent trâmite
    chat.send("bom dia")
    assert "O pedido 4431 continua travado" in chat.prompt.text
    assert chat.state().step == "ticket.said"
