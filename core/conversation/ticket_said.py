"""Words or files sent while a ticket's page is shown (R7): kept and offered as its trâmite,
to send or discard."""

from __future__ import annotations

from functools import lru_cache

from core.conversation import matter, smalltalk, ticket_asked, ticket_note_split, write_words
from core.conversation.fmt import ends, file_names
from core.conversation.intake import BACK_WORDS
from core.conversation.intake_descricao import DONE_WORDS
from core.conversation.intents import NUMBER
from core.conversation.ticket_tramite import (
    UNSENT,
    begin,
    collect,
    files_of,
    keep_said,
    send,
    shown_ticket_id,
)
from core.conversation.turn import Turn
from core.errors import InvalidInput
from core.i18n import t
from core.models import Attachment, Status, Ticket
from core.services import queries, tramites
from core.services.numbers import PADDED_END, typed_end
from core.textmatch import fold


def on_view_text(turn: Turn, text: str) -> None:
    """Words typed at a ticket's page: a message for an open ticket is kept and offered as its
    trâmite (and to staff, on a closed one too, as an internal note), for a closed one as a
    new ticket; small talk is answered in kind."""
    view = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))
    ticket = view.ticket
    note = turn.user.is_staff and write_words.asks_for_note(text)
    if note or (ticket.is_open and write_words.asks_to_write(text)):  # "responder": the text?
        begin(turn, ticket.id or 0, note)
        turn.go("ticket.tramite")
        return
    if ticket.status == Status.CLOSED and write_words.asks_to_reopen(text):
        turn.say("conv.tramite.reopen_closed", number=ticket.number)  # what happened, then
        turn.go("ticket.view")
        return
    if not matter.is_matter(text):
        talk = smalltalk.kind(text)
        if talk is None:
            raise InvalidInput("conv.error.choose")
        turn.say(f"conv.smalltalk.{talk}", name=turn.user.name.split(" ")[0])
        turn.go("ticket.view")
        return
    if ticket.is_open or turn.user.is_staff:
        ticket_asked.answer(turn, text, ticket.id or 0, view)
        begin(turn, ticket.id or 0)
        keep_said(turn, text)
        turn.go("ticket.said")
    elif not _not_open(turn, ticket, text, []) and not matter.offer_typed(turn, text):
        _refuse_closed(ticket)


def _not_open(turn: Turn, ticket: Ticket, text: str | None, files: list[Attachment]) -> bool:
    """Why a closed or rejected ticket takes no trâmite; then a duplicate's open original
    is offered the words and files as its trâmite (True), a closed ticket is named by the new
    ticket they may open (R7, R18)."""
    original = turn.ctx.uow.tickets.get(ticket.duplicate_of_id or 0)
    kind = "duplicate" if original is not None else \
        "rejected" if ticket.status == Status.REJECTED else "closed"
    turn.say(f"conv.tramite.not_open_{kind}", number=ticket.number,
             original=original.number if original else "")
    if ticket.status == Status.CLOSED:
        matter.follows(turn, ticket.number)
    if original is not None and original.is_open and not turn.user.is_staff:
        offer_on(turn, original.id or 0, (text or "").strip() or None, files)
        return True
    return False


def on_view_files(turn: Turn, files: list[Attachment]) -> None:
    """Files sent at an open ticket's page are offered as a trâmite, with their caption; at
    a closed one's, as a new ticket's anexos (or a duplicate's original's trâmite)."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    if not ticket.is_open and (turn.user.is_staff or not turn.user.trained):
        _refuse_closed(ticket)
    if not ticket.is_open:
        if not _not_open(turn, ticket, turn.caption, files):
            matter.on_menu_files(turn, files)
        return
    begin(turn, ticket.id or 0)
    on_said_files(turn, files)



def offer_said(turn: Turn, ticket_id: int, text: str) -> None:
    """Offer words typed elsewhere (a question at the billing prompt) as the ticket's trâmite."""
    turn.section("ticket")["id"] = ticket_id
    begin(turn, ticket_id)
    keep_said(turn, text)
    turn.go("ticket.said")


def offer_later(turn: Turn, ticket: Ticket) -> bool:
    """Decidir depois at the approval question (R19): words and prints kept there for the
    reason are offered as the ticket's trâmite (Enviar or Descartar), not dropped; False when
    nothing was kept."""
    closing = turn.section("closing")
    said, files = closing.get("said"), closing.get("files") or []
    if not said and not files:
        return False
    turn.leave("closing")
    offer_on(turn, ticket.id or 0, said, [Attachment.model_validate(f) for f in files],
             "conv.closing.later_kept")
    return True


def offer_on(turn: Turn, ticket_id: int, said: str | None, files: list[Attachment],
             offer: str | None = None) -> None:
    """Offer words and files sent elsewhere as a ticket's trâmite: Enviar or Descartar."""
    turn.section("ticket")["id"] = ticket_id
    turn.section("tramite").update(ticket_id=ticket_id, said=said, offer=offer,
                                   files=[a.unattached().model_dump(mode="json") for a in files])
    turn.go("ticket.said")



def _refuse_closed(ticket: Ticket) -> None:
    key = "error.ticket_rejected" if ticket.status == Status.REJECTED else "error.ticket_closed"
    raise InvalidInput(key, number=ticket.number)



def ask_said(turn: Turn) -> None:
    """Show what was typed (and sent) at the ticket's page; send it as a trâmite or drop it."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    section = turn.section("tramite")
    files = files_of(turn)
    lines = []
    if section.get("said"):
        lines.append(turn.t("conv.tramite.said", text=ends(section["said"], 500)))
    if files:
        lines.append(turn.t("conv.intake.anexos_so_far", count=len(files),
                            names=file_names(files)))
    offer = "conv.tramite.offer_staff" if turn.user.is_staff else "conv.tramite.offer"
    marked = turn.user.is_staff and (tramites.split_note(section.get("said") or "")[0]
                                     or bool(section.get("note_only")))
    if marked:  # "!nota …" or kept for the team: a note whichever button, no public one
        offer = "conv.tramite.offer_marked_note"
    offer = section.get("offer") or offer  # words an action could not take: said why
    if not ticket.is_open:  # staff only: a closed ticket takes notes, not trâmites
        offer = "conv.tramite.offer_note" + (
            "_rejected" if ticket.status == Status.REJECTED else "")
    lines.append(turn.t(offer, number=ticket.number))
    lines.append(turn.t("conv.tramite.more"))
    choices = [(turn.t("conv.tramite.send_said"), "send"), (turn.t("conv.tramite.drop"), "drop")]
    if turn.user.is_staff:  # what the Slack thread does with "!nota"
        choices.insert(1, (turn.t("conv.tramite.send_note"), "note"))
    if marked or not ticket.is_open:
        choices.pop(0)
    turn.ask("ticket.said", "\n".join(lines), choices)


def on_said(turn: Turn, value: str) -> None:
    """Send the message kept as a trâmite, or drop it and show the ticket again."""
    if value in ("send", "note"):
        section = turn.section("tramite")
        send(turn, section.get("said") or None,
              internal=value == "note" or bool(section.get("note_only")))
        return
    if value != "drop":
        raise InvalidInput("conv.error.not_offered")
    turn.leave("tramite")
    turn.say("conv.tramite.dropped")
    turn.go("ticket.view")


def offer_kept(turn: Turn, text: str, offer: str, note_only: bool = True) -> None:
    """Keep words an action could not take (a colleague acted meanwhile) and offer them, saying
    so with `offer`, as an internal note of the ticket (or a trâmite, unless `note_only`) or
    Descartar: nothing is lost."""
    keep_said(turn, text)
    turn.section("tramite").update(offer=offer, note_only=note_only)
    turn.go("ticket.said")


SEND_WORDS = frozenset({"enviar", "envia", "envie", "manda", "mandar", "send", "it"}) \
    | smalltalk.GO_AHEAD
DROP_WORDS = frozenset({"descarta", "descartar", "descarte", "apaga", "drop", "discard"}) \
    | smalltalk.FORGET


def on_said_text(turn: Turn, text: str) -> None:
    """"sim, pode enviar" sends the message on offer, "não, descarta" drops it; another
    message joins the first, said so; "pronto" is no part of it."""
    if fold(text) in BACK_WORDS | answers():  # no part of the message: it waits for Enviar
        raise InvalidInput(UNSENT, command=text.strip())  # or Descartar ("Autorizo" too)
    answer = smalltalk.yes_or_no(text, SEND_WORDS, DROP_WORDS)
    if answer is not None:
        on_said(turn, "send" if answer else "drop")
        return
    if fold(text) in DONE_WORDS:  # done typing: no part of the message, the buttons say
        turn.say("conv.tramite.done_typing")
        turn.go("ticket.said")
        return
    if turn.user.is_staff and named_alone(text):  # another ticket: no part of the message
        raise InvalidInput(UNSENT, command=text.strip())
    if ticket_note_split.to_customer(turn, text):  # not to be hidden in the note
        ticket_note_split.ask_about(turn, text)
        return
    ticket_asked.answer(turn, text, shown_ticket_id(turn))
    before = turn.section("tramite").get("parts", 0)
    keep_said(turn, text)
    parts = turn.section("tramite").get("parts", 0)
    if parts > before and before:  # it goes with the words before, not alone or sent
        turn.say("conv.tramite.joined", count=parts)
    elif parts == before:  # the same message again: kept once
        turn.say("conv.tramite.repeated")
    turn.go("ticket.said")



ANSWERS = ("conv.closing.billing_yes", "conv.closing.billing_no", "conv.closing.approve",
           "conv.closing.reject", "conv.closing.partial", "conv.closing.decide_later",
           "conv.ticket.billing", "conv.ticket.answer_approval", "conv.ticket.rate")
"""Buttons of the charge's and the approval's questions and of a ticket's page: typed alone
while a message waits to be sent, an answer meant elsewhere, never part of it (R19, R23)."""


@lru_cache(maxsize=1)
def answers() -> frozenset[str]:
    """Those buttons' labels, folded, in every language (people mix them)."""
    return frozenset(fold(t(key, lang)) for key in ANSWERS for lang in ("pt_BR", "en"))


def named_alone(text: str) -> bool:
    """A ticket's number typed alone ("0005", "#5", "202612/0005"), not a bare count ("4")."""
    typed = text.strip()
    return bool(PADDED_END.fullmatch(typed) or (typed.startswith("#") and typed_end(typed))
                or NUMBER.fullmatch(typed))


def on_said_files(turn: Turn, files: list[Attachment]) -> None:
    """Files join the trâmite on offer, their caption its text."""
    collect(turn, files)
    if turn.caption:
        keep_said(turn, turn.caption)
    turn.go("ticket.said")
