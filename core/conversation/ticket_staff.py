"""An agent's work from a ticket's page in the chat, as the Slack card's buttons do: take it,
send the solution with the ticket's origin (R19, R22), or a workaround (R12)."""

from __future__ import annotations

from collections.abc import Callable

from core.conversation.fmt import fit_told, preview
from core.conversation.matching import match_words
from core.conversation.replies import Expect
from core.conversation.smalltalk import yes_or_no
from core.conversation.ticket_said import DROP_WORDS, offer_kept
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import Step, Turn, current_prompt, register
from core.conversation_state import ConversationState
from core.coverage import Origin
from core.errors import Conflict, InvalidInput, InvalidTransition
from core.i18n import label
from core.models import Ticket
from core.services import billing, closing, handling, queries, workaround
from core.services.intake import clean_text
from core.services.reference import load_coverage
from core.textmatch import fold


def staff_choices(turn: Turn, ticket: Ticket) -> list[tuple[str, str]]:
    """What the ticket's page offers an agent besides trâmites and notes."""
    if ticket.status not in handling.WORKABLE:
        return []
    take = [(turn.t("conv.staff.take"), "take")] if ticket.status not in handling.TAKEN \
        else []
    return [*take, (turn.t("conv.staff.send_solution"), "solution"),
            (turn.t("conv.staff.send_workaround"), "workaround")]


def on_staff(turn: Turn, value: str) -> None:
    """Take the shown ticket, or start writing its solution or a workaround (R12)."""
    if value == "take":
        ticket = _ticket(turn)
        mine = handling.works_on(ticket, turn.user.id)
        ticket = ticket if mine else handling.take(turn.ctx, turn.user.id or 0, ticket.id or 0)
        turn.state.data["took_by_page"] = ticket.id  # no Assumir o próximo pressed (staff_queue)
        turn.say("error.already_yours" if mine else "conv.staff.taken", number=ticket.number)
        turn.go("ticket.view")
        return
    if value == "workaround":
        turn.leave("workaround")  # what was sent counts from this question on (R12)
        turn.go("ticket.workaround")
        return
    turn.section("solution").clear()
    turn.go("ticket.solution")


def _ticket(turn: Turn) -> Ticket:
    return queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket


def ask_solution(turn: Turn) -> None:
    """The text the customer receives with the approval question; one written already (back
    from the origin) is shown, to keep or to replace."""
    number = _ticket(turn).number
    kept = turn.section("solution").get("text")
    if kept:
        turn.ask("ticket.solution", turn.t("conv.staff.ask_solution_again", number=number,
                                           said=preview(kept, 300)),
                 [(turn.t("conv.staff.keep_solution"), "keep"),
                  (turn.t("conv.staff.discard_solution"), "back")], Expect.TEXT)
        return
    turn.ask("ticket.solution", turn.t("conv.staff.ask_solution", number=number),
             [(turn.t("conv.tramite.back"), "back")], Expect.TEXT)


def on_solution_choice(turn: Turn, value: str) -> None:
    """Go on with the solution kept, or leave it unsent (said when one was written)."""
    kept = turn.section("solution").get("text")
    if value == "keep" and kept:
        turn.go("ticket.origin")
        return
    if kept:
        turn.say("conv.staff.solution_discarded")
    back_to_ticket(turn)


KEEP_WORDS = frozenset({"manter", "mantem", "mantenha", "manter esta", "manter essa",
                        "manter a solucao", "keep", "keep it", "keep this one"})
"""Typed where a solution written is shown to keep or replace: keep it, not replace it."""
DROPPED = DROP_WORDS - {"it"}
"""Typed where a solution or a workaround is asked: the question left, nothing sent."""


def on_solution_text(turn: Turn, text: str) -> None:
    """Keep the solution (past the limit, what fits, said), then ask the origin; "descartar"
    typed, and "manter" with one written already, are its buttons, not a solution."""
    said = " ".join(fold(text).split())
    if said in DROPPED or (said in KEEP_WORDS and turn.section("solution").get("text")):
        on_solution_choice(turn, "keep" if said in KEEP_WORDS else "back")
        return
    kept = fit_told(turn, text, "conv.staff.solution_cut")
    turn.section("solution")["text"] = clean_text(kept, turn.ctx.policy.text_max, "solucao")
    turn.go("ticket.origin")


def back_to_ticket(turn: Turn, _: str = "back") -> None:
    """Leave the solution unsent and show the ticket again."""
    turn.leave("solution")
    turn.go("ticket.view")


def origin_label(turn: Turn, origin: Origin, key: str = "conv.staff.origin") -> str:
    """An origin with whether the contract covers it: "Backup (cobrado)"."""
    return turn.t(key, label=origin.shown(turn.lang),
                  covered=turn.t("conv.staff.covered" if origin.covered else "conv.staff.billable"))


def origin_choices(turn: Turn, ticket: Ticket) -> list[tuple[str, str]]:
    """The contract table in its own order, so an origin keeps its number from one question to
    the next; the classified (else the suggested) one marked; then "back" (R22)."""
    suggested, _ = billing.suggested_origin(turn.ctx, ticket)
    marked = ticket.origin or suggested
    mark = "conv.staff.origin_current" if ticket.origin else "conv.staff.origin_suggested"
    choices = [(origin_label(turn, o, mark if o.id == marked else "conv.staff.origin"), o.id)
               for o in load_coverage(turn.ctx.uow).origins if billing.may_take(ticket, o)]
    return [*choices, (turn.t("conv.tramite.back"), "back")]


def ask_origin(turn: Turn) -> None:
    """The origin the solution goes with (R22): a classified ticket's is confirmed (changing
    it is a choice of its own), an unclassified one's picked from the table."""
    ticket = _ticket(turn)
    said = preview(turn.section("solution").get("text", ""), 300)
    if ticket.origin and not turn.section("solution").get("other"):
        origin = load_coverage(turn.ctx.uow).origin(ticket.origin)
        turn.ask("ticket.origin", turn.t("conv.staff.confirm_origin", number=ticket.number,
                                         said=said, origin=origin_label(turn, origin)),
                 [(turn.t("conv.staff.send_with_origin"), origin.id),
                  (turn.t("conv.staff.other_origin"), "other"),
                  (turn.t("conv.tramite.back"), "back")])
        return
    turn.ask("ticket.origin", turn.t("conv.staff.ask_origin", number=ticket.number, said=said),
             origin_choices(turn, ticket))


def on_origin(turn: Turn, value: str) -> None:
    """Send the solution with the origin picked; the ticket awaits the customer's approval.
    Back goes to the solution, kept, to be sent as it is, rewritten or discarded."""
    if value == "back":
        turn.section("solution").pop("other", None)
        turn.go("ticket.solution")
        return
    if value == "other":
        turn.section("solution")["other"] = True
        turn.go("ticket.origin")
        return
    ticket = _ticket(turn)
    if not ticket.billable and not load_coverage(turn.ctx.uow).origin(value).covered:
        turn.section("solution")["origin"] = value  # a new charge: its quote first (R23)
        turn.go("ticket.solution_quote")
        return
    send_solution(turn, value)


SEND_WORDS = frozenset({"enviar", "envia", "envie", "manda", "mandar", "send"})
"""The verbs of a yes to the classified origin's question ("pode enviar")."""


def origin_typed(pick: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """An origin named in words, then picked: only one whose label holds every word typed
    ("backup", "erro de sistema"); the origin decides what the customer pays (R22, R23), so
    words sharing just one word with a label ("erro de cadastro") name none, nor does a yes or
    no ("não" is no "Necessidade não atendida"), what was typed before them kept; at the
    classified origin's question a yes sends with it, a no asks for another."""

    def on_text(turn: Turn, text: str) -> None:
        prompt = current_prompt(turn.state)
        values = [c.id.partition(":")[2] for c in prompt.choices] if prompt else []
        answer = yes_or_no(text, SEND_WORDS)
        if "other" in values and answer is not None:  # "sim" to "vai com a origem …"
            pick(turn, values[0] if answer else "other")
            return
        named = match_words(turn.state, text, strict=True)
        if named is None:
            raise InvalidInput("conv.staff.origin_unclear", text=preview(text.strip(), 60))
        pick(turn, named)

    return on_text


def send_solution(turn: Turn, origin_id: str, quote: str | None = None) -> None:
    """Send the solution kept with its origin (and a new charge's quote); show the ticket."""
    text = turn.section("solution").get("text")
    if not text:
        raise InvalidInput("conv.error.not_offered")
    try:
        ticket = closing.request_approval(turn.ctx, turn.user.id or 0, shown_ticket_id(turn),
                                          text, origin_id=origin_id, quote=quote)
    except Conflict as err:
        if err.key != closing.ALREADY_SENT:
            raise
        turn.leave("solution")  # this very solution went already (another device, a retry)
        turn.say(err.key, **err.params)
        turn.go("ticket.view")
        return
    except InvalidTransition:
        ticket = _ticket(turn)
        if ticket.status in handling.WORKABLE:
            raise
        # A colleague solved, closed or rejected it meanwhile: what was written is offered.
        turn.leave("solution")
        turn.say("conv.staff.solution_meanwhile", number=ticket.number,
                 status=label("status", ticket.status, turn.lang))
        offer_kept(turn, text, "conv.staff.kept_offer", note_only=False)
        return
    turn.leave("solution")
    turn.say("conv.staff.solution_sent", number=ticket.number)
    turn.go("ticket.view")


def solution_busy(state: ConversationState) -> bool:
    """Whether a solution typed is still unsent."""
    return bool((state.data.get("solution") or {}).get("text"))


def ask_workaround(turn: Turn) -> None:
    """The workaround the customer gets while the definitive fix follows (R12); how many were
    sent when it was first asked is kept, so one a colleague sends meanwhile is told, not
    doubled (workaround.SENT_MEANWHILE)."""
    ticket = _ticket(turn)
    turn.section("workaround").setdefault("seen", len(workaround.sent(turn.ctx, ticket.id or 0)))
    turn.ask("ticket.workaround", turn.t("conv.staff.ask_workaround", number=ticket.number),
             [(turn.t("conv.tramite.back"), "back")], Expect.TEXT)


def on_workaround_text(turn: Turn, text: str) -> None:
    """Send the workaround; the ticket stays open for the definitive fix (R12). "descartar"
    typed goes back, as Voltar does: it is no workaround to send the customer."""
    if turn.state.step == "ticket.workaround" and " ".join(fold(text).split()) in DROPPED:
        back_to_ticket(turn)
        return
    send_workaround(turn, fit_told(turn, text, "conv.staff.solution_cut"))


def send_workaround(turn: Turn, text: str) -> None:
    """Send it unless a colleague sent one since the question was asked: then say what went
    and by whom, the agent's words kept, to send anyway or to discard (R12)."""
    section, ticket_id = turn.section("workaround"), shown_ticket_id(turn)
    try:
        ticket = workaround.send_workaround(turn.ctx, turn.user.id or 0, ticket_id, text,
                                            seen=section.get("seen"))
    except Conflict as err:
        if err.key != workaround.SENT_MEANWHILE:
            raise
        section.update(text=text, seen=len(workaround.sent(turn.ctx, ticket_id)))
        turn.say("conv.staff.workaround_meanwhile", **err.params)
        turn.go("ticket.workaround_again")
        return
    turn.leave("workaround")
    turn.say("conv.staff.workaround_sent", number=ticket.number)
    turn.go("ticket.view")


def ask_workaround_again(turn: Turn) -> None:
    """The agent's workaround, unsent because a colleague's went meanwhile: send it anyway,
    discard it, or write another."""
    turn.ask("ticket.workaround_again", turn.t(
        "conv.staff.ask_workaround_again", number=_ticket(turn).number,
        said=preview(turn.section("workaround").get("text", ""), 300)),
        [(turn.t("conv.staff.workaround_anyway"), "send"),
         (turn.t("conv.staff.workaround_discard"), "back")], Expect.TEXT)


def on_workaround_again(turn: Turn, value: str) -> None:
    """Send the kept workaround on purpose, or leave it unsent."""
    text = turn.section("workaround").get("text")
    if value == "send" and text:
        send_workaround(turn, text)
        return
    turn.leave("workaround")
    turn.say("conv.staff.workaround_discarded")
    turn.go("ticket.view")


def workaround_busy(state: ConversationState) -> bool:
    """Whether a workaround typed is kept unsent."""
    return bool((state.data.get("workaround") or {}).get("text"))


register(
    # A number typed names a button: a workaround or solution "6" would reach the customer.
    Step("ticket.workaround", ask_workaround, on_choice=back_to_ticket,
         on_text=on_workaround_text, numbers_are_options=True),
    Step("ticket.workaround_again", ask_workaround_again, on_choice=on_workaround_again,
         on_text=on_workaround_text, busy=workaround_busy,
         busy_key="conv.error.busy_workaround", numbers_are_options=True),
    Step("ticket.solution", ask_solution, on_choice=on_solution_choice,
         on_text=on_solution_text, busy=solution_busy, busy_key="conv.error.busy_solution",
         numbers_are_options=True),
    Step("ticket.origin", ask_origin, on_choice=on_origin, on_text=origin_typed(on_origin),
         busy=solution_busy, busy_key="conv.error.busy_solution"),
)
