"""Forged numbers and choice ids never reveal or touch another company's ticket (R8)."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.conversation import UserInput
from core.models import Status
from core.services import closing, handling


def carla_awaiting(world):
    ticket = world.open("carla", assunto="Segredo do Mercado Exemplo")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Solução confidencial",
              origin_id="erro_sistema")
    return ticket


def assert_hidden(chat, ticket):
    text = "\n".join(r.text for r in chat.replies)
    assert "Segredo" not in text
    assert "confidencial" not in text
    assert ticket.number not in " ".join(chat.labels)


def test_r8_ticket_number_of_another_company_looks_missing(world):
    ticket = carla_awaiting(world)
    chat = chat_for(world, "rival")
    chat.send(f"ticket {ticket.number}")
    assert pt("error.number_not_found", example="202611/0002") in chat.text  # not the one typed
    assert_hidden(chat, ticket)
    chat.send("ticket 202611/9999")  # a number that does not exist reads the same
    assert chat.replies[0].text == pt("error.number_not_found", example="202611/0001")


def test_r8_forged_choice_ids_with_another_companys_ticket_id(world):
    ticket = carla_awaiting(world)
    chat = chat_for(world, "rival")
    chat.send("tickets")
    state = chat.state()
    for value in (f"t:{ticket.id}", "approve", "tramite", "rate", "billing", "register"):
        chat.send(UserInput.of_choice(f"{state.prompt_id}:{value}"))
        assert chat.replies[0].text == pt("conv.error.not_offered")
        assert_hidden(chat, ticket)
        assert chat.state() == state
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r8_forged_ids_on_every_menu_of_the_rival(world):
    ticket = carla_awaiting(world)
    chat = chat_for(world, "rival")
    for command in ("oi", "resumo", "kb nota", "perfil"):
        chat.send(command)
        state = chat.state()
        chat.send(UserInput.of_choice(f"{state.prompt_id}:t:{ticket.id}"))
        assert_hidden(chat, ticket)
        assert chat.state() == state


def test_r8_a_click_is_rechecked_when_membership_changed_meanwhile(world):
    ticket = world.open("carla", assunto="Segredo do Mercado Exemplo")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    offered = chat.choice_id(ticket.number)
    rival_company = world.read(lambda uow: uow.companies.by_name("Loja Rival").id)
    with world.store() as uow:  # Carla moved to another company after the list was shown
        carla = uow.users.get(world.ids["carla"])
        carla.company_ids = [rival_company]
        uow.users.update(carla)
        uow.commit()
    before = chat.state()
    chat.send(UserInput.of_choice(offered))
    assert chat.replies[0].text == pt("error.ticket_not_found")
    # Only the listing she was already shown comes back; the ticket itself is not opened.
    assert all("Descrição" not in r.text for r in chat.replies)
    assert chat.state() == before


def test_r8_rival_cannot_approve_or_add_tramites(world):
    ticket = carla_awaiting(world)
    chat = chat_for(world, "rival")
    chat.send("oi")
    assert pt("conv.menu.prompt") == chat.prompt.text  # nothing pending offered to the rival
    chat.send(f"/ticket {ticket.period}{ticket.seq:04d}")
    assert_hidden(chat, ticket)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert all(e.author_id != world.ids["rival"] for e in entries)


def test_r8_another_persons_choice_ids_are_not_honoured(world):
    ticket = carla_awaiting(world)
    carla = chat_for(world, "carla")
    carla.send("oi")
    carla.click("Responder")
    approve = carla.choice_id("Aprovar")
    rival = chat_for(world, "rival")
    rival.send("oi")
    rival.send("menu")
    rival.send("menu")
    rival.send(UserInput.of_choice(approve))
    assert rival.replies[0].text in (pt("conv.error.old_prompt"), pt("conv.error.not_offered"))
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def _replied(world, who, ticket, text):
    """A reply (a chat's reply-to) by `who` to a message about the ticket, through core."""
    from core.conversation import terminal_key
    from core.conversation.replied import replied_on
    from core.services.context import Ctx

    with world.store() as uow:
        result = replied_on(Ctx(uow, world.now, world.policy), terminal_key(world.ids[who]),
                            ticket.id, text)
        uow.commit()
    return result


def test_r8_r19_a_reply_about_another_companys_ticket_decides_and_adds_nothing(world):
    """A reply's ticket comes from the channel (a message id, a number in the replied text):
    forged or replayed, 'funcionou, pode encerrar' onto another company's ticket awaiting
    approval neither approves it nor becomes its trâmite, and shows nothing of it."""
    ticket = carla_awaiting(world)
    replies, added = _replied(world, "rival", ticket, "funcionou, pode encerrar")
    assert not added
    assert [r.text for r in replies] == [pt("error.ticket_not_found")]
    stored = world.ticket(ticket.id)
    assert stored.status == Status.AWAITING_APPROVAL
    replies, added = _replied(world, "carla", ticket, "o caixa 2 também travou")
    assert added  # the requester's own: a trâmite
    assert replies[-1].text == pt("conv.tramite.added", number=ticket.number)


def test_r8_a_message_naming_another_companys_ticket_is_linked_to_none(world):
    """Which ticket a message names (to take a reply to it as a trâmite): only one the
    person may see."""
    from core.conversation.replied import ticket_named
    from core.services.context import Ctx

    ticket = carla_awaiting(world)
    text = f"Ticket {ticket.number} aguarda a sua aprovação"
    with world.store() as uow:
        ctx = Ctx(uow, world.now, world.policy)
        rival, carla = (uow.users.get(world.ids[who]) for who in ("rival", "carla"))
        assert ticket_named(ctx, rival, text, {}) is None
        assert ticket_named(ctx, carla, text, {}) == ticket.id
        assert ticket_named(ctx, carla, f"{text} e 202611/0099", {}) is None  # two: none
