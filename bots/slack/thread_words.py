"""Words an agent types alone in a card's thread that name a team action ("assumo", "repassa
pro Bruno", "enviar solução"): the action, or which button of the card does it; never a
trâmite the customer reads (R6, R7)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, NoReturn

from bots.slack import buttons
from bots.slack.cards import card_data
from core.conversation import staff_words
from core.errors import InvalidInput, InvalidTransition
from core.i18n import LANGUAGES, label, t
from core.models import Status, Ticket, User
from core.services import handling
from core.services.context import Ctx
from core.textmatch import fold

SOLUTION = frozenset({"enviar solucao", "enviar a solucao", "mandar solucao", "mandar a solucao",
                      "solucao", "solucionar", "send solution", "send the solution", "solution",
                      "solve", "solve it"})
"""The chat's "Enviar solução": in Slack, the card's *Solicitar aprovação*."""
BUTTONS = {"priority": "slack.btn.priority", "estimate": "slack.btn.estimate",
           "origin": "slack.btn.origin", "quote": "slack.btn.quote", "reject": "slack.btn.reject",
           "assign": "slack.btn.assign", "article": "slack.btn.article"}
"""The card's button for each action staff_words.ACTIONS names."""
CALLED = re.compile(r"^\s*@?(?P<name>[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2})\s*[,:]")
"""A message that starts by calling someone by name: "Bruno, pode olhar?", "@bruno: e aí?"."""
CALLED_LAST = re.compile(r"(?P<before>\S.*?)\s*(?P<comma>,)?\s*@?(?P<name>[^\W\d_]+)[\s.!?]*",
                         re.S)
"""A message whose last word may call someone: "obrigada, Bruno", "valeu Bruno!"."""
THANKS = frozenset({"obrigado", "obrigada", "obg", "valeu", "vlw", "brigado", "brigada",
                    "thanks", "thank", "thx"})
COMMANDS = {**{w: w for w in ("proximo", "fila", "meus", "atrasados", "relatorio",
                                "faturaveis", "next", "queue", "mine", "overdue", "report",
                                "billable", "ajuda", "help")},
            "proximo ticket": "proximo", "assumir o proximo": "proximo",
            "pegar o proximo": "proximo", "next ticket": "next", "take the next": "next",
            "take next": "next"}
"""/ticket's words typed alone in a thread ("próximo", "ticket relatório", "ajuda"): that
command."""
LABELLED = ("slack.btn.take", "slack.btn.assign", "slack.btn.estimate", "slack.btn.priority",
            "slack.btn.origin", "slack.btn.quote", "slack.btn.reject", "slack.btn.dev",
            "slack.btn.dev_return", "slack.btn.approval", "slack.btn.workaround",
            "slack.btn.article", "slack.btn.note")
"""A button's label typed as the words ("Solução de contorno", "Workaround"): that button."""
ACK = re.compile(
    r"(?:ok|okay|okey|k|kk|blz|beleza|certo|entendi|entendido|show|top|fechado|combinado"
    r"|ciente|anotado|pode deixar|deixa comigo|ja vejo|ja vou ver|vou ver|vou olhar"
    r"|vou verificar|vou checar|vou dar uma olhada|to vendo|estou vendo|vendo|verificando"
    r"|got it|noted|roger|on it|will do|will check|checking|looking|i ll check|i ll look"
    r"|i will check|i ll take a look|cool|ack)"
    r"(?: (?:ok|okay|blz|beleza|certo|entendi|show|top|fechado|combinado|ciente|pode deixar"
    r"|ja vejo|ja vou ver|vou ver|vou olhar|vou verificar|vou checar|vou dar uma olhada"
    r"|got it|noted|on it|will do|will check|i ll check|i ll look|thanks|valeu|obrigad[oa]))*")
"""A colleague's acknowledgement typed alone ("ok", "blz", "vou ver", "ok, vou ver", "on it"):
the team's talk, not an answer a customer waits for. "sim" and "não" stay answers (to "posso
reiniciar o servidor?")."""
SHORTCODE = re.compile(r":[a-z0-9_+'-]+:")
"""An emoji as Slack sends it typed in the composer (":+1:", ":eyes:")."""


def _button(folded: str) -> str | None:
    """The card's button the words name, when they name one."""
    if folded in SOLUTION or folded in staff_words.CLOSE:  # it closes by approval (R19)
        return "slack.btn.approval"
    if staff_words.TO_DEV.fullmatch(folded):
        return "slack.btn.dev"
    action = next((k for k, p in staff_words.ACTIONS.items() if p.fullmatch(folded)), None)
    if action is not None:
        return BUTTONS[action]
    return next((key for key in LABELLED for lang in LANGUAGES
                 if fold(t(key, lang)) == folded), None)


def refuse_if_colleague_called(ctx: Ctx, text: str, requester: User | None) -> None:
    """Words to a colleague called by name at the start ("Bruno, pode olhar?") or at the end
    of a few words ("obrigada, Bruno"), as a Slack mention is refused (slack.refuse.mention):
    the team's talk, never sent to the customer. A name the requester's also holds is the
    customer's."""
    for called, key in ((CALLED.match(text or ""), "slack.refuse.colleague_called"),
                        (_called_last(text or ""), "slack.refuse.colleague_called_last")):
        named = set(fold(called["name"]).split()) if called else set()
        if not named or (requester is not None
                         and named <= set(fold(requester.name).split())):
            continue
        if staff_words.team_named(ctx.uow.users.staff(), named):
            raise InvalidInput(key, name=called["name"] if called else "",
                               words=text.strip())


def _called_last(text: str) -> re.Match[str] | None:
    """A few words that end by calling someone: after a comma ("ok, Bruno") or thanking
    ("valeu Bruno!"); None for a longer message or another ending."""
    found = CALLED_LAST.fullmatch(text.strip())
    if found is None or len(text.split()) > 5:
        return None
    before = fold(found["before"]).split()
    return found if found["comma"] or (before and before[0] in THANKS) else None


def act(ctx: Ctx, actor: User, ticket: Ticket, text: str, lang: str | None) -> str | None:
    """Do what the words typed alone ask: "taken" or "assigned"; None when they name no
    action. Any other action named is refused with its button, nothing sent to the customer."""
    folded = " ".join(fold(text).split())
    handed = staff_words.PASS_ON.fullmatch(folded)  # "pode passar o ticket para o Bruno"
    if not folded or (handed is None and len(folded.split()) > 5):
        return None  # an answer, not a button's few words nor a hand-over
    named = staff_words.whom(handed) if handed else set()
    if staff_words.takes(folded) or (named and named <= staff_words.MYSELF):
        if handling.works_on(ticket, actor.id):
            raise InvalidInput("error.already_yours", number=ticket.number)
        in_status(handling.take, ctx, actor.id or 0, ticket, lang)
        return "taken"
    if handed is not None:
        team = staff_words.team_named(ctx.uow.users.staff(), named) if named else []
        if len(team) == 1:
            in_status(handling.assign, ctx, actor.id or 0, ticket, lang, team[0].id or 0)
            return "assigned"
        _whom_instead(ctx, actor, ticket, text, handed, team, lang)
    command = COMMANDS.get(folded.removeprefix("/").removeprefix("ticket "))
    if command is not None:  # "próximo": /ticket's, never the customer's
        raise InvalidInput("slack.refuse.command_words", words=text.strip(), command=command)
    button = _button(folded)
    if button is None:
        return None
    if folded in staff_words.CLOSE and ticket.status == Status.AWAITING_APPROVAL:
        raise InvalidInput("slack.refuse.close_awaiting", number=ticket.number,
                           days=ctx.policy.autoclose_days, words=text.strip())
    if not _on_card(ctx, ticket, button):  # not for this status: which it is
        raise InvalidTransition("slack.refuse.words_status", number=ticket.number,
                                status=label("status", ticket.status, lang))
    raise InvalidInput("slack.refuse.action_words", words=text.strip(), button=t(button, lang))


def refuse_acknowledgement(text: str) -> None:
    """An acknowledgement alone ("ok", "blz", "👍", "vou ver") is refused, said how to send it
    to the customer after all in one message (!cliente ok): a reply typed in a card's thread
    goes to the customer at once, with no page asking first as in the chat (R7)."""
    if is_acknowledgement(text):
        raise InvalidInput("slack.refuse.acknowledgement", words=text.strip())


def is_acknowledgement(text: str) -> bool:
    """Whether the text is only a colleague's acknowledgement, emoji or punctuation."""
    words = SHORTCODE.sub(" ", (text or "").casefold())
    if not "".join(ch for ch in words if unicodedata.category(ch)[0] not in "PSZCM"):
        return bool(text.strip())  # emoji and punctuation alone: "👍", ":+1:", "👀!"
    return ACK.fullmatch(fold(words)) is not None


def refuse_reopen(ticket: Ticket | None, text: str, lang: str | None) -> None:
    """"reabrir" typed alone: no ticket is ever reopened (R19, R21) nor a rejected one (R18),
    and an open one has nothing to reopen; why is said, nothing sent to the customer."""
    if ticket is None or " ".join(fold(text).split()) not in staff_words.REOPEN:
        return
    key = {Status.CLOSED: "slack.refuse.reopen_closed",
           Status.REJECTED: "slack.refuse.reopen_rejected"}.get(ticket.status,
                                                               "slack.refuse.reopen_open")
    raise InvalidInput(key, number=ticket.number, words=text.strip(),
                       status=label("status", ticket.status, lang))


def _on_card(ctx: Ctx, ticket: Ticket, button: str) -> bool:
    """Whether the ticket's card shows the button now (its status offers it)."""
    action = "tk." + button.removeprefix("slack.btn.")
    return any(el.get("action_id") == action
               for row in buttons.action_blocks(card_data(ctx, ticket.id or 0))
               for el in row["elements"])


def _whom_instead(ctx: Ctx, actor: User, ticket: Ticket, text: str, handed: re.Match[str],
                  team: list[User], lang: str | None) -> NoReturn:
    """Refuse a hand-over to nobody on the team ("passa para o financeiro": a module, not a
    person; there are no teams) or to several by that name, saying whom it can go to (R6)."""
    fields = {"name": staff_words.name_typed(text, handed), "number": ticket.number,
              "button": t("slack.btn.assign", lang)}
    if team:
        names = sorted((u.name for u in team), key=str.casefold)
        raise InvalidInput("slack.refuse.assign_several", **fields, example=names[0],
                           names=_listed(names, "slack.refuse.names_and", lang))
    staff = ctx.uow.users.staff()
    others = sorted((u for u in staff if u.id not in (actor.id, ticket.assignee_id)),
                    key=lambda u: u.name.casefold())
    if not others:
        raise InvalidInput("slack.refuse.assign_nobody_else", **fields)
    firsts = [fold(u.name).split()[0] for u in staff]
    example = next((u.name.split()[0] for u in others
                    if firsts.count(fold(u.name).split()[0]) == 1), others[0].name)
    raise InvalidInput("slack.refuse.assign_nobody", **fields, example=example,
                       names=_listed([u.name for u in others], "slack.refuse.names_or", lang))


def _listed(names: list[str], last: str, lang: str | None) -> str:
    """Names as a sentence lists them: "Ana, Bruno ou Dora"."""
    return ", ".join(names[:-1]) + t(last, lang) + names[-1] if len(names) > 1 else names[0]


def in_status(fn: Callable[..., Any], ctx: Ctx, actor_id: int, ticket: Ticket,
               lang: str | None, *args: Any) -> None:
    """The use case; one the ticket's status refuses says that status, in the agent's
    language (as a card's outdated button does)."""
    try:
        fn(ctx, actor_id, ticket.id or 0, *args)
    except InvalidTransition as err:
        if err.key != InvalidTransition.key:
            raise
        raise InvalidTransition("slack.refuse.words_status", number=ticket.number,
                                status=label("status", ticket.status, lang)) from None
