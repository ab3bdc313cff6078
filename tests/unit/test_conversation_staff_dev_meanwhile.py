"""R15: a note for development typed in the chat for a ticket a colleague sent to development
(or solved) meanwhile is kept, not lost: the chat says what happened and offers it as an
internal note of the ticket (the developers read it in the ticket's development thread), or
Descartar. It said 'já está em desenvolvimento: nada mudou' and asked for the note again, what
was typed gone; Slack's modal keeps the text on screen."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import t
from core.models import EntryKind, Status
from core.services import closing, handling

NOTE = "Falha no cálculo do ICMS-ST na NF-e 10125, ver log do dia 24"


def at_dev_note(world, ticket, who="ana", lang="pt_BR"):
    """An agent's chat at the development note of the ticket."""
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(t("conv.staff.actions", lang))
    chat.click(t("slack.btn.dev", lang))
    assert chat.state().step == "ticket.dev"
    return chat


def entries(world, ticket, kind):
    return [e.text for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
            if e.kind == kind]


def test_r15_a_note_for_a_ticket_a_colleague_forwarded_meanwhile_is_kept_as_an_internal_note(
        world):
    ticket = world.open("carla")
    chat = at_dev_note(world, ticket)
    world.run(handling.forward_to_development, world.ids["bruno"], ticket.id, "Ver o log")
    chat.send(NOTE)
    assert pt("error.already_in_development", number=ticket.number) in chat.text
    assert NOTE in chat.text  # shown again, kept
    assert pt("conv.staff.dev_note_kept", number=ticket.number) in chat.text
    assert chat.labels == [pt("conv.tramite.send_note"), pt("conv.tramite.drop")]
    chat.click(pt("conv.tramite.send_note"))
    assert pt("conv.tramite.note_added", number=ticket.number) in chat.text
    assert entries(world, ticket, EntryKind.INTERNAL) == [NOTE]
    assert entries(world, ticket, EntryKind.PUBLIC) == []  # the customer hears nothing
    [line] = [m for m in world.outbox() if m.kind == "dev.note"]
    assert (line.params["text"], line.params["author"]) == (NOTE, "Ana Atendente")
    assert [m.params["note"] for m in world.outbox() if m.kind == "dev.forwarded"] == \
        ["Ver o log"]  # forwarded once, by Bruno
    assert chat.state().step == "ticket.view"


def test_r15_the_kept_note_survives_a_command_and_english_says_it_too(world):
    world.speaks("ana", "en")
    ticket = world.open("carla")
    chat = at_dev_note(world, ticket, lang="en")
    world.run(handling.forward_to_development, world.ids["bruno"], ticket.id)
    chat.send("Tax calculation fails on invoice 10125")
    assert f"Ticket {ticket.number} is already in development: nothing changed." in chat.text
    assert t("conv.staff.dev_note_kept", "en", number=ticket.number) in chat.text
    assert chat.labels == ["Send as an internal note", "Discard"]
    chat.click("Discard")
    assert entries(world, ticket, EntryKind.INTERNAL) == []
    assert world.ticket(ticket.id).status == Status.IN_DEVELOPMENT


def test_r15_a_note_for_a_ticket_solved_meanwhile_is_kept_too(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["bruno"], ticket.id)
    chat = at_dev_note(world, ticket)
    world.run(closing.request_approval, world.ids["bruno"], ticket.id, "Corrigido.",
              "erro_sistema")
    chat.send(NOTE)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert NOTE in chat.text
    assert chat.labels == [pt("conv.tramite.send_note"), pt("conv.tramite.drop")]
    chat.send("enviar")  # typed: the note, never a public trâmite
    assert entries(world, ticket, EntryKind.INTERNAL) == [NOTE]
    assert entries(world, ticket, EntryKind.PUBLIC) == ["Corrigido."]  # Bruno's solution


SOLUTION = "Reinstale o pacote 2026.11.3 e reinicie o PDV."


def at_origin(world, ticket, who="ana"):
    """An agent's chat at the origin question of the solution she wrote."""
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.send_solution"))
    chat.send(SOLUTION)
    assert chat.state().step == "ticket.origin"
    return chat


def test_r19_a_solution_for_a_ticket_a_colleague_solved_meanwhile_is_kept_and_offered(world):
    """Bruno sent his solution while Ana chose the origin of hers: every origin she picked said
    'não permite essa ação no status atual' and asked the origin again, her solution stuck
    there; now she is told the ticket's status and offered it as a trâmite or a note."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = at_origin(world, ticket)
    world.run(closing.request_approval, world.ids["bruno"], ticket.id, "Corrigido.",
              "erro_sistema")
    chat.click("Erro de sistema")
    assert pt("conv.staff.solution_meanwhile", number=ticket.number,
              status="Aguardando aprovação") in chat.text
    assert SOLUTION in chat.text
    assert pt("conv.staff.kept_offer", number=ticket.number) in chat.text
    assert chat.labels == [pt("conv.tramite.send_said"), pt("conv.tramite.send_note"),
                           pt("conv.tramite.drop")]
    chat.click(pt("conv.tramite.send_said"))
    assert entries(world, ticket, EntryKind.PUBLIC) == ["Corrigido.", SOLUTION]
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.state().step == "ticket.view"


def test_r19_a_solution_the_agent_sent_elsewhere_meanwhile_is_said_to_have_gone(world):
    """Ana sent the very solution from another place (Slack's form) while the chat asked its
    origin: picking one said the ticket's status refused it and asked again, the solution stuck
    there; now the chat says it had already gone and leaves it, sent once."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = at_origin(world, ticket)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, SOLUTION, "erro_sistema")
    chat.click("Erro de sistema")
    assert pt(closing.ALREADY_SENT, number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"
    assert not chat.state().data.get("solution")
    assert entries(world, ticket, EntryKind.PUBLIC) == [SOLUTION]


def test_r19_a_solution_for_a_ticket_closed_meanwhile_is_offered_as_a_note_in_english(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.speaks("ana", "en")
    chat = chat_for(world, "ana")
    chat.send("hi")
    chat.send(f"ticket {ticket.number}")
    chat.click("Send the solution")
    chat.send(SOLUTION)
    world.run(handling.reject_duplicate, world.ids["bruno"], ticket.id,
              world.open("carla", assunto="Outro").number)
    chat.click(chat.labels[0])
    assert t("conv.staff.solution_meanwhile", "en", number=ticket.number,
             status="Rejected") in chat.text
    assert chat.labels == ["Send as an internal note", "Discard"]
    chat.click("Send as an internal note")
    assert entries(world, ticket, EntryKind.INTERNAL) == [SOLUTION]


def test_r15_a_package_for_a_ticket_a_colleague_brought_back_meanwhile_is_kept(world):
    """The package typed after Bruno recorded the ticket's return was refused ('não permite
    essa ação no status atual') and asked for again, what was typed gone."""
    ticket = world.open("carla")
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.dev_return"))
    world.run(handling.return_from_development, world.ids["bruno"], ticket.id, "Pacote 2026.11.4")
    chat.send("Pacote 2026.11.5 (ICMS-ST)")
    assert pt("conv.staff.package_meanwhile", number=ticket.number,
              status="Em atendimento") in chat.text
    assert "Pacote 2026.11.5 (ICMS-ST)" in chat.text
    assert chat.labels == [pt("conv.tramite.send_said"), pt("conv.tramite.send_note"),
                           pt("conv.tramite.drop")]
    chat.click(pt("conv.tramite.send_note"))
    assert entries(world, ticket, EntryKind.INTERNAL) == ["Pacote 2026.11.5 (ICMS-ST)"]
    returned = [m for m in world.outbox() if m.kind == "dev.returned"]
    assert [m.params["package"] for m in returned] == ["Pacote 2026.11.4"]


def test_r6_a_refusal_at_a_tickets_page_shows_the_page_as_it_stands_now(world):
    """Bruno took the ticket while Ana's page was open: Assumir said 'já está com Bruno
    Suporte' above the same page as before ('Responsável: ainda ninguém', Assumir offered)."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    world.run(handling.take, world.ids["bruno"], ticket.id)
    chat.click(pt("conv.staff.take"))
    assert pt("error.taken_by_other", number=ticket.number, assignee="Bruno Suporte") \
        in chat.text
    assert "Responsável: Bruno Suporte" in chat.text
    assert "ainda ninguém" not in chat.text
    assert pt("conv.staff.take") not in chat.labels
    chat.click(pt("conv.staff.actions"))
    world.run(handling.move_to_estimate, world.ids["bruno"], ticket.id)
    chat.click(pt("conv.staff.estimate"))
    assert pt("error.already_in_estimate", number=ticket.number) in chat.text
    assert chat.state().step == "ticket.actions"
    assert pt("conv.staff.estimate") not in chat.labels  # the menu as the ticket is now
