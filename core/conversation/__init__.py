"""The channel-neutral conversation engine: handle() one input, get neutral replies back.

Adapters build a ConversationKey (identity.telegram_key / slack_key / terminal_key), turn what
the person did into a UserInput (replies.parse for typed text, of_choice for a clicked button,
of_files for files they stored), call handle() inside a unit of work, commit, and render the
replies: text, choices (label + opaque id) and the kind of answer expected.
"""

from core.conversation import (  # noqa: F401  (importing a flow registers its steps)
    closing,
    closing_offer,
    closing_steps,
    commands,
    following,
    intake,
    intake_descricao,
    intake_empresa,
    intake_priority,
    intake_review,
    intake_texts,
    intake_version,
    kb,
    listing_period,
    profile,
    rating,
    rating_comment,
    ticket_article,
    ticket_duplicate,
    ticket_note_split,
    ticket_quote,
    ticket_said,
    ticket_said_actions,
    ticket_thread,
    ticket_tramite,
    ticket_view,
    typed,
)
from core.conversation.engine import handle, step
from core.conversation.identity import identify, slack_key, telegram_key, terminal_key
from core.conversation.replies import (
    Choice,
    Command,
    Expect,
    FilePayload,
    Reply,
    UserInput,
    parse,
)
from core.conversation.ticket_prompts import prompt_for_ticket_event

__all__ = [
    "Choice",
    "Command",
    "Expect",
    "FilePayload",
    "Reply",
    "UserInput",
    "handle",
    "identify",
    "parse",
    "prompt_for_ticket_event",
    "slack_key",
    "step",
    "telegram_key",
    "terminal_key",
]
