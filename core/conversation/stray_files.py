"""Files sent at a question that takes none: kept, never refused and lost (R3, R7, R19)."""

from __future__ import annotations

from collections.abc import Callable

from core.conversation import intake_texts, matter, ticket_said, typed
from core.conversation.closing import closing_ticket
from core.conversation.fmt import file_names
from core.conversation.replies import UserInput
from core.conversation.turn import Step, Turn, error_text
from core.errors import HelpdeskError

HELD = frozenset({"closing.billing", "closing.offer", "closing.which"})
RATING = frozenset({"closing.rate", "closing.rate_digit", "closing.rate_loose"})
"""The rating of a ticket just closed: held as at the approvals, offered after it as a new
ticket naming the closed one (a print sent then is most likely about it)."""
HELD = frozenset({"closing.billing", "closing.offer", "closing.which", *RATING})
"""Questions of the approvals: files are held while they are answered and offered at their
end (matter.after_flow), the caption answering the question."""
PAGES = frozenset({"ticket.thread"})
"""A ticket's thread shown whole: files are offered as its trâmite, as at its page."""

Answer = Callable[[Turn, Step, str], None]


def kept(turn: Turn, current: Step, user_input: UserInput, answer: Answer) -> bool:
    """Keep files sent where the question takes none: the anexos of a ticket being opened,
    the trâmite of a ticket shown, held through the approvals, else offered as at the menu
    (a new ticket's anexos); True when kept. Agents' steps are left as they were."""
    files = user_input.files
    if current.name.startswith("intake.") or (current.name == "menu.cancel_confirm"
                                              and "intake" in turn.state.data):
        intake_texts.keep_for_anexos(turn, files)  # "Descartar?": kept until it is said
    elif turn.user.is_staff:
        return False
    elif current.name in PAGES:
        ticket_said.on_view_files(turn, files)
        return True
    elif current.name in HELD:
        turn.caption = None  # the caption answers the question, it is not kept twice
        typed.keep_files(turn, files)
        if current.name in RATING:
            matter.follows(turn, closing_ticket(turn).number)
        turn.say("conv.files.held", count=len(files),
                 names=file_names(files))
    elif not current.is_busy(turn.state):
        typed.on_menu_files(turn, files)
        return True
    else:
        return False
    _answer_caption(turn, current, user_input.text, answer)
    return True


def _answer_caption(turn: Turn, current: Step, text: str | None, answer: Answer) -> None:
    """The caption answers the question; if it is refused the files stay kept and the
    question is asked again."""
    if not text:
        turn.go(current.name)
        return
    kept_state, said = turn.state.model_copy(deep=True), len(turn.replies)
    try:
        answer(turn, current, text)
    except HelpdeskError as err:
        turn.state = kept_state
        del turn.replies[said:]
        turn.say_text(error_text(err, turn.lang))
        turn.go(current.name)
