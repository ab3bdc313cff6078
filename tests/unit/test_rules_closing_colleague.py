"""R7, R8, R19, R23: a colleague of the same company answers the approval or the charge of
someone else's ticket; the requester is told who answered and what."""

from __future__ import annotations

import pytest

from core.i18n import render_notification
from core.services import billing, closing, handling


def answered(world, who="carla"):
    """A ticket of `who` that Ana answered; it waits for approval."""
    ticket = world.open(who)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return ticket


def told_to(world, address, since):
    """The texts sent to one address since the outbox had `since` rows."""
    return [render_notification(m.kind, m.params)[1] for m in world.outbox()[since:]
            if m.target == address]


DECISIONS = {
    "approve": (lambda w, t: w.run(closing.approve, w.ids["joao"], t.id),
                "João Lima aprovou a solução do ticket {number}"),
    "partial": (lambda w, t: w.run(closing.approve_with_restrictions, w.ids["joao"], t.id,
                                   "O relatório antigo ainda aparece"),
                "João Lima aprovou com restrições a solução do ticket {number}"),
    "reject": (lambda w, t: w.run(closing.not_approve, w.ids["joao"], t.id,
                                  "O saldo continua negativo"),
               "João Lima não aprovou a solução do ticket {number}"),
}


@pytest.mark.parametrize("which", list(DECISIONS))
def test_r19_the_requester_hears_that_a_colleague_answered_the_approval(world, which):
    """Carla's ticket closed (or went back to attendance) by João without a word to her: her
    chat still had the question, and her answer was refused as if she had lost track."""
    decide, words = DECISIONS[which]
    ticket = answered(world)
    since = len(world.outbox())
    decide(world, ticket)
    [text] = told_to(world, "carla@exemplo.com.br", since)
    assert words.format(number=ticket.number) in text


def test_r19_the_restriction_and_the_reason_reach_the_requester_too(world):
    ticket = answered(world)
    since = len(world.outbox())
    world.run(closing.not_approve, world.ids["joao"], ticket.id, "O saldo continua negativo")
    [text] = told_to(world, "carla@exemplo.com.br", since)
    assert "O saldo continua negativo" in text
    assert "voltou para atendimento" in text


def test_r19_the_requester_answering_herself_is_not_told_again(world):
    ticket = answered(world)
    since = len(world.outbox())
    world.run(closing.approve_with_restrictions, world.ids["carla"], ticket.id, "Demorou")
    assert told_to(world, "carla@exemplo.com.br", since) == []


@pytest.mark.parametrize(("authorized", "words"), [
    (True, "João Lima autorizou a cobrança do ticket"),
    (False, "João Lima não autorizou a cobrança do ticket")], ids=["authorized", "refused"])
def test_r23_the_requester_hears_that_a_colleague_answered_the_charge(world, authorized, words):
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    since = len(world.outbox())
    world.run(billing.record_billing_authorization, world.ids["joao"], ticket.id, authorized)
    [text] = told_to(world, "carla@exemplo.com.br", since)
    assert words in text
    assert ticket.number in text
    other = world.open("carla", assunto="Alterar layout da etiqueta")
    world.run(billing.classify_origin, world.ids["ana"], other.id, "layout")
    since = len(world.outbox())
    world.run(billing.record_billing_authorization, world.ids["carla"], other.id, authorized)
    assert told_to(world, "carla@exemplo.com.br", since) == []


def agent_saw(world, since):
    """What the triage thread and Ana's direct messages said since `since` rows."""
    return [render_notification(m.kind, m.params)[1] for m in world.outbox()[since:]
            if m.target in ("triage", "user:UANA")]


def test_r19_r20_the_agent_reads_who_answered_not_just_the_customer(world):
    """'O cliente não aprovou' left Ana guessing whether Carla or a colleague had answered."""
    ticket = answered(world)
    since = len(world.outbox())
    world.run(closing.not_approve, world.ids["joao"], ticket.id, "O saldo continua negativo")
    assert agent_saw(world, since) == [
        "João Lima não aprovou a solução: O saldo continua negativo",
        f"João Lima não aprovou a solução do ticket {ticket.number} — Erro ao confirmar pedido "
        "de venda. Motivo:\nO saldo continua negativo"]
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Refizemos o inventário.")
    since = len(world.outbox())
    world.run(closing.approve_with_restrictions, world.ids["carla"], ticket.id, "Demorou")
    world.run(closing.rate, world.ids["carla"], ticket.id, "ruim")
    seen = agent_saw(world, since)
    assert seen[0] == "Carla Souza aprovou com restrições: Demorou"
    assert seen[1].startswith("Carla Souza aprovou com restrições a solução do ticket")
    assert seen[2] == "Carla Souza avaliou o atendimento: Ruim."
    assert seen[3].startswith("Carla Souza avaliou o atendimento do ticket")


def test_r23_the_agent_reads_who_answered_the_charge(world):
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    since = len(world.outbox())
    world.run(billing.record_billing_authorization, world.ids["joao"], ticket.id, True)
    seen = agent_saw(world, since)
    assert seen[0] == "João Lima autorizou a cobrança."
    assert seen[1].startswith("João Lima autorizou a cobrança do ticket")
