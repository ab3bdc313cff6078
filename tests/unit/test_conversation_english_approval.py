"""R19: an English customer's words at the approval question decide as the Portuguese ones do:
"no" as "não" (Do not approve), "didn't work" as "não funcionou", "I approve but the report is
still slow" as "aprovo mas o relatório ainda está lento" (Approve with restrictions)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation.closing_words import decision
from core.i18n import t
from core.services import closing, handling


def at_decision_in_english(world):
    """Carla, who reads English, at the approval question of a ticket an agent answered."""
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Erro ao confirmar pedido de venda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3: reinstale e confirme o pedido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", "en", number=ticket.number))
    assert chat.state().step == "closing.decide"
    return ticket, chat


@pytest.mark.parametrize("typed", ["no", "No.", "nope"])
def test_r19_a_bare_no_at_the_approval_asks_the_reason_as_nao_does(world, typed):
    """"não" picks Não aprovar by its label; "no" ("Do not approve") was not understood."""
    ticket, chat = at_decision_in_english(world)
    chat.send(typed)
    assert chat.state().step == "closing.reason"
    assert t("conv.closing.ask_reason", "en", number=ticket.number) in chat.text


def test_r19_a_bare_no_at_the_approvals_confirmation_is_still_back(world):
    """Only at the question itself: "no" to "Approve and close?" goes back to the three answers."""
    _ticket, chat = at_decision_in_english(world)
    chat.send("it works")
    assert chat.state().step == "closing.confirm"
    chat.send("no")
    assert chat.state().step == "closing.decide"


@pytest.mark.parametrize("typed", ["didn't work", "it doesn't work", "it's not working",
                                   "it didn’t work"])
def test_r19_an_english_contraction_says_it_did_not_work(world, typed):
    """"didn't" folds to "didn t": the negation was never seen, the words were only kept.
    Like "não funcionou", they say no reason: none is offered to be used as one."""
    _ticket, chat = at_decision_in_english(world)
    chat.send(typed)
    assert chat.state().step == "closing.reason"
    assert t("conv.closing.use_said", "en") not in chat.labels


@pytest.mark.parametrize(("said", "decided"), [
    ("I approve but the report is still slow", "partial"),
    ("approved, but the report is still slow", "partial"),
    ("aprovo mas o relatório continua lento", "partial"),
    ("aprovo mas o relatório ainda está lento", "partial"),
    ("funcionaram em parte, mas o relatório continua sem margem", "not_approve"),
    ("it works but it is still slow", "not_approve"),
    ("still slow", "not_approve"),
    ("didn't work", "not_approve"),
    ("not now", None),
])
def test_r19_approving_in_so_many_words_with_a_but_is_a_restriction(said, decided):
    """"still" (or "continua") said the problem was there whatever else was said, even after an
    explicit "I approve, but": the customer approves, the rest is the restriction."""
    assert decision(said) == decided


@pytest.mark.parametrize("said", ["the problem continues", "the error remains",
                                  "the rejection keeps happening", "o problema continua",
                                  "o erro permanece"])
def test_r19_the_problem_continuing_in_english_did_not_work(said):
    """"the problem continues" said neither (it was kept as words), where "o problema continua"
    and "the problem persists" say it did not work."""
    assert decision(said) == "not_approve"
