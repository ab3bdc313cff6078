"""A plain "sim" where a yes has one meaning: the summary registers (R5), the pending approvals
open the first one (R10)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt, to_summary
from test_conversation_closing import awaiting

from core.models import Status


def at_summary(world):
    chat = to_summary(chat_for(world, "carla"))
    assert chat.state().step == "intake.resumo"
    return chat


@pytest.mark.parametrize("said", ["sim", "sim, pode registrar", "ok", "está bom", "pode enviar",
                                  "looks good", "yeah, submit it", "confirm", "send it"])
def test_r5_yes_at_the_summary_registers_the_ticket(world, said):
    """"looks good", "yeah, submit it", "está bom" were taken as a new value for a field
    ("Which field does this new value go in?")."""
    chat = at_summary(world)
    chat.send(said)  # "Não entendi" before ("pode registrar" worked)
    assert "registrado" in chat.text
    assert len(world.read(lambda uow: uow.tickets.list(_all()))) == 1


@pytest.mark.parametrize("said", ["isso mesmo", "pode abrir", "pode mandar", "tudo certo",
                                  "correto", "perfeito", "tudo ok, pode abrir",
                                  "all good", "perfect", "correct, go ahead"])
def test_r5_a_yes_in_other_words_at_the_summary_registers_the_ticket(world, said):
    """"isso mesmo", "pode abrir", "pode mandar" were offered as a new value for a field ("Em
    qual campo fica este novo valor?"); "tudo certo", "correto", "perfeito" were 'Não entendi'."""
    chat = at_summary(world)
    chat.send(said)
    assert "registrado" in chat.text
    assert len(world.read(lambda uow: uow.tickets.list(_all()))) == 1


@pytest.mark.parametrize("said", ["não, pode mudar o assunto", "isso não", "not correct"])
def test_r5_a_no_in_those_words_registers_nothing(world, said):
    chat = at_summary(world)
    chat.send(said)
    assert "registrado" not in chat.text
    assert len(world.read(lambda uow: uow.tickets.list(_all()))) == 0


def _all():
    from core.ports import TicketQuery

    return TicketQuery(limit=10)


def test_r10_yes_at_the_pending_approvals_opens_the_first_one(world):
    first = awaiting(world)
    awaiting(world, assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("sim")  # "Certo!" and the same list again, before
    assert chat.prompt.text.startswith(f"Ticket {first.number}")
    assert pt("conv.closing.approve") in chat.labels
    assert world.ticket(first.id).status == Status.AWAITING_APPROVAL  # only asked


def test_r10_no_at_the_pending_approvals_leaves_them_for_later(world):
    awaiting(world)
    awaiting(world, assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("não")
    assert pt("conv.closing.later") in chat.text


@pytest.mark.parametrize("said", ["não", "click"])
def test_r10_later_at_the_one_pending_approval_names_the_ticket_to_type(world, said):
    """It said 'use: ticket NÚMERO' with the one number right above it."""
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    if said == "click":
        chat.click(pt("conv.closing.not_now"))
    else:
        chat.send(said)
    assert pt("conv.closing.later_one", number=ticket.number) in chat.text
    assert pt("conv.closing.later") not in chat.text


@pytest.mark.parametrize("said", ["sim", "pode", "ok", "sim, pode abrir"])
def test_r3_yes_to_the_offer_of_a_typed_message_opens_the_ticket_with_it(world, said):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("PDV travado na loja 3")
    assert chat.state().step == "menu.typed"
    chat.send(said)  # "Certo!" and the offer again; "pode" was even added to the message
    assert pt("conv.intake.intro") in chat.text
    assert chat.state().data["intake"]["draft"]["descricao"] == "PDV travado na loja 3"
    assert chat.state().step == "intake.item"


@pytest.mark.parametrize("said", ["não", "não precisa", "agora não", "esquece"])
def test_no_to_the_offer_of_a_typed_message_opens_nothing_and_shows_the_menu(world, said):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("PDV travado na loja 3")
    chat.send(said)  # it said "Certo!" and offered the message again
    assert pt("conv.typed.declined") in chat.text
    assert chat.state().step == "menu.main"
    assert "PDV travado na loja 3" not in chat.prompt.text
    assert "intake" not in chat.state().data
    assert not [m for m in world.outbox() if m.kind == "ticket.registered"]


def test_thanks_at_the_offer_of_a_typed_message_keeps_it_offered(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("PDV travado na loja 3")
    chat.send("obrigada")  # answered in kind, the offer stays
    assert chat.state().step == "menu.typed"
    assert "PDV travado na loja 3" in chat.prompt.text


@pytest.mark.parametrize("no", ["não, obrigada", "agora não", "not now, thanks"])
def test_a_no_with_thanks_or_now_declines_the_offer_of_a_typed_message(world, no):
    """"não, obrigada" kept the offer, as a greeting; "not now" was joined to the message."""
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("PDV travado na loja 3")
    chat.send(no)
    assert pt("conv.typed.declined") in chat.text
    assert chat.state().step != "menu.typed"


def test_r2_yes_to_the_offer_made_to_an_untrained_user_searches_the_knowledge_base(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("o caixa não abre")
    chat.send("sim")  # the offer is the knowledge base: no ticket to open (R2)
    assert chat.state().step.startswith("kb.")


def test_r7_a_bare_yes_when_the_message_may_belong_to_an_open_ticket_asks_which(world):
    """"sim" to an offer of both a new ticket and "Adicionar ao ticket X" is asked back; it
    opened a new ticket though the message most likely belonged to the open one."""
    mine = world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"O chamado {mine.number} voltou a dar erro na impressora")
    chat.send("sim")
    assert chat.replies[0].text == pt("conv.typed.yes_which", number=mine.number)
    assert chat.state().step == "menu.typed"
    assert "intake" not in chat.state().data
    chat.click(pt("conv.typed.add_to", number=mine.number))
    assert pt("conv.tramite.added", number=mine.number) in chat.text
