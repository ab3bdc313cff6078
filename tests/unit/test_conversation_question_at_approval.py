"""R19, R7: a question typed at the approval question ("onde baixo o pacote?") was told only
that it could be the reason of Não aprovar or Aprovar com restrições, so a customer wanting
an answer would send the ticket back to attendance; she is now told Decidir depois sends
it to the team as a trâmite, the solution still awaiting her."""

from __future__ import annotations

from fakes.chat import pt
from test_conversation_closing import at_decision

from core.i18n import t
from core.models import Status


def test_r19_a_question_at_the_approval_is_told_decidir_depois_sends_it_to_the_team(world):
    ticket, chat = at_decision(world)
    chat.send("onde baixo o pacote?")
    kept = chat.replies[0].text
    assert kept == pt("conv.closing.said_kept")
    assert pt("conv.closing.decide_later") in kept
    chat.click(pt("conv.closing.decide_later"))
    chat.click(pt("conv.tramite.send_said"))
    stored = world.ticket(ticket.id)
    assert stored.status == Status.AWAITING_APPROVAL  # still hers to approve
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert any(e.text == "onde baixo o pacote?" for e in entries)


def test_r19_the_kept_words_name_decide_later_in_english_too():
    assert t("conv.closing.decide_later", "en") in t("conv.closing.said_kept", "en")
