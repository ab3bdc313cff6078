"""R19, R20, R21, R23: the chat's approval, rating or charge question answered after the
ticket moved on elsewhere (a colleague answered, the 15 days ran out, another chat of the same
person rated): it says what happened and moves on instead of asking the same question again."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.models import Decision, Rating, Status
from core.services import billing, closing, handling, sweeps


def awaiting(world, who="carla"):
    ticket = world.open(who)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3: reinstale e confirme o pedido.",
              origin_id="erro_sistema")
    return ticket


def at_decision(world, who="carla"):
    ticket = awaiting(world)
    chat = chat_for(world, who)
    chat.send("oi")  # the pending approval offered first (R10)
    chat.click(f"Responder {ticket.number}")
    assert chat.labels == ["Aprovar", "Não aprovar", "Aprovar com restrições", "Decidir depois"]
    return ticket, chat


def test_r19_a_reason_sent_after_a_colleague_approved_says_who_closed_it(world):
    """It said 'já está encerrado' and asked the reason again, for a ticket that no longer
    takes one, without saying who had closed it; the words are offered as a new ticket."""
    ticket, chat = at_decision(world)
    chat.click("Não aprovar")
    world.run(closing.approve_with_restrictions, world.ids["joao"], ticket.id,
              "O relatório antigo ainda aparece")
    chat.send("O pedido 4431 continua sem confirmar")
    assert chat.replies[0].text == pt(
        "conv.closing.answered.aprovado_com_restricoes", who="João Lima", number=ticket.number,
        when="24/11/2026 10:00", comment="O relatório antigo ainda aparece")
    assert chat.prompt.text.startswith(
        pt("conv.typed.offer", text="O pedido 4431 continua sem confirmar"))
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision) == (Status.CLOSED,
                                                 Decision.APPROVED_WITH_RESTRICTIONS)


def test_r19_approving_after_a_colleague_did_not_approve_says_it_went_back(world):
    ticket, chat = at_decision(world)
    world.run(closing.not_approve, world.ids["joao"], ticket.id, "O saldo continua negativo")
    chat.click("Aprovar")
    assert chat.replies[0].text == pt("conv.closing.answered.nao_aprovado", who="João Lima",
                                      number=ticket.number, reason="O saldo continua negativo")
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r19_the_same_person_answering_from_a_second_chat_is_told_she_already_did(world):
    ticket, chat = at_decision(world)
    world.run(closing.approve, world.ids["carla"], ticket.id)  # from Telegram, say
    chat.click("Aprovar com restrições")
    assert chat.replies[0].text == pt("conv.closing.answered.aprovado", who="Você",
                                      number=ticket.number, when="24/11/2026 10:00")
    assert world.ticket(ticket.id).decision == Decision.APPROVED


def test_r21_approving_after_the_fifteen_days_ran_out_says_it_closed_by_itself(world):
    ticket = awaiting(world)
    world.advance(days=15, hours=-1)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(f"Responder {ticket.number}")
    world.advance(hours=1, minutes=1)
    world.run(sweeps.run_all)
    chat.click("Aprovar")
    assert chat.replies[0].text == pt("conv.closing.answered.aprovado_automaticamente",
                                      number=ticket.number, when="09/12/2026 10:01", days=15)
    assert world.ticket(ticket.id).decision == Decision.AUTO_APPROVED
    # approved is what she meant: the rating the closing notice invites is asked (R20); it
    # went to the menu, the ticket to be found again to rate it
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    chat.click("Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT


def test_r21_not_approving_after_the_fifteen_days_ran_out_asks_no_rating(world):
    ticket = awaiting(world)
    world.advance(days=15, hours=-1)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(f"Responder {ticket.number}")
    world.advance(hours=1, minutes=1)
    world.run(sweeps.run_all)
    chat.click("Não aprovar")
    assert "encerrado como aprovado" in chat.replies[0].text
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r19_the_next_pending_approval_follows_the_one_answered_meanwhile(world):
    ticket, chat = at_decision(world)
    other = awaiting(world)
    world.run(closing.approve, world.ids["joao"], ticket.id)
    chat.click("Aprovar")
    assert chat.replies[0].text == pt("conv.closing.answered.aprovado", who="João Lima",
                                      number=ticket.number, when="24/11/2026 10:00")
    assert chat.labels == [f"Responder {other.number}", "Agora não"]


def test_r20_a_rating_given_meanwhile_is_said_and_not_asked_again(world):
    """'Já foi avaliado' came with the same five options again, endlessly."""
    ticket, chat = at_decision(world)
    chat.click("Aprovar")
    assert chat.labels[:5] == ["Ótimo", "Bom", "Regular", "Ruim", "Péssimo"]
    world.run(closing.rate, world.ids["joao"], ticket.id, Rating.GOOD)
    chat.click("Ótimo")
    assert chat.replies[0].text == pt("conv.closing.rated_by", who="João Lima",
                                      number=ticket.number, rating="Bom")
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_r23_a_charge_answered_meanwhile_by_a_colleague_is_said_and_not_asked_again(world):
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert chat.labels == ["Autorizo", "Não autorizo", "Decidir depois"]
    world.run(billing.record_billing_authorization, world.ids["joao"], ticket.id, False)
    chat.click("Autorizo")
    assert chat.replies[0].text == pt("conv.closing.charge_answered.refused", who="João Lima",
                                      number=ticket.number)
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).billing_authorized is False


def test_r14_r21_approving_after_a_close_held_for_the_weekend_says_the_17_days_waited(world):
    """The 15 days ended on a Saturday; the ticket closed on Monday 08:00, 17 days after the
    answer: the chat said 'depois de 15 dias sem resposta'."""
    from datetime import UTC, datetime
    world.now = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)  # Friday 03:00 in São Paulo
    ticket = awaiting(world)
    world.now = datetime(2026, 12, 18, 13, 0, tzinfo=UTC)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(f"Responder {ticket.number}")
    world.now = datetime(2026, 12, 21, 11, 0, tzinfo=UTC)  # Monday 08:00
    assert world.run(sweeps.run_all).auto_closed == 1
    chat.click("Aprovar")
    assert chat.replies[0].text == pt("conv.closing.answered.aprovado_automaticamente",
                                      number=ticket.number, when="21/12/2026 08:00", days=17)


def test_r20_r21_a_mark_typed_then_confirmed_after_it_closed_by_itself_is_said_back(world):
    ticket = awaiting(world)
    world.advance(days=15, hours=-1)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(f"Responder {ticket.number}")
    chat.send("nota 10, funcionou")
    world.advance(hours=1, minutes=1)
    world.run(sweeps.run_all)
    chat.click("Sim, aprovar e encerrar")
    assert "encerrado como aprovado" in chat.replies[0].text
    assert chat.prompt.text == pt("conv.closing.rate_named", rating="Ótimo")
