"""R2: a deactivated account that writes is told so, whom to ask, and what became of its words."""

from __future__ import annotations

from fakes.chat import pt
from test_conversation_linking import ASK, deactivate, linked_chat

from core.conversation import UserInput
from core.models import Attachment
from core.ports import TicketQuery


def test_r2_a_deactivated_customer_s_message_is_said_not_registered_with_whom_to_ask(world):
    """She was told only that the account is deactivated; what she wrote vanished unsaid
    (a stranger's is kept and offered once linked)."""
    chat = linked_chat(world)
    deactivate(world, "carla")
    chat.send("Bom dia, a nota fiscal 10125 foi rejeitada")
    assert chat.text == pt("conv.eligibility.inactive", contact=ASK) + "\n\n" + \
        pt("conv.eligibility.inactive_not_sent")
    assert world.read(lambda uow: uow.tickets.count(TicketQuery())) == 0
    chat.send("oi")  # nothing to lose: only who to ask
    assert chat.text == pt("conv.eligibility.inactive", contact=ASK)


def test_r2_files_sent_by_a_deactivated_account_are_said_not_registered(world):
    chat = linked_chat(world)
    deactivate(world, "carla")
    shot = Attachment(filename="erro.png", content_type="image/png", size=3, sha256="0" * 64)
    chat.send(UserInput.of_files([shot]))
    assert pt("conv.eligibility.inactive_not_sent") in chat.text


def test_r2_what_telegram_does_not_download_for_a_deactivated_account_is_said_lost_too(world):
    """Telegram downloads nothing for an account not active: the step sees files=[]."""
    chat = linked_chat(world)
    deactivate(world, "carla")
    chat.send(UserInput.of_files([], None))
    assert pt("conv.eligibility.inactive_not_sent") in chat.text
    chat.send("/start")
    assert chat.text == pt("conv.eligibility.inactive", contact=ASK)
