"""One ticket (R6, R7): status, responsible, prazo, public trâmites; adding a trâmite."""

from __future__ import annotations

from core.conversation import closing, matter, smalltalk
from core.conversation.fmt import at, preview, status
from core.conversation.replies import Expect
from core.conversation.turn import IDLE, Step, Turn, register
from core.conversation_state import ConversationState
from core.errors import InvalidInput
from core.i18n import label
from core.models import OPEN_STATUSES, Attachment, Decision, Entry, EntryKind, Status, Ticket
from core.services import queries, tramites

SHOWN_ENTRIES = 5
ENTRY_PREVIEW = 500
DESCRICAO_PREVIEW = 800
MAX_FILES = 20
RATEABLE = (Decision.APPROVED, Decision.APPROVED_WITH_RESTRICTIONS, Decision.AUTO_APPROVED)


def show(turn: Turn, ticket_id: int) -> None:
    """Open a ticket the user may see; another company's looks like a missing one (R8)."""
    queries.detail(turn.ctx, turn.user.id or 0, ticket_id)
    turn.leave("tramite")
    turn.section("ticket")["id"] = ticket_id
    turn.go("ticket.view")


def open_by_number(turn: Turn, number: str) -> None:
    """`ticket 202611/0001`; without a number, ask for it."""
    if not number.strip():
        turn.go("ticket.number")
        return
    ticket = queries.ticket_by_number(turn.ctx, turn.user.id or 0, number.strip()[:20])
    show(turn, ticket.id or 0)


def ask_number(turn: Turn) -> None:
    """Which ticket to open."""
    turn.ask("ticket.number", turn.t("conv.ticket.ask_number"), expect=Expect.TEXT)


def on_number(turn: Turn, text: str) -> None:
    """Open the ticket typed."""
    if not text.strip():
        raise InvalidInput("error.empty", field="numero")
    open_by_number(turn, text)


def shown_ticket_id(turn: Turn) -> int:
    """The ticket whose page is shown (re-checked against the user wherever it is used)."""
    value = turn.section("ticket").get("id")
    if not isinstance(value, int):
        raise InvalidInput("conv.error.not_offered")
    return value


def public_entries(view: queries.TicketView) -> list[Entry]:
    """The trâmites the customer sees, oldest first."""
    return [e for e in view.entries if e.kind == EntryKind.PUBLIC and (e.text or e.attachments)]


def cut_short(view: queries.TicketView) -> bool:
    """Whether the page leaves trâmites out or cuts one (or the descrição) short: the whole
    thread is then a click away."""
    entries = public_entries(view)
    return len(entries) > SHOWN_ENTRIES or len(view.ticket.descricao) > DESCRICAO_PREVIEW \
        or any(len(e.text) > ENTRY_PREVIEW for e in entries)


def closed_line(turn: Turn, ticket: Ticket) -> str:
    """When and how the ticket closed: the decision, its comment, the rating if given."""
    line = turn.t("conv.ticket.closed", when=at(turn, ticket.closed_at),
                  decision=label("decision", ticket.decision, turn.lang))
    if ticket.decision_comment:
        line += " — " + preview(ticket.decision_comment, 300)
    if ticket.rating:
        line += "\n" + turn.t("conv.ticket.rated", rating=label("rating", ticket.rating,
                                                                 turn.lang))
    return line


def detail_text(turn: Turn, view: queries.TicketView) -> str:
    """The ticket as the manual's list shows it, then its latest public trâmites."""
    ticket = view.ticket
    text = turn.t(
        "conv.ticket.detail", number=ticket.number, assunto=ticket.assunto,
        status=status(turn, ticket), company=view.company, requester=view.requester,
        opened=at(turn, ticket.opened_at), priority=label("priority", ticket.priority, turn.lang),
        assignee=view.assignee or turn.t("conv.ticket.nobody"),
        due=at(turn, ticket.due_at) if ticket.due_at else
        turn.t("conv.ticket.no_due") if ticket.status in OPEN_STATUSES else "—",
        tipo=ticket.tipo, item=ticket.item, servico=ticket.servico,
        versao=ticket.versao or turn.t("conv.intake.versao_not_informed"),
        descricao=preview(ticket.descricao, DESCRICAO_PREVIEW))
    if view.duplicate_of:
        text += "\n" + turn.t("conv.ticket.duplicate_of", original=view.duplicate_of)
    if ticket.closed_at and ticket.decision:
        text += "\n" + closed_line(turn, ticket)
    entries = public_entries(view)
    if not entries:
        return text + "\n\n" + turn.t("conv.ticket.no_entries")
    lines = [turn.t("conv.ticket.entries", shown=min(len(entries), SHOWN_ENTRIES),
                    total=len(entries))]
    for entry in entries[-SHOWN_ENTRIES:]:
        files = ", ".join(a.filename for a in entry.attachments)
        lines.append(turn.t("conv.ticket.entry", when=at(turn, entry.created_at),
                            author=view.authors.get(entry.author_id or 0, "—"),
                            text=preview(entry.text, ENTRY_PREVIEW) or "—",
                            files=turn.t("conv.ticket.entry_files", files=files) if files else ""))
    return text + "\n\n" + "\n".join(lines)


def ask_view(turn: Turn) -> None:
    """The ticket and what the user can do with it now."""
    view = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))
    ticket, customer = view.ticket, not turn.user.is_staff
    choices = []
    if ticket.is_open:
        choices.append((turn.t("conv.ticket.add_tramite"), "tramite"))
    if cut_short(view):
        choices.append((turn.t("conv.ticket.whole_thread"), "thread"))
    if customer and ticket.status == Status.AWAITING_APPROVAL:
        choices.append((turn.t("conv.ticket.answer_approval"), "approve"))
    if customer and ticket.decision in RATEABLE and ticket.rating is None \
            and ticket.status == Status.CLOSED:
        choices.append((turn.t("conv.ticket.rate"), "rate"))
    if customer and ticket.billable and ticket.is_open and ticket.billing_authorized is None:
        choices.append((turn.t("conv.ticket.billing"), "billing"))
    choices += [(turn.t("conv.ticket.back_to_list"), "list"), (turn.t("conv.menu.back"), "menu")]
    turn.ask("ticket.view", detail_text(turn, view), choices)


def on_view(turn: Turn, value: str) -> None:
    """Act on the ticket's buttons."""
    ticket_id = shown_ticket_id(turn)
    if value == "tramite":
        turn.section("tramite").update({"ticket_id": ticket_id, "files": []})
        turn.go("ticket.tramite")
    elif value == "approve":
        closing.ask_decision_for(turn, ticket_id)
    elif value == "rate":
        closing.ask_rating_for(turn, ticket_id)
    elif value == "billing":
        closing.ask_billing_for(turn, ticket_id)
    elif value == "list":
        turn.go("list.view")
    elif value == "thread":
        turn.go("ticket.thread")
    else:
        turn.go(IDLE)


def on_view_text(turn: Turn, text: str) -> None:
    """Words typed at a ticket's page: a message for an open ticket is kept and offered as its
    trâmite, for a closed one as a new ticket; small talk is answered in kind."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    if not matter.is_matter(text):
        talk = smalltalk.kind(text)
        if talk is None:
            raise InvalidInput("conv.error.choose")
        turn.say(f"conv.smalltalk.{talk}", name=turn.user.name.split(" ")[0])
        turn.go("ticket.view")
        return
    if ticket.is_open:
        turn.section("tramite").update({"ticket_id": ticket.id, "files": []})
        _keep_said(turn, text)
        turn.go("ticket.said")
    elif not matter.offer_typed(turn, text):
        _refuse_closed(ticket)


def on_view_files(turn: Turn, files: list[Attachment]) -> None:
    """Files sent at an open ticket's page are offered as a trâmite, with their caption."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    if not ticket.is_open:
        _refuse_closed(ticket)
    turn.section("tramite").update({"ticket_id": ticket.id, "files": []})
    on_said_files(turn, files)


def _refuse_closed(ticket: Ticket) -> None:
    key = "error.ticket_rejected" if ticket.status == Status.REJECTED else "error.ticket_closed"
    raise InvalidInput(key, number=ticket.number)


def _keep_said(turn: Turn, text: str) -> None:
    """Add a message to the trâmite on offer; one longer than a trâmite may be is refused."""
    section = turn.section("tramite")
    said = "\n".join(filter(None, [section.get("said"), text.strip()]))
    if len(said) > turn.ctx.policy.text_max:
        raise InvalidInput("error.too_long", field="tramite", length=len(said),
                           max=turn.ctx.policy.text_max)
    section["said"] = said


def ask_said(turn: Turn) -> None:
    """Show what was typed (and sent) at the ticket's page; send it as a trâmite or drop it."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    section = turn.section("tramite")
    files = _files(turn)
    lines = []
    if section.get("said"):
        lines.append(turn.t("conv.tramite.said", text=preview(section["said"], 500)))
    if files:
        lines.append(turn.t("conv.intake.anexos_so_far", count=len(files),
                            names=", ".join(a.filename for a in files)))
    offer = "conv.tramite.offer_staff" if turn.user.is_staff else "conv.tramite.offer"
    lines.append(turn.t(offer, number=ticket.number))
    choices = [(turn.t("conv.tramite.send_said"), "send"), (turn.t("conv.tramite.drop"), "drop")]
    turn.ask("ticket.said", "\n".join(lines), choices)


def on_said(turn: Turn, value: str) -> None:
    """Send the message kept as a trâmite, or drop it and show the ticket again."""
    if value == "send":
        _send(turn, turn.section("tramite").get("said") or None)
        return
    if value != "drop":
        raise InvalidInput("conv.error.not_offered")
    turn.leave("tramite")
    turn.go("ticket.view")


def on_said_text(turn: Turn, text: str) -> None:
    """Another message while the first is on offer: they go together."""
    _keep_said(turn, text)
    turn.go("ticket.said")


def on_said_files(turn: Turn, files: list[Attachment]) -> None:
    """Files join the trâmite on offer, their caption its text."""
    _collect(turn, files)
    if turn.caption:
        _keep_said(turn, turn.caption)
    turn.go("ticket.said")


def _collect(turn: Turn, files: list[Attachment]) -> None:
    """Add files to the trâmite being written, up to MAX_FILES."""
    kept = turn.section("tramite").setdefault("files", [])
    if len(kept) + len(files) > MAX_FILES:
        raise InvalidInput("conv.intake.too_many_files", max=MAX_FILES)
    kept.extend(a.unattached().model_dump(mode="json") for a in files)


def _files(turn: Turn) -> list[Attachment]:
    return [Attachment.model_validate(a) for a in turn.section("tramite").get("files", [])]


def ask_tramite(turn: Turn) -> None:
    """Text and/or files for a new public trâmite (R7)."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    files = _files(turn)
    text = turn.t("conv.tramite.ask", number=ticket.number)
    choices = []
    if files:
        text += "\n" + turn.t("conv.intake.anexos_so_far", count=len(files),
                              names=", ".join(a.filename for a in files))
        choices.append((turn.t("conv.tramite.send_files"), "send"))
    choices.append((turn.t("conv.tramite.back"), "back"))
    turn.ask("ticket.tramite", text, choices, Expect.TEXT)


def _send(turn: Turn, text: str | None) -> None:
    ticket_id = shown_ticket_id(turn)
    tramites.add_tramite(turn.ctx, turn.user.id or 0, ticket_id, text, _files(turn))
    ticket = queries.detail(turn.ctx, turn.user.id or 0, ticket_id).ticket
    turn.leave("tramite")
    turn.say("conv.tramite.added", number=ticket.number)
    turn.go("ticket.view")


def on_tramite_text(turn: Turn, text: str) -> None:
    """Send the trâmite with the files collected so far."""
    _send(turn, text)


def on_tramite_files(turn: Turn, files: list[Attachment]) -> None:
    """Collect files; they go with the text (or alone with 'send'). Files sent with a caption
    are a whole message: the trâmite goes at once, the caption as its text."""
    _collect(turn, files)
    if turn.caption:
        _send(turn, turn.caption)
        return
    turn.say("conv.intake.anexos_received", names=", ".join(a.filename for a in files))
    turn.go("ticket.tramite")


def on_tramite_choice(turn: Turn, value: str) -> None:
    """Send the files alone, or go back to the ticket."""
    if value == "send":
        _send(turn, None)
        return
    turn.leave("tramite")
    turn.go("ticket.view")


def _tramite_busy(state: ConversationState) -> bool:
    tramite = state.data.get("tramite") or {}
    return bool(tramite.get("files") or tramite.get("said"))


register(
    Step("ticket.number", ask_number, on_text=on_number),
    Step("ticket.view", ask_view, on_choice=on_view, on_text=on_view_text,
         on_files=on_view_files),
    Step("ticket.said", ask_said, on_choice=on_said, on_text=on_said_text,
         on_files=on_said_files, busy=_tramite_busy),
    Step("ticket.tramite", ask_tramite, on_choice=on_tramite_choice, on_text=on_tramite_text,
         on_files=on_tramite_files, busy=_tramite_busy),
)
