"""The rest of the Slack card's work on a ticket, from its page in the chat: hand it on, triage,
priority, origin, development and back, duplicates (R6, R12, R15, R16, R18, R22, R23)."""

from __future__ import annotations

from core.conversation.fmt import fit_told, priority_text, status
from core.conversation.matching import short_choice
from core.conversation.replies import Expect
from core.conversation.ticket_said import offer_kept
from core.conversation.ticket_staff import origin_choices, origin_typed
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import Step, Turn, error_text, register
from core.errors import Conflict, InvalidInput, InvalidTransition
from core.i18n import label
from core.models import CriticalReason, Priority, Status, Ticket
from core.services import billing, handling, queries
from core.services.access import require_staff
from core.services.intake import clean_text
from core.services.reference import load_coverage

BACK = "back"
CHANGED_HANDS = {"error.changed_hands": "conv.staff.changed_hands",
                 "error.changed_hands_nobody": "conv.staff.changed_hands_nobody"}
"""core's refusal of a Repassar the ticket's new hands made stale, as the chat says it."""


def page_choice(turn: Turn, ticket: Ticket) -> list[tuple[str, str]]:
    """The page's way into the team's actions, when the ticket's status leaves any."""
    return [(turn.t("conv.staff.actions"), "actions")] if offered(ticket) else []


def offered(ticket: Ticket) -> list[tuple[str, str]]:
    """The card's actions that make sense in the ticket's status (core re-checks each)."""
    found = []
    if ticket.status in handling.WORKABLE:
        found += [("slack.btn.assign", "assign"), ("slack.btn.priority", "priority")]
        if ticket.status in handling.HANDS_ON:
            found += [("conv.staff.estimate", "estimate"), ("slack.btn.dev", "dev")]
        if ticket.status == Status.IN_DEVELOPMENT:
            found.append(("slack.btn.dev_return", "dev_return"))
    if ticket.status in billing.CLASSIFIABLE:
        found.append(("slack.btn.origin", "origin"))
    if ticket.billable and ticket.is_open:
        found.append(("slack.btn.quote", "quote"))
    if ticket.status in handling.WORKABLE:
        found.append(("slack.btn.reject", "reject"))
    if ticket.is_open:  # a standard answer, from the knowledge base (R9)
        found.append(("conv.staff.send_article", "article"))
    return found


def staff_view(turn: Turn) -> queries.TicketView:
    require_staff(turn.user)  # customers never get here; a stale state must not either
    return queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))


def back_choice(turn: Turn) -> tuple[str, str]:
    return turn.t("conv.tramite.back"), BACK


def done(turn: Turn, key: str, **params: object) -> None:
    """Say what was done and show the ticket again."""
    turn.leave("duplicate")
    turn.say(key, **params)
    turn.go("ticket.view")


def ask_action(turn: Turn) -> None:
    """What the team may do with the ticket now."""
    view = staff_view(turn)
    ticket = view.ticket
    choices = [(turn.t(key), value) for key, value in offered(ticket)]
    turn.ask("ticket.actions", turn.t(
        "conv.staff.ask_action", number=ticket.number, status=status(turn, ticket),
        assignee=view.assignee or turn.t("conv.ticket.nobody")), [*choices, back_choice(turn)])


STEP_OF = {"assign": "ticket.assign", "priority": "ticket.priority", "dev": "ticket.dev",
           "dev_return": "ticket.dev_return", "origin": "ticket.classify",
           "reject": "ticket.duplicate", "quote": "ticket.quote", "article": "ticket.article"}


def on_action(turn: Turn, value: str) -> None:
    """Move to estimate at once; the others ask what they need first."""
    if value == "estimate":
        ticket = handling.move_to_estimate(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))
        done(turn, "conv.staff.estimated", number=ticket.number)
    elif value in STEP_OF:
        turn.go(STEP_OF[value])
    else:
        turn.go("ticket.view")


def ask_assign(turn: Turn) -> None:
    """The team, but the ticket's current holder; oneself marked (taking it over)."""
    view = staff_view(turn)
    me = turn.user.id
    team = sorted((u for u in turn.ctx.uow.users.staff() if u.id != view.ticket.assignee_id),
                  key=lambda u: u.name.casefold())
    choices = [(turn.t("conv.staff.agent_self", name=u.name) if u.id == me else u.name,
                str(u.id)) for u in team]
    turn.section("ticket")["held"] = view.ticket.assignee_id or 0  # as the question names it
    turn.ask("ticket.assign", turn.t(
        "conv.staff.ask_assign", number=view.ticket.number,
        assignee=view.assignee or turn.t("conv.ticket.nobody")), [*choices, back_choice(turn)])


def on_assign(turn: Turn, value: str) -> None:
    """Hand the ticket to the agent picked (to oneself: take it over); in other hands than the
    question named, nothing moves: said, and asked again (R6)."""
    if not value.isdecimal():
        turn.go("ticket.view")
        return
    try:
        ticket = handling.assign(turn.ctx, turn.user.id or 0, shown_ticket_id(turn), int(value),
                                 seen_holder=turn.section("ticket").get("held"))
    except Conflict as err:
        if err.key not in CHANGED_HANDS:
            raise
        turn.say(CHANGED_HANDS[err.key], **err.params)
        turn.go("ticket.assign")
        return
    if ticket.assignee_id == turn.user.id:
        done(turn, "conv.staff.taken", number=ticket.number)
        return
    holder = turn.ctx.uow.users.get(ticket.assignee_id or 0)
    done(turn, "conv.staff.assigned", number=ticket.number,
            name=holder.name if holder else "?")


def ask_priority(turn: Turn) -> None:
    """Padrão, or Crítico with one of the manual's reasons (R12)."""
    ticket = staff_view(turn).ticket
    choices = [(label("priority", Priority.STANDARD, turn.lang), Priority.STANDARD.value)]
    choices += [(turn.t("slack.btn.critical", reason=label("critical_reason", r, turn.lang)),
                 r.value) for r in CriticalReason]
    turn.ask("ticket.priority", turn.t("conv.staff.ask_priority", number=ticket.number,
                                       priority=priority_text(ticket, turn.lang)),
             [*choices, back_choice(turn)])


def on_priority(turn: Turn, value: str) -> None:
    """Set the priority picked; a critical ticket jumps the queue (R12)."""
    if value == BACK:
        turn.go("ticket.view")
        return
    reasons = {r.value: r for r in CriticalReason}
    if value != Priority.STANDARD.value and value not in reasons:
        raise InvalidInput("conv.error.not_offered")
    ticket = handling.set_priority(
        turn.ctx, turn.user.id or 0, shown_ticket_id(turn),
        Priority.CRITICAL if value in reasons else Priority.STANDARD, reasons.get(value))
    done(turn, "conv.staff.priority_set", number=ticket.number,
            priority=priority_text(ticket, turn.lang))


def ask_classify(turn: Turn) -> None:
    """The contract table, as when the solution is sent (R22)."""
    ticket = staff_view(turn).ticket
    closed = not ticket.is_open and not ticket.billable  # only origins within the contract
    turn.ask("ticket.classify", turn.t("conv.staff.ask_classify_closed" if closed else
                                       "conv.staff.ask_classify", number=ticket.number),
             origin_choices(turn, ticket))


def on_classify(turn: Turn, value: str) -> None:
    """Record the origin; one outside the contract makes the ticket billable (R22, R23)."""
    if value == BACK:
        turn.go("ticket.view")
        return
    ticket = staff_view(turn).ticket
    if ticket.is_open and not ticket.billable and \
            not load_coverage(turn.ctx.uow).origin(value).covered:
        turn.section("quote")["origin"] = value  # the charge's quote goes with it (R23)
        turn.go("ticket.quote")
        return
    ticket = billing.classify_origin(turn.ctx, turn.user.id or 0, shown_ticket_id(turn), value)
    done(turn, "conv.staff.classified_billable" if ticket.billable else
            "conv.staff.classified", number=ticket.number,
            origin=billing.origin_label(turn.ctx, ticket, turn.lang))


def ask_dev(turn: Turn) -> None:
    """An optional note for development (R15)."""
    ticket = staff_view(turn).ticket
    turn.ask("ticket.dev", turn.t("conv.staff.ask_dev", number=ticket.number),
             [(turn.t("conv.staff.dev_plain"), "plain"), back_choice(turn)], Expect.TEXT)


def on_dev_choice(turn: Turn, value: str) -> None:
    """Forward without a note, or go back."""
    if value == "plain":
        _forward(turn, None)
    else:
        turn.go("ticket.view")


def on_dev_text(turn: Turn, text: str) -> None:
    """Forward with the note typed (past the limit, what fits, said); "sem observação" typed
    is the option, not a note."""
    named = short_choice(turn.state, text)
    if named is not None:
        on_dev_choice(turn, named)
        return
    note = clean_text(fit_told(turn, text, "conv.staff.text_cut"), turn.ctx.policy.text_max,
                      "nota")
    try:
        _forward(turn, note)
    except InvalidTransition as err:  # a colleague forwarded or solved it meanwhile
        turn.say_text(error_text(err, turn.lang))
        offer_kept(turn, note, "conv.staff.dev_note_kept")


def _forward(turn: Turn, note: str | None) -> None:
    ticket = handling.forward_to_development(turn.ctx, turn.user.id or 0,
                                             shown_ticket_id(turn), note)
    done(turn, "conv.staff.forwarded", number=ticket.number)


def ask_dev_return(turn: Turn) -> None:
    """The correction package development delivered (R15)."""
    ticket = staff_view(turn).ticket
    turn.ask("ticket.dev_return", turn.t("conv.staff.ask_dev_return", number=ticket.number),
             [back_choice(turn)], Expect.TEXT)


def on_dev_return_text(turn: Turn, text: str) -> None:
    """Back in attendance with the package; the customer is told (R15)."""
    package = clean_text(fit_told(turn, text, "conv.staff.text_cut"), turn.ctx.policy.text_max,
                         "pacote")
    try:
        ticket = handling.return_from_development(turn.ctx, turn.user.id or 0,
                                                  shown_ticket_id(turn), package)
    except InvalidTransition:  # a colleague recorded the return (or closed it) meanwhile
        ticket = staff_view(turn).ticket
        turn.say("conv.staff.package_meanwhile", number=ticket.number,
                 status=label("status", ticket.status, turn.lang))
        offer_kept(turn, package, "conv.staff.kept_offer", note_only=False)
        return
    done(turn, "conv.staff.returned", number=ticket.number, package=package)


def to_page(turn: Turn, _: str = BACK) -> None:
    """Leave the action and show the ticket again."""
    turn.leave("duplicate")
    turn.go("ticket.view")


register(
    # Steps of choices only: words name an option through the engine's matching.
    Step("ticket.actions", ask_action, on_choice=on_action, live=True),
    Step("ticket.assign", ask_assign, on_choice=on_assign),
    Step("ticket.priority", ask_priority, on_choice=on_priority),
    Step("ticket.classify", ask_classify, on_choice=on_classify,
         on_text=origin_typed(on_classify)),
    # What is typed here acts at once, so nothing is at stake: a request in words runs.
    Step("ticket.dev", ask_dev, on_choice=on_dev_choice, on_text=on_dev_text, requests=True,
         numbers_are_options=True),
    Step("ticket.dev_return", ask_dev_return, on_choice=to_page, on_text=on_dev_return_text,
         requests=True, numbers_are_options=True),
)
