"""R19: a ticket's page awaiting approval starts with Aprovar as option 1 (the terminal, a Slack
DM, Telegram without buttons): "1", typed as for the first option of other pages, approved and
closed the ticket for good, its label unseen as it was picked. Aprovar picked by its number is
now confirmed first, the same number again going back; a click or the word "aprovar" still
approves at once. A colleague's ticket (R8) names whose it is at the question and in what was
done, and the requester hears of it."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import render_notification, t
from core.models import Status
from core.services import closing, handling


def awaiting(world, who="carla"):
    ticket = world.open(who)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return ticket


def at_page(world, ticket, who="carla", lang=None):
    if lang:
        world.speaks(who, lang)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.labels[0] == t("conv.closing.approve", lang or "pt_BR")
    return chat


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r19_a_typed_1_at_the_page_asks_before_approving(world, lang):
    ticket = awaiting(world)
    chat = at_page(world, ticket, lang=lang)
    chat.send("1")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.prompt.text.startswith(t("conv.closing.confirm_number", lang,
                                         number=ticket.number))
    assert chat.labels == [t("conv.closing.back", lang), t("conv.closing.confirm_yes", lang)]
    chat.send("1")  # the same number again, out of habit: back, nothing closed
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.state().step == "closing.decide"


def test_r19_the_customer_who_means_it_approves_by_number_with_one_more_answer(world):
    ticket = awaiting(world)
    chat = at_page(world, ticket)
    chat.send("1")
    chat.send("2")
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert pt("conv.closing.approved", number=ticket.number) in chat.text


@pytest.mark.parametrize("yes", ["sim", "Sim, aprovar e encerrar"])
def test_r19_a_yes_in_words_confirms_the_approval_picked_by_number(world, yes):
    ticket = awaiting(world)
    chat = at_page(world, ticket)
    chat.send("1")
    chat.send(yes)
    assert world.ticket(ticket.id).status == Status.CLOSED


def test_r19_a_typed_1_at_the_approval_question_asks_too(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")  # the session's offer (R10)
    chat.click(ticket.number)
    assert chat.state().step == "closing.decide"
    chat.send("1")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.state().step == "closing.confirm"


@pytest.mark.parametrize("how", ["click", "aprovar"])
def test_r19_a_click_or_the_word_approves_at_once(world, how):
    ticket = awaiting(world)
    chat = at_page(world, ticket)
    if how == "click":
        chat.click(pt("conv.closing.approve"))
    else:
        chat.send(how)
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert pt("conv.closing.approved", number=ticket.number) in chat.text


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r8_r19_a_colleague_s_ticket_names_whose_it_is_before_and_after_approving(world, lang):
    ticket = awaiting(world, "joao")
    chat = at_page(world, ticket, lang=lang)
    assert t("conv.closing.colleague_ticket", lang, name="João Lima") in chat.prompt.text
    since = len(world.outbox())
    chat.click(t("conv.closing.approve", lang))
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert t("conv.closing.approved_for", lang, number=ticket.number,
             name="João Lima") in chat.text
    told = [render_notification(m.kind, m.params)[1] for m in world.outbox()[since:]
            if m.target == "joao@exemplo.com.br"]
    assert any("Carla Souza" in text for text in told), told


def test_r8_r19_a_colleague_s_not_approve_names_whose_ticket_went_back(world):
    ticket = awaiting(world, "joao")
    chat = at_page(world, ticket)
    chat.click(pt("conv.closing.reject"))
    chat.send("O pedido 10125 ainda não confirma")
    assert pt("conv.closing.not_approved_for", number=ticket.number, name="João Lima") \
        in chat.text


def test_r19_one_s_own_ticket_names_no_one(world):
    ticket = awaiting(world)
    chat = at_page(world, ticket)
    assert "aberto por" not in chat.prompt.text
    chat.click(pt("conv.closing.approve"))
    assert pt("conv.closing.approved", number=ticket.number) in chat.text
