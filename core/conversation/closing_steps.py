"""The approval's questions as steps (R19): the decision, its confirmation, the reason and the
restriction (asked again when it says the solution did not work); a print sent at the decision
(the error still there) kept for the reason."""

from __future__ import annotations

from collections.abc import Callable

from core.conversation import (
    closing_meanwhile,
    closing_new_matter,
    closing_words,
    matter,
    rating_typed,
    rating_words,
    smalltalk,
    ticket_asked,
)
from core.conversation.attachments import worth_keeping
from core.conversation.closing import (
    MAX_REASON_FILES,
    ask_comment,
    ask_decide,
    ask_reason,
    closing_ticket,
    on_comment,
    on_decide,
    on_decide_text,
    on_reason,
    while_awaiting,
)
from core.conversation.closing_confirm import ask_confirm, on_confirm
from core.conversation.fmt import fit_told
from core.conversation.matching import match_words
from core.conversation.turn import STEPS, Step, Turn, register
from core.conversation_state import ConversationState
from core.errors import InvalidInput
from core.models import Attachment, Decision


def said_or_back(answer: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """A click on the reason or restriction question: use the words kept, or go back."""

    def on_choice(turn: Turn, value: str) -> None:
        said = turn.section("closing").get("said")
        if value == "said" and said:
            answer(turn, said)
        else:
            turn.go("closing.decide")

    return on_choice


USE_WORDS = frozenset({"usar", "use", "usa", "esse", "essa", "mesmo", "that", "this", "it"})
"""A yes's own words where the words kept are offered ("pode usar", "use that")."""


def yes_uses_said(answer: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """The reason or restriction typed; a bare yes ("sim", "pode usar") where the words kept
    are offered (Usar o que escrevi) uses them."""

    def on_text(turn: Turn, text: str) -> None:
        said = turn.section("closing").get("said")
        answer(turn, said if said and smalltalk.yes_or_no(text, USE_WORDS) else text)

    return on_text


def on_decide_words(turn: Turn, text: str) -> None:
    """Words at the approval question; a news question ("já resolveram?", the approval notice
    just read) is told the solution awaits her answer, not taken for "funcionou" (R19)."""
    if ticket_asked.news_asked(text) and closing_words.decision(text) != "not_approve":
        turn.say("conv.closing.news_asked", number=closing_ticket(turn).number)
        turn.go("closing.decide")
        return
    if rating_words.solved_then_new(text):  # "funcionou, mas agora a impressora…": which?
        closing_new_matter.ask(turn, text)
        return
    on_decide_text(turn, text)


def on_comment_text(turn: Turn, text: str) -> None:
    """The restriction typed; words that say the solution did not work ("não funcionou")
    ask first, as approving with them would close the ticket for good."""
    if closing_words.decision(text) == "not_approve":
        turn.section("closing")["said"] = text
        turn.go("closing.comment_check")
        return
    on_comment(turn, text)


def on_confirm_text(turn: Turn, text: str) -> None:
    """Words at the approval's confirmation: the option they name, a short yes or no ("pode",
    "não"); else read as at the decision question ("ainda dá rejeição na nota 10127": kept
    for the reason), never dropped. Words that say it did not work, or only in part, go there
    first: 'aprovar com restrições: …' shares 'aprovar' with the button that closes."""
    verdict = closing_words.decision(text)
    if verdict in ("not_approve", "partial") or closing_words.later(text):
        on_decide_text(turn, text)
        return
    if verdict == "approve":  # "funcionou" again, "ótimo atendimento": the confirmation
        turn.section("closing")["praise"] = text.strip()[:200]  # "5 estrelas": rated too
        on_confirm(turn, "approve")
        return
    named = match_words(turn.state, text)
    said = smalltalk.yes_or_no(text)
    if named is None and said is not None:
        named = "approve" if said else "back"
    if named is not None:
        on_confirm(turn, named)
        return
    on_decide_text(turn, text)


def on_comment_check_text(turn: Turn, text: str) -> None:
    """Words at the check: a short answer naming an option picks it; a matter joins the words
    kept ("a nota 10130 também volta" is no Voltar), the question asked again."""
    named = match_words(turn.state, text) if len(text.split()) <= SHORT_WORDS else None
    if named is not None:
        on_comment_check(turn, named)
        return
    if not matter.is_matter(text):
        raise InvalidInput("conv.error.choose")
    section = turn.section("closing")
    joined = "\n".join(p for p in (section.get("said"), text.strip()) if p)
    section["said"] = fit_told(turn, joined, "conv.closing.said_cut")
    turn.say("conv.closing.said_kept")
    turn.go("closing.comment_check")


SHORT_WORDS = 3
"""The most words an answer naming an option by its words has at the check."""


def ask_comment_check(turn: Turn) -> None:
    """Not approve with those words as the reason, approve with them all the same, or back."""
    turn.ask("closing.comment_check", turn.t("conv.closing.comment_check",
                                             number=closing_ticket(turn).number),
             [(turn.t("conv.closing.check_not_approve"), "reason"),
              (turn.t("conv.closing.check_partial"), "partial"),
              (turn.t("conv.closing.back"), "back")])


def on_comment_check(turn: Turn, value: str) -> None:
    """The words kept go as the reason or the restriction; back to the three answers."""
    said = turn.section("closing").get("said")
    if value in ("reason", "partial") and said:
        (on_reason if value == "reason" else on_comment)(turn, said)
    else:
        turn.go("closing.decide")


def keep_files(turn: Turn, files: list[Attachment]) -> int:
    """Keep files sent for the reason (not empty, not twice, at most MAX_REASON_FILES); how
    many are kept now."""
    section = turn.section("closing")
    kept = [Attachment.model_validate(a) for a in section.get("files", [])]
    section["files"] = [a.model_dump(mode="json") for a in
                        kept + worth_keeping(turn, kept, files)][:MAX_REASON_FILES]
    return len(section["files"])


def on_reason_files(turn: Turn, files: list[Attachment]) -> None:
    """A print of the error still there: kept for the reason, which may come with it."""
    count = keep_files(turn, files)
    if turn.caption:
        on_reason(turn, turn.caption)
        return
    turn.say("conv.closing.files_for_reason", count=count)
    turn.go("closing.reason")


def on_decide_files(turn: Turn, files: list[Attachment]) -> None:
    """A print sent at the approval question: kept for the reason, should Não aprovar be
    chosen; its caption read as words typed at the question."""
    turn.say("conv.closing.files_for_decision", count=keep_files(turn, files))
    if turn.caption:
        on_decide_text(turn, turn.caption)
    else:
        turn.go("closing.decide")


def on_comment_files(turn: Turn, files: list[Attachment]) -> None:
    """A print sent with the restriction (its caption): kept, it goes into the thread as a
    trâmite when the ticket closes with the restriction."""
    count = keep_files(turn, files)
    comment = STEPS["closing.comment"].on_text
    if turn.caption and comment is not None:
        comment(turn, turn.caption)
        return
    turn.say("conv.closing.files_for_comment", count=count)
    turn.go("closing.comment")


def _files_kept(state: ConversationState) -> bool:
    """Whether prints wait for the reason (a command would drop them)."""
    return bool((state.data.get("closing") or {}).get("files"))


def _said_kept(state: ConversationState) -> bool:
    """Whether words or prints typed at the approval wait for a decision (a command would
    drop them)."""
    closing = state.data.get("closing") or {}
    return bool(closing.get("said") or closing.get("files"))


def rates_if_closed(guarded: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """Aprovar tapped once the ticket closed by itself (R21): that is said, and the rating the
    closing notice invites asked while it has none (R20); any other answer as guarded."""

    def run(turn: Turn, value: str) -> None:
        ticket = closing_ticket(turn)
        if value != "approve" or ticket.decision != Decision.AUTO_APPROVED \
                or ticket.rating is not None:
            guarded(turn, value)
            return
        turn.say_text(closing_meanwhile.decision_moved(turn, ticket) or "")
        praise = turn.section("closing").get("praise") or ""  # "nota 10, funcionou"
        rating_typed.rate(turn, ticket, "", closing_words.explicit_rating(praise))

    return run


register(
    Step("closing.decide", ask_decide, on_choice=rates_if_closed(while_awaiting(on_decide)),
         on_text=while_awaiting(on_decide_words, words=True),
         on_files=on_decide_files, busy=_said_kept, busy_key="conv.error.busy_decide",
         plain_requests=True, back="later"),  # "voltar": Decidir depois, nothing decided
    Step("closing.confirm", ask_confirm, on_choice=rates_if_closed(while_awaiting(on_confirm)),
         on_text=while_awaiting(on_confirm_text, words=True), on_files=on_decide_files),
    Step("closing.reason", ask_reason, on_choice=while_awaiting(said_or_back(on_reason)),
         on_text=while_awaiting(closing_words.unless_approving(yes_uses_said(on_reason)),
                                words=True),
         on_files=on_reason_files, busy=_files_kept, busy_key="conv.error.busy_reason",
         numbers_are_options=True, plain_requests=True),
    Step("closing.comment", ask_comment, on_choice=while_awaiting(said_or_back(on_comment)),
         on_text=while_awaiting(closing_words.unless_approving(yes_uses_said(on_comment_text)),
                                words=True), on_files=on_comment_files,
         numbers_are_options=True, plain_requests=True),
    Step("closing.comment_check", ask_comment_check, on_choice=while_awaiting(on_comment_check),
         on_text=while_awaiting(on_comment_check_text, words=True)),
)
