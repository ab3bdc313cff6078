"""A matter typed or files sent outside any question: kept, and offered as a new ticket or a
knowledge-base search (nothing guessed, nothing lost)."""

from __future__ import annotations

import re

from core.conversation import (
    following,
    intake,
    intake_back,
    intents,
    intents_typos,
    kb,
    matter,
    smalltalk,
    ticket_view,
)
from core.conversation.contact import say_away
from core.conversation.fmt import fit, preview, short_names
from core.conversation.intents_words import mend
from core.conversation.matching import SHORT_ANSWER_WORDS
from core.conversation.replies import UserInput
from core.conversation.turn import IDLE, Turn, error_text
from core.errors import HelpdeskError, InvalidInput
from core.kb import suggestion
from core.models import Attachment, Status, Ticket
from core.services import queries, tramites
from core.services.access import coordination_hint, ticket_for, trained_colleagues, untrained
from core.services.knowledge import load_articles
from core.services.numbers import PADDED_END
from core.textmatch import ascii_digits, fold

KB_WORDS = 12
OPEN_WORDS = frozenset({"abrir", "abra", "abre", "abrindo", "quero", "manda", "vamos", "open",
                        "ser", "bora", "com", "certeza"}) | smalltalk.GO_AHEAD
"""A yes to "Quer abrir um ticket com essa mensagem?" may say the verb ("sim, pode abrir"), or
be said as "pode ser", "com certeza", "bora"."""
NO_THEN = re.compile(r"\s*n[aã]o\s*[,;:.!-]+\s*(.+)", re.IGNORECASE | re.DOTALL)
"""A no, then another message: "não, só queria saber como cancelar uma nota"."""
DECLINE_WORDS = frozenset({"precisa", "agora"}) | smalltalk.FORGET
"""A no may say why ("não precisa", "agora não", "deixa", "esquece", "forget it")."""


def too_long(turn: Turn, text: str) -> bool:
    """A message past the descrição's limit (policy.text_max) typed at the menu: said, with the
    limit; what fits is kept and offered as a ticket when it reads as a matter, else nothing
    is kept. False for a message that fits."""
    value, limit = text.strip(), turn.ctx.policy.text_max
    if len(value) <= limit:
        return False
    kept = fit(value, limit)
    if turn.user.is_staff or not matter.is_matter(kept):
        turn.say("conv.typed.too_long", length=len(value), max=limit)
        turn.go("menu.typed" if turn.state.step == "menu.typed" else IDLE)
        return True
    turn.say("conv.typed.too_long_kept", length=len(value), max=limit, kept=len(kept),
             end=preview(kept[-60:].lstrip(), 60))
    matter.keep_typed(turn, kept)
    turn.go("menu.typed")
    return True


on_menu_files = matter.on_menu_files
keep_files = matter.keep_files


def ask_typed(turn: Turn) -> None:
    """Open a ticket with the message as its descrição and the files as its anexos, search the
    knowledge base for the message, or leave."""
    typed = turn.section("typed").get("text") or ""
    files = turn.section("typed").get("files") or []
    names = ", ".join(short_names([f["filename"] for f in files]))
    turn.section("typed")["article"] = None  # suggested below, for this message only
    if not turn.user.trained:  # may not open tickets (R2): the knowledge base is what is left
        if turn.section("typed").pop("told", False):  # the refusal just said why
            text = turn.t("conv.typed.offer_untrained_told", text=preview(typed, 300))
        else:
            text = turn.t("conv.typed.offer_untrained", text=preview(typed, 300),
                          contact=coordination_hint(turn.ctx))
            if names := trained_colleagues(turn.ctx, turn.user):
                text += "\n" + turn.t("conv.untrained.colleagues", names=names)
        turn.ask("menu.typed", text + _suggested(turn, typed), [
            *_article_choice(turn), (turn.t("conv.typed.kb"), "kb"),
            (turn.t("conv.menu.back"), "menu")])
        return
    if not files:
        text = turn.t("conv.typed.offer", text=preview(typed, 300))
    elif typed:
        text = turn.t("conv.typed.offer_both", text=preview(typed, 300), count=len(files),
                      names=names)
    else:
        text = turn.t("conv.typed.offer_files", count=len(files), names=names)
    after = turn.section("typed").get("after")
    if after and (typed or files):
        text += "\n" + turn.t("conv.typed.follows_note", number=after)
    named = named_ticket(turn, typed)
    if named is not None and named.status == Status.CLOSED and not after:
        matter.follows(turn, named.number)  # it cannot be reopened: the new ticket cites it
        text += "\n" + turn.t("conv.typed.follows_note", number=named.number)
    named = named if named is not None and named.is_open else None
    choices = [(turn.t("conv.typed.open_files" if files else "conv.typed.open"), "open")]
    if named is None and not any(_numbers_named(typed)):
        # Support wrote to them on a ticket lately: this is most likely the answer.
        named = queries.awaiting_answer(turn.ctx, turn.user.id or 0)
        if named is not None:
            text += "\n" + turn.t("conv.typed.awaiting", number=named.number,
                                   assunto=preview(named.assunto, 80))
    elif named is not None and not files and not after:  # names an open ticket: said so
        text = turn.t("conv.typed.offer_named", text=preview(typed, 300), number=named.number,
                      assunto=preview(named.assunto, 80))
    turn.section("typed")["add_to"] = named.id if named is not None else None
    if named is not None:  # about a ticket already open: most likely a trâmite of it
        choices.insert(0, (turn.t("conv.typed.add_to", number=named.number), "add"))
    if typed and named is None:  # an article the message points to, beside the ticket
        text += _suggested(turn, typed)
        choices += _article_choice(turn)
    if typed:
        choices.append((turn.t("conv.typed.kb"), "kb"))
    turn.ask("menu.typed", text, [*choices, (turn.t("conv.menu.back"), "menu")])


def _suggested(turn: Turn, typed: str) -> str:
    """The line naming the one article the message clearly points to (kept for its button),
    or nothing."""
    article = suggestion(load_articles(turn.ctx.uow), typed) if typed else None
    turn.section("typed")["article"] = article.slug if article is not None else None
    return "" if article is None else "\n" + turn.t("conv.typed.article", title=article.title)


def _article_choice(turn: Turn) -> list[tuple[str, str]]:
    """The button that reads the article suggested, when there is one."""
    return [(turn.t("conv.typed.read"), "article")] if turn.section("typed").get("article") \
        else []


def refused_untrained(turn: Turn) -> bool:
    """An untrained customer's request to open a ticket at the offer of their message (R2):
    the refusal (training, who may open it, the coordination) said once, the message offered
    again without saying it twice; False elsewhere, or for someone who may open tickets."""
    if turn.state.step != "menu.typed" or turn.user.trained or turn.user.is_staff:
        return False
    turn.say_text(error_text(untrained(turn.ctx, turn.user), turn.lang))
    turn.section("typed")["told"] = True
    turn.go("menu.typed")
    return True


def accept(turn: Turn, text: str) -> bool:
    """A bare yes ("sim", "pode", "ok, pode abrir") to the offer: a ticket opened with the
    message (or, for someone who may not open one, the knowledge base searched); True if so."""
    if turn.state.step != "menu.typed" or smalltalk.yes_or_no(text, OPEN_WORDS) is not True:
        return False
    open_ticket = offered_ticket(turn, turn.section("typed").get("add_to"))
    if open_ticket is not None and turn.user.trained:  # a yes to which: a new one, or this?
        raise InvalidInput("conv.typed.yes_which", number=open_ticket.number)
    if turn.user.trained:
        on_typed(turn, "open")
    elif turn.section("typed").get("text"):
        on_typed(turn, "kb")
    else:
        return False
    return True


def decline(turn: Turn, text: str) -> bool:
    """A bare no ("não", "não precisa") to the offer: nothing opened, the menu; True if so."""
    if turn.state.step != "menu.typed" or \
            smalltalk.yes_or_no(text, OPEN_WORDS, DECLINE_WORDS) is not False:
        return False
    turn.leave("typed")
    turn.say("conv.typed.declined")
    return True


def decline_then(turn: Turn, text: str) -> bool:
    """"não, só queria saber…" to the offer: no ticket with the first message, and the rest
    offered as a message of its own (not joined to the first); True if so."""
    rest = NO_THEN.fullmatch(text) if turn.state.step == "menu.typed" else None
    if rest is None or not matter.is_matter(rest.group(1)):
        return False
    files = turn.section("typed").get("files")
    turn.leave("typed")
    turn.say("conv.typed.declined")
    matter.keep_typed(turn, rest.group(1))
    if files:
        turn.section("typed")["files"] = files
    turn.go("menu.typed")
    return True


def not_a_choice(turn: Turn, text: str) -> bool:
    """A sentence typed at a question of options that names none ("o caixa travou de novo" at
    "Qual aba?"): said so, kept and offered as at the menu; an agent's words ("tickets da
    Carla" at the profile) search the tickets, as at the menu. False for a short answer (a
    typo of an option: "Não entendi") or what is no matter."""
    words = len(text.split())
    if words <= (1 if turn.user.is_staff else SHORT_ANSWER_WORDS) \
            or not matter.is_matter(text):
        return False
    turn.say("conv.typed.not_a_choice")
    if turn.user.is_staff:
        following.begin(turn, text[:200])
        return True
    return too_long(turn, text) or matter.offer_typed(turn, text)


def named_ticket(turn: Turn, text: str) -> Ticket | None:
    """The one ticket the text names, by its number or a ticket word and the end of it ("o
    chamado 9"), if the user may see it."""
    numbers, ends = _numbers_named(text)
    try:
        if len(numbers) == 1:
            return queries.ticket_by_number(turn.ctx, turn.user.id or 0, numbers.pop())
        if not numbers and len(ends) == 1:
            found = queries.tickets_by_sequence(turn.ctx, turn.user.id or 0, ends.pop())
            return found[0] if len(found) == 1 else None
    except HelpdeskError:
        pass
    return None


def _numbers_named(text: str) -> tuple[set[str], set[int]]:
    """The whole ticket numbers a text names, and the ends named after a ticket word or
    written as a number's end ("pode fechar o 0004")."""
    digits = ascii_digits(text)
    folded = mend(fold(digits))
    ends = {int(m.group(1)) for m in intents.SHORT_NUMBER.finditer(folded)}
    if not ends:
        ends = {int(m.group(0)) for m in PADDED_END.finditer(intents.NUMBER.sub(" ", digits))}
    return {f"{a}/{b}" for a, b in intents.numbers_in(digits)}, ends


def offered_ticket(turn: Turn, ticket_id: object) -> Ticket | None:
    """The ticket "Adicionar ao ticket" offered, if the user may still write on it."""
    if not isinstance(ticket_id, int):
        return None
    try:
        ticket = ticket_for(turn.ctx, turn.user, ticket_id, to_change=False)
    except HelpdeskError:
        return None
    return ticket if ticket.is_open else None


def on_typed(turn: Turn, value: str) -> None:
    """Carry the message and files into what was chosen."""
    typed = turn.section("typed").get("text") or ""
    files = [Attachment.model_validate(f) for f in turn.section("typed").get("files") or []]
    named = offered_ticket(turn, turn.section("typed").get("add_to")) if value == "add" else None
    if value == "add" and named is None:  # closed meanwhile: refused, what was kept stays
        raise InvalidInput("conv.error.not_offered")
    after = turn.section("typed").get("after")
    article = turn.section("typed").get("article")
    if value == "article" and not article:
        raise InvalidInput("conv.error.not_offered")
    turn.leave("typed")
    if value == "open" and after and (typed or files):  # the closed ticket's history found
        typed = f"{turn.t('conv.typed.follows', number=after)}\n{typed}".rstrip()
        typed = typed[:turn.ctx.policy.text_max]
    if value == "open":
        intake.begin(turn, descricao=typed or None, attachments=files)
        intake_back.opened_with(turn, typed, files)
    elif named is not None:
        tramites.add_tramite(turn.ctx, turn.user.id or 0, named.id or 0, typed, files)
        turn.say("conv.tramite.added", number=named.number)
        say_away(turn)
        ticket_view.show(turn, named.id or 0)
    elif value == "article":  # its results are the message's search, a ticket carries it
        kb.read(turn, str(article), " ".join(typed.split()[:KB_WORDS]), typed,
                [f.model_dump(mode="json") for f in files])
    elif value == "kb" and typed:
        kb.begin(turn, " ".join(typed.split()[:KB_WORDS]), typed,
                 [f.model_dump(mode="json") for f in files])
    else:
        turn.go(IDLE)


def keep_first(turn: Turn, first: UserInput) -> bool:
    """Keep files or a matter a session opened with (not a request in words); True if kept."""
    if turn.user.is_staff or first.command is not None:
        return False
    if first.files:
        turn.caption = first.text
        try:
            keep_files(turn, first.files)
        except HelpdeskError as err:  # untrained, or too many: say why; the menu follows
            turn.say_text(error_text(err, turn.lang))
            return False
        return True
    if first.text and intents_typos.command(first.text) is None and matter.is_matter(first.text):
        matter.keep_typed(turn, first.text)
        return True
    return False
