"""A click on a guided question answered in place: the question's message, edited, shows the
choice and the next question (one editMessageText instead of a new message and the removal of
the clicked buttons), reading like a form being filled; the priority's click shows the review
there, and the review's Registrar o Ticket the ticket's number under what was registered."""

from __future__ import annotations

from bots.telegram.render import Outgoing, escape, shown_len
from core.conversation.turn import IDLE
from core.i18n import t

REVIEW = "intake.resumo"
ASKED = frozenset({"intake.empresa", "intake.tipo", "intake.item", "intake.servico",
                   "intake.versao", "intake.anexos", "intake.prioridade", "intake.motivo"})
"""Steps whose question, answered by a click, may be edited into the next one: each simply
leads to the next question (or back to the review, after a correction)."""
NEXT = ASKED | {"intake.assunto", "intake.descricao", REVIEW}
"""Steps whose question may be shown in the clicked question's place. Menus, corrections and
anything else keep a message of their own."""
MAX_FORM = 3000
"""Past this length (Telegram's limit is 4096) the next question goes in a new message."""


def leads_on(asked: str | None, now: str | None) -> bool:
    """Whether a click at step `asked` that took the chat to step `now` may be answered in
    the clicked message."""
    return asked in ASKED and now in NEXT or asked == REVIEW and now == IDLE  # registered


def filled(shown: str, label: str, answer: Outgoing, lang: str | None) -> Outgoing | None:
    """The clicked message as it reads now (Telegram's plain words), the choice under it and
    the next question: what the message shows after the click; None when too long."""
    chosen = escape(t("telegram.form.chosen", lang, choice=label))
    html = f"{escape(shown.rstrip())}\n{chosen}\n\n{answer.html}"
    if shown_len(html) > MAX_FORM:
        return None
    return answer.model_copy(update={"html": html})
