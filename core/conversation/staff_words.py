"""Words an agent types at a ticket's page that name a team action ("repassar para o Bruno",
"eu assumo", "encaminhar ao desenvolvimento", "!artigo nfe"): that action, never a trâmite
(R6, R9, R15)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.conversation import ticket_actions, ticket_staff, ticket_tramite
from core.conversation.fmt import preview
from core.conversation.intents_words import near
from core.conversation.turn import Turn
from core.i18n import label
from core.models import Status, User
from core.services import articles_sent, handling, queries
from core.textmatch import fold

TAKE = frozenset({"assumir", "assumo", "eu assumo", "vou assumir", "deixa comigo", "eu pego",
                  "take", "take it", "i ll take it", "i take it", "ill take it"})
TAKE_WORDS = ("assumir", "assumo")
"""Typed alone with a typo ("asumir", "assumri"), they still take the ticket: a trâmite of
one misspelt word is never what an agent meant to send the customer."""
TAKE_NUMBER = re.compile(r"(?:as?sum(?:ir|e|o)|peg(?:ar|a|o)|take|grab)"
                         r"(?: (?:o|a|the|ticket|chamado|n|no|numero|number))* ?#? ?"
                         r"(\d{1,6}(?: ?/ ?\d{1,6})?)")
"""'assumir 2' ('asumir 2'), 'pego o 0004', 'take 202612/0004' at a list: that ticket, by its
number (or its end), as /ticket assumir 2 names it in Slack; its words read as Assumir o
próximo, the number unread."""
TO_DEV = re.compile(r"(?:encaminh|mand|envi|pass|forward|send)\w*(?:\s+(?:it|o\s+ticket))?"
                    r"\s+(?:ao|pro|pra|para\s+o|to|to\s+the)\s+(?:desenvolvimento|dev|development)")
PASS_ON = re.compile(r"(?:pode\s+)?(?:repas|transfer|passa|atribu|assign|hand|pass)\w*"
                     r"(?:\s+(?:o\s+ticket|o\s+chamado|it|the\s+ticket|this))?(?:\s+over)?"
                     r"\s+(?:para|pra|pro|to)\s+(?P<who>(?:\S+\s*){1,4})")
"""A hand-over in a few words: the verb, then whom ("repassa pro Bruno", "assign to Ana"; its
common typo "repasar" too)."""
ARTICLES = frozenset({"o", "a", "the"})
MYSELF = frozenset({"mim", "me", "myself"})
"""Whom "atribuir para mim", "assign it to me" name: the agent, who takes it."""
LEVEL = r"(?:critica|critico|padrao|urgente|critical|standard|urgent)"
"""A priority named ("crítico", "critical"): the card's Prioridade… (R12)."""
ACTIONS = {
    "priority": re.compile(rf"(?:(?:mudar|muda|alterar|altera|trocar|troca|change|set)\s+)?"
                           rf"(?:a\s+|the\s+)?(?:prioridade|priority)"
                           rf"(?:\s+(?:(?:para|pra|to|as)\s+)?{LEVEL})?|{LEVEL}\s+priority"
                           rf"|(?:marcar|marca|marque|mark|make)\s+(?:it\s+|o\s+ticket\s+)?"
                           rf"(?:como\s+|as\s+)?{LEVEL}"),
    "estimate": re.compile(r"(?:(?:mover|mova|move|passar|passa|mandar|manda)\s+)?"
                           r"(?:(?:o\s+ticket\s+)?(?:para|pra|pro|to)\s+)?(?:em\s+)?"
                           r"(?:estimativa|estimate)"),
    "origin": re.compile(r"(?:classificar|classifica|classify)(?:\s+(?:a\s+|the\s+)?"
                         r"(?:origem|origin))?"),
    "quote": re.compile(r"(?:(?:fazer|enviar|escrever|write)\s+)?(?:o\s+|the\s+|a\s+)?"
                        r"(?:orcamento|quote)"),
    "reject": re.compile(r"(?:rejeitar|rejeita|reject)(?:\s+(?:como\s+|as\s+)?"
                         r"(?:duplicado|duplicata|duplicate))?"),
    "assign": re.compile(r"(?:repassar|repasar|transferir|reassign)(?:\s+(?:o\s+ticket|it))?"),
    "article": re.compile(r"(?:enviar|mandar|send)\s+(?:um\s+|o\s+|an\s+|the\s+)?"
                          r"(?:artigo|article)(?:\s+(?:da\s+base|from\s+the\s+kb))?"),
}
"""A team action named in a few words ("prioridade crítica", "classificar origem"): the
action's question (or Em estimativa at once, as its button), never a trâmite."""
REOPEN = frozenset({"reabrir", "reabre", "reabra", "reabrir o ticket", "reabrir o chamado",
                    "reabrir ticket", "pode reabrir", "vou reabrir", "reopen", "reopen it",
                    "reopen the ticket"})
"""Asking to reopen the ticket shown: no ticket is ever reopened (R19), so why is said."""
CLOSE = frozenset({"encerrar", "encerra", "encerre", "fechar", "fecha", "feche", "finalizar",
                   "encerrar o ticket", "fechar o ticket", "finalizar o ticket",
                   "encerrar o chamado", "fechar o chamado", "pode encerrar", "pode fechar",
                   "close", "close it", "close the ticket"})
"""Asking to close the ticket shown: it closes with the customer's approval (R19, R21)."""


def act(turn: Turn, text: str) -> bool:
    """Do the team action the words name at the shown ticket; False when they name none."""
    folded = " ".join(fold(text).split())
    if (bang := articles_sent.MARKER.match(text)) is not None:  # "!artigo nfe", as in Slack
        ticket_tramite.send_article(turn, ticket_tramite.shown_ticket_id(turn),
                                    text[bang.end():])
    elif takes(folded):
        ticket_staff.on_staff(turn, "take")
    elif (number := TAKE_NUMBER.fullmatch(folded)) is not None:
        _take_or_show(turn, number.group(1))
    elif folded in REOPEN:
        _no_reopen(turn)
    elif folded in CLOSE:
        _how_it_closes(turn)
    elif (action := next((k for k, p in ACTIONS.items() if p.fullmatch(folded)), None)):
        offered = {v for _, v in ticket_actions.offered(ticket_actions.staff_view(turn).ticket)}
        if action in offered:
            ticket_actions.on_action(turn, action)
        else:  # not for this ticket now: what is
            turn.go("ticket.actions")
    elif TO_DEV.fullmatch(folded):
        turn.go("ticket.dev")
    elif (handed := PASS_ON.fullmatch(folded)) is not None:
        named = whom(handed)
        if named and named <= MYSELF:  # "assign it to me": as "eu assumo"
            ticket_staff.on_staff(turn, "take")
            return True
        team = team_named(turn.ctx.uow.users.staff(), named)
        if len(team) == 1:
            ticket_actions.on_assign(turn, str(team[0].id))
            return True
        # nobody or several by that name: said so, then whom, from the team's list
        key = "conv.staff.assign_several" if team else "conv.staff.assign_nobody"
        turn.say(key, name=preview(name_typed(text, handed), 40))
        turn.go("ticket.assign")
    else:
        return False
    return True


def whom(handed: re.Match[str]) -> set[str]:
    """The folded words of a hand-over (PASS_ON's match) naming whom ("repassa pro Bruno":
    {"bruno"})."""
    return set(handed["who"].split()) - ARTICLES


def name_typed(text: str, handed: re.Match[str]) -> str:
    """Whom a hand-over names as it was typed, "o" and the end's punctuation aside ("passa
    para o Financeiro." → "Financeiro")."""
    said = text.split()[-len(handed["who"].split()):]
    return " ".join(said[1:] if fold(said[0]) in ARTICLES and len(said) > 1
                    else said).rstrip(".,;:!?")


def team_named(staff: Iterable[User], named: set[str]) -> list[User]:
    """The support team's people whose name holds every word named."""
    return [u for u in staff if named <= set(fold(u.name).split())]


def takes(folded: str) -> bool:
    """Whether folded words ask to take the ticket ("eu assumo", "asumir")."""
    return folded in TAKE or (folded.isalpha() and any(near(folded, w) for w in TAKE_WORDS))


def names_action(folded: str) -> bool:
    """Whether folded words name one of the team's other actions ("prioridade crítica")."""
    return folded in REOPEN or folded in CLOSE or bool(TO_DEV.fullmatch(folded)) \
        or any(p.fullmatch(folded) for p in ACTIONS.values())


def _take_or_show(turn: Turn, number: str) -> None:
    """'assumir 2' at a ticket's page: this ticket taken when it is ticket 2, else ticket 2's
    page (Assumir on it), never a trâmite of this one."""
    from core.conversation.ticket_view import open_by_number  # it acts through this module

    shown = queries.detail(turn.ctx, turn.user.id or 0,
                           ticket_tramite.shown_ticket_id(turn)).ticket
    seq = handling.typed_end(number)
    if number.replace(" ", "") == shown.number or (seq is not None and shown.number.endswith(
            f"/{seq:04d}")):
        ticket_staff.on_staff(turn, "take")
    else:
        open_by_number(turn, number)


def _no_reopen(turn: Turn) -> None:
    """Why the ticket shown is not reopened: closed (approved, R19, R21) or rejected (R18),
    the customer opens a new one that cites it; an open one has nothing to reopen."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0,
                            ticket_tramite.shown_ticket_id(turn)).ticket
    if ticket.status == Status.CLOSED:
        turn.say("conv.staff.no_reopen", number=ticket.number)
    elif ticket.status == Status.REJECTED:
        turn.say("conv.staff.no_reopen_rejected", number=ticket.number)
    else:
        turn.say("conv.staff.not_closed", number=ticket.number,
                 status=label("status", ticket.status, turn.lang))
    turn.go("ticket.view")


def _how_it_closes(turn: Turn) -> None:
    """A ticket closes when its customer approves the solution, or by itself after the days
    of silence (R19, R21): an open one's solution is asked, one awaiting approval said so."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0,
                            ticket_tramite.shown_ticket_id(turn)).ticket
    days = turn.ctx.policy.autoclose_days
    if ticket.status in handling.WORKABLE:
        turn.say("conv.staff.close_by_solution", number=ticket.number, days=days)
        ticket_staff.on_staff(turn, "solution")
        return
    if ticket.status == Status.AWAITING_APPROVAL:
        turn.say("conv.staff.close_awaiting", number=ticket.number, days=days)
    else:
        turn.say("conv.staff.already_closed", number=ticket.number,
                 status=label("status", ticket.status, turn.lang))
    turn.go("ticket.view")
