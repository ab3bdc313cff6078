"""A chat's current question is the newest one sent, whatever order the records commit in.

Two writers record a chat's question: the chat's own step (its answer) and the outbox sender
(a notice with buttons, such as the approval question). Under load the older message's record
can commit last; it must not take the newer question's place, or the sender would strip the
buttons off the question the customer is looking at (seen in a full suite under load: "Qual o
item?" without its options)."""

from __future__ import annotations

from typing import Any

from bots.telegram.render import Outgoing
from bots.telegram.steps import delivered, delivered_many, telegram_repo
from storage.sql.telegram import ChatPrompt

CARLA, BRUNO = 6101, 6102


def question(text: str) -> Outgoing:
    return Outgoing(html=text, buttons=[[("Sim", "s")]], prompt=True)


def prompt(desk: Any, chat: int) -> ChatPrompt | None:
    return desk.call(lambda ctx: telegram_repo(ctx).prompt(chat))


def test_r19_a_late_record_of_an_older_question_keeps_the_newer_one_current(desk: Any) -> None:
    """Telegram numbers a chat's messages in order: the step's "Qual o item?" (901) recorded
    first, then the record of the approval question sent just before it (900): 901 stays the
    chat's question and 900 is the one whose buttons go."""
    desk.call(delivered, CARLA, [(899, question("Qual o tipo?"))])
    replaced = desk.call(delivered, CARLA, [(901, question("Qual o item?"))])
    assert replaced == ChatPrompt(899, True)
    stale = desk.call(delivered, CARLA, [(900, question("Aprova a solução?"))])
    assert prompt(desk, CARLA) == ChatPrompt(901, True)
    assert stale == ChatPrompt(900, True)


def test_r19_a_late_record_in_a_batch_keeps_the_newer_question_current(desk: Any) -> None:
    """The same when the chats' records go together (GroupCommit, one statement on
    PostgreSQL): a chat whose older message's record comes late keeps its newer question; the
    other chat of the batch moves on as usual."""
    desk.call(delivered, CARLA, [(901, question("Qual o item?"))])
    desk.call(delivered, BRUNO, [(700, question("Qual o tipo?"))])
    replaced = desk.call(delivered_many, [(CARLA, [(900, question("Aprova?"))], None),
                                          (BRUNO, [(701, question("Qual o item?"))], None)])
    assert (prompt(desk, CARLA), prompt(desk, BRUNO)) == (ChatPrompt(901, True),
                                                          ChatPrompt(701, True))
    assert replaced == [ChatPrompt(900, True), ChatPrompt(700, True)]


def test_r19_the_same_message_recorded_again_replaces_nothing(desk: Any) -> None:
    """An edited question keeps its message id: recording it again keeps its buttons."""
    desk.call(delivered, CARLA, [(901, question("Qual o item?"))])
    assert desk.call(delivered, CARLA, [(901, question("Qual o item?"))]) is None
    assert prompt(desk, CARLA) == ChatPrompt(901, True)
