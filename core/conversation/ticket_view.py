"""One ticket (R6, R7): status, responsible, prazo, the latest public trâmites, what to do."""

from __future__ import annotations

from core.conversation import (
    billing_prompt,
    closing,
    closing_offer,
    closing_words,
    page_approval,
    rating,
    staff_words,
    ticket_actions,
    ticket_said,
    ticket_staff,
    ticket_tramite,
)
from core.conversation.fmt import (
    at,
    auto_close_line,
    due_text,
    preview,
    priority_text,
    status,
    workaround_line,
)
from core.conversation.page_files import page_files
from core.conversation.replies import Expect
from core.conversation.runs import Runs
from core.conversation.ticket_charge import origin_line
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import HelpdeskError, InvalidInput
from core.i18n import has, label
from core.models import Entry, EntryKind, Status, Ticket
from core.services import handling, queries
from core.services.access import number_example
from core.services.numbers import PADDED_END
from core.services.reference import load_catalog
from core.services.system_lines import tell_course
from core.textmatch import ascii_digits

SHOWN_ENTRIES = 5
ENTRY_PREVIEW = 500
DESCRICAO_PREVIEW = 800
JUSTIFICATIVA = "\ue001"
"""Where the page's header puts the justificativa, an agent's words (R6)."""


def show(turn: Turn, ticket_id: int, back: str = "list.view") -> None:
    """Open a ticket the user may see (another company's looks missing, R8); back: its list."""
    queries.detail(turn.ctx, turn.user.id or 0, ticket_id)
    turn.leave("tramite")
    turn.section("ticket").update(id=ticket_id, back=back)
    turn.go("ticket.view")


def open_by_number(turn: Turn, number: str) -> None:
    """`ticket 202611/0001`; without a number, ask for it."""
    if not number.strip():
        turn.go("ticket.number")
        return
    number = ascii_digits(number)
    seq = handling.typed_end(number)
    if seq is not None:
        by_seq(turn, seq)
        return
    ticket = queries.ticket_by_number(turn.ctx, turn.user.id or 0, number.strip()[:20])
    show(turn, ticket.id or 0)


def by_seq(turn: Turn, seq: int) -> None:
    """Open the one recent ticket ending in /seq, or offer them when there are several."""
    found = queries.tickets_by_sequence(turn.ctx, turn.user.id or 0, seq)
    if not found:
        raise handling.short_number_not_found(turn.ctx, seq, turn.user.is_staff)
    if len(found) == 1:
        show(turn, found[0].id or 0)
        return
    lines = [f"• {t.number} — {preview(t.assunto, 80)}" for t in found]
    turn.ask("ticket.which", turn.t("conv.ticket.which", seq=f"{seq:04d}") + "\n" +
             "\n".join(lines), [(t.number, str(t.id)) for t in found])


def on_which(turn: Turn, value: str) -> None:
    """One of the tickets ending in the same number, picked."""
    if not value.isdecimal():
        raise InvalidInput("conv.error.not_offered")
    show(turn, int(value))


def ask_number(turn: Turn) -> None:
    """Which ticket to open."""
    turn.ask("ticket.number", turn.t("conv.ticket.ask_number", example=number_example(turn.ctx)),
             expect=Expect.TEXT)


def on_number(turn: Turn, text: str) -> None:
    """Open the ticket typed."""
    if not text.strip():
        raise InvalidInput("error.empty", field="numero")
    open_by_number(turn, text)


def shown_entries(view: queries.TicketView) -> list[Entry]:
    """The trâmites the user reads, oldest first: the public ones, and for staff the internal
    notes too (queries.detail gives customers none)."""
    kinds = (EntryKind.PUBLIC, EntryKind.INTERNAL)
    return [e for e in view.entries if e.kind in kinds and (e.text or e.attachments)]


def author_of(turn: Turn, view: queries.TicketView, entry: Entry) -> str:
    """Who wrote a trâmite, an internal note marked as such."""
    name = view.authors.get(entry.author_id or 0, "—")
    return turn.t("conv.ticket.internal_author", author=name) \
        if entry.kind == EntryKind.INTERNAL else name


def cut_short(view: queries.TicketView) -> bool:
    """Whether the page leaves trâmites out or cuts one (or the descrição) short: the whole
    thread is then a click away."""
    entries = shown_entries(view)
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
    if ticket.rating and ticket.rating_comment:
        line += "\n" + turn.t("conv.ticket.rated_comment",
                              comment=preview(ticket.rating_comment, 300))
    return line


def _header(turn: Turn, view: queries.TicketView, spot: str | None) -> str:
    """The ticket's fields as the manual's list shows them; `spot` where the justificativa
    goes (fmt.status)."""
    ticket = view.ticket
    tipo, item, servico = load_catalog(turn.ctx.uow).shown_labels(
        ticket.tipo, ticket.item, ticket.servico, turn.lang)
    text = turn.t(
        "conv.ticket.detail", number=ticket.number, assunto=ticket.assunto,
        status=status(turn, ticket, spot), company=view.company, requester=view.requester,
        opened=at(turn, ticket.opened_at), priority=priority_text(ticket, turn.lang),
        assignee=view.assignee or turn.t("conv.ticket.nobody"),
        due=due_text(turn, ticket),
        tipo=tipo, item=item, servico=servico,
        versao=ticket.versao or turn.t("conv.intake.versao_not_informed"),
        descricao=preview(ticket.descricao, DESCRICAO_PREVIEW))
    means = f"conv.ticket.status_means.{ticket.status.value}"
    if not turn.user.is_staff and has(means, turn.lang):  # "Repassada" alone says little
        text += "\n" + turn.t(means)
    if view.duplicate_of:
        text += "\n" + turn.t("conv.ticket.duplicate_of", original=view.duplicate_of)
    if ticket.status == Status.AWAITING_APPROVAL:  # R21: the date the question said
        text += "\n" + auto_close_line(turn, ticket)
    if (fix := workaround_line(turn, ticket)) is not None:
        text += "\n" + fix
    if (charge := origin_line(turn, ticket)) is not None:
        text += "\n" + charge
    if ticket.closed_at and ticket.decision:
        text += "\n" + closed_line(turn, ticket)
    return text


def detail_text(turn: Turn, view: queries.TicketView) -> tuple[Runs, bool]:
    """The ticket as the manual's list shows it, then its latest public trâmites (an agent's
    with their marks, R7; the justificativa beside the status too, R6), their files' names
    in what the rest leaves of one message; and whether some are counted, not named (R4)."""
    entries = shown_entries(view)[-SHOWN_ENTRIES:]
    files, cut = page_files(turn, entries, len(_detail(turn, view, [""] * len(entries)).text))
    return _detail(turn, view, files), cut


def _detail(turn: Turn, view: queries.TicketView, files: list[str]) -> Runs:
    """The page's text, each shown trâmite with its `files` line."""
    runs = Runs(turn.lang)
    text = _header(turn, view, JUSTIFICATIVA)
    if text.count(JUSTIFICATIVA) == 1:
        head, _, text = text.partition(JUSTIFICATIVA)
        runs.add(head)
        runs.add(view.ticket.justificativa or "", typed=True)
    elif JUSTIFICATIVA in text:  # the customer's words hold the spot too: plain words
        text = _header(turn, view, None)
    entries = shown_entries(view)
    runs.add(text + "\n\n" + (
        turn.t("conv.ticket.no_entries") if not entries else
        turn.t("conv.ticket.entries", shown=SHOWN_ENTRIES, total=len(entries))
        if len(entries) > SHOWN_ENTRIES else
        turn.t("conv.ticket.entries_all", total=len(entries))))
    for entry, names in zip(entries[-SHOWN_ENTRIES:], files, strict=True):
        typed = bool(entry.text) and entry.author_id in view.staff
        words = entry_preview(entry.text, typed)
        listed = turn.t("conv.ticket.entry_files", files=names) if names else ""
        words, listed = (words, listed) if words or not listed else (listed.strip(), "")
        runs.add("\n", breaks=True)
        runs.quote("conv.ticket.entry", words or "—", typed, when=at(turn, entry.created_at),
                   author=author_of(turn, view, entry), files=listed)
    return runs


def entry_preview(text: str, typed: bool) -> str:
    """A trâmite cut for the page; an agent's ``` block cut open is closed again."""
    words = preview(text, ENTRY_PREVIEW)
    fences = sum(1 for line in words.split("\n") if line.strip().startswith("```"))
    return words + "\n```" if typed and fences % 2 else words


def ask_view(turn: Turn) -> None:
    """The ticket and what the user can do with it now."""
    view = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))
    ticket, customer = view.ticket, not turn.user.is_staff
    choices = []
    if ticket.is_open:
        choices.append((turn.t("conv.ticket.add_tramite"), "tramite"))
    runs, files_cut = detail_text(turn, view)
    if cut_short(view) or files_cut or tell_course(view.entries):
        choices.append((turn.t("conv.ticket.whole_thread"), "thread"))
    if view.duplicate_of:  # R18: where the attendance goes on
        choices.append((turn.t("conv.ticket.see_original", number=view.duplicate_of),
                        "original"))
    choices[:0] = page_approval.ask(turn, ticket, runs)  # its question last on the page (R19)
    if customer and ticket.decision in closing.RATEABLE and ticket.rating is None \
            and ticket.status == Status.CLOSED:
        choices.append((turn.t("conv.ticket.rate"), "rate"))
    if customer and ticket.billable and ticket.is_open and ticket.billing_authorized is None:
        choices.append((turn.t("conv.ticket.billing"), "billing"))
    if not customer:
        choices += ticket_staff.staff_choices(turn, ticket) + \
            ticket_actions.page_choice(turn, ticket)
    back = "conv.ticket.back_to_queue" if _back(turn) == "queue.view" else \
        "conv.ticket.back_to_list"
    choices += [(turn.t(back), "list"), (turn.t("conv.menu.back"), "menu")]
    turn.ask("ticket.view", runs.text, choices, pieces=runs.pieces)


def on_view(turn: Turn, value: str) -> None:
    """Act on the ticket's buttons."""
    ticket_id = shown_ticket_id(turn)
    if value == "tramite":
        ticket_tramite.begin(turn, ticket_id)
        turn.go("ticket.tramite")
    elif value in page_approval.ANSWERS:
        page_approval.answer(turn, ticket_id, value)
    elif value == "rate":
        rating.ask_rating_for(turn, ticket_id)
    elif value == "billing":
        billing_prompt.ask_billing_for(turn, ticket_id)
    elif value == "list":
        turn.go(_back(turn))
    elif value == "thread":
        turn.go("ticket.thread")
    elif value == "original":
        original = queries.detail(turn.ctx, turn.user.id or 0, ticket_id).ticket.duplicate_of_id
        show(turn, original or ticket_id, back=_back(turn))
    elif value in ("take", "solution", "workaround") and turn.user.is_staff:
        ticket_staff.on_staff(turn, value)
    elif value == "actions" and turn.user.is_staff:
        turn.go("ticket.actions")
    else:
        turn.go(IDLE)


def _back(turn: Turn) -> str:
    """The listing the ticket's page goes back to."""
    back = turn.section("ticket").get("back")
    return back if back in ("list.view", "queue.view", "work.view") else "list.view"


def on_view_words(turn: Turn, text: str) -> None:
    """Words typed at the page of a ticket awaiting the customer's approval that decide it
    ("funcionou", "ainda trava no caixa 2"): its decision, as at its question (R19); other
    words a trâmite offered, as at any page."""
    if not turn.user.is_staff and closing_words.decision(text) is not None:
        try:  # theirs to decide, still awaiting approval
            ticket = closing.awaiting_ticket(turn, shown_ticket_id(turn))
        except HelpdeskError:
            ticket = None
        if ticket is not None:
            closing_offer.decide(turn, ticket.id or 0, text)
            return
    if PADDED_END.fullmatch(text.strip()):  # "0003": that ticket's page, as at the menu
        open_by_number(turn, text.strip())
    elif not (turn.user.is_staff and staff_words.act(turn, text)):
        ticket_said.on_view_text(turn, text)


register(
    Step("ticket.number", ask_number, on_text=on_number),
    Step("ticket.which", ask_number, on_choice=on_which, on_text=on_number),
    Step("ticket.view", ask_view, on_choice=on_view, on_text=on_view_words, live=True,
         on_files=ticket_said.on_view_files, back="list"),  # "volta", "go back": no trâmite
)
