"""The /ticket slash command and the App Home tab's opening (bots.slack.home draws it)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import billable, home, lists, report, thread_words
from bots.slack import opened as abrir
from bots.slack.direct import Conversations
from bots.slack.list_blocks import ticket_list
from bots.slack.lists import echo
from bots.slack.people import language, registered, said
from bots.slack.text import esc
from bots.slack.typed import mentioned_ids, typed_text
from core.conversation.engine import error_text, language_of
from core.conversation.replies import TAKE_NEXT, Command, UserInput
from core.errors import Conflict, HelpdeskError, InvalidInput, InvalidTransition
from core.i18n import t
from core.models import Ticket, User
from core.services import handling, queries
from core.services.access import number_example
from core.services.context import Ctx
from core.services.take_next import take_next
from core.textmatch import ascii_digits, fold, words

log = logging.getLogger(__name__)

Blocks = list[dict[str, Any]]
NUMBER = re.compile(r"#?\s*(?:\d{6}\s*[^\w\s]?\s*\d{1,6}|\d{7,12})(?!\d)", re.ASCII)
"""A ticket's number at the start of /ticket's text (YYYYMM/NNNN, YYYYMMNNNN, with spaces)."""


def _after_number(text: str) -> tuple[str, str] | None:
    """(the number as typed, what follows it) when /ticket's text starts with a ticket's number
    and words follow it; None otherwise."""
    found = NUMBER.match(ascii_digits(text))  # one character for one: positions kept
    if found is None or not words(text[found.end():]):
        return None
    return text[:found.end()].strip(), text[found.end():].strip()


SHOW = frozenset({"ver", "view", "show"})
NEXT = frozenset({"proximo", "próximo", "next"})
"""`/ticket proximo`: take the queue's next ticket nobody has."""
TAKE = frozenset({"assumir", "assumo", "take"})
"""Before a ticket's number (`/ticket assumir 4`, `/ticket take 202611/0004`): take it."""
"""Words before a ticket's number that ask for what the number alone shows: its card."""
NUMBER_AFTER = re.compile(r"(?<!\w)" + NUMBER.pattern, re.ASCII)
"""A ticket's number later in the text, as a word of its own (not the end of a longer one)."""


def _before_number(text: str) -> tuple[str, str, str] | None:
    """(the words before a ticket's number, the number as typed, the text from it on) when
    /ticket's text has words before a number; None otherwise."""
    found = NUMBER_AFTER.search(ascii_digits(text))
    if found is None or not words(text[:found.start()]):
        return None
    return text[:found.start()].strip(), text[found.start():found.end()].strip(), \
        text[found.start():].strip()


def ticket_command(ctx: Ctx, slack_id: str, text: str, mentions: Sequence[str] = ()
                   ) -> Blocks | str:
    """Answer `/ticket …` for whoever is registered with this Slack id (R8 scoping by core);
    `mentions` are the Slack ids of the people the text mentioned."""
    user = registered(ctx, slack_id)
    lang = language_of(ctx, user)
    word, rest = (text.split(maxsplit=1) + ["", ""])[:2]  # a line break parts them too
    word = word.lower()
    if word in ("", "ajuda", "help"):
        return t("slack.cmd.help", lang)
    if word in report.WORDS:
        return report.report(ctx, user, word, rest, lang)
    if (word in NEXT and not rest.strip()) or TAKE_NEXT.fullmatch(fold(text)):
        # the queue's next ticket nobody has, taken (R12): "proximo", "assumir o próximo"
        taken = take_next(ctx, user.id or 0, pressed=False)  # typed: meant, never a double click
        said = {"type": "section", "text": {"type": "mrkdwn", "text": t(
            "slack.cmd.took_next", lang, number=taken.number)}}
        return [said, *lists.private_card(ctx, user, taken, lang)[1]]
    if billable.asked(word):  # what the coordinator invoices (R23)
        return billable.billable(ctx, user, word, rest, lang)
    found = lists.listing(ctx, user, word, rest, lang, mentions)
    if found is not None:
        return found
    if user.is_staff and fold(word) in TAKE and not rest.strip():  # `/ticket assumir` alone
        return t("slack.cmd.take_number_missing", lang, number=number_example(ctx))
    if word in SHOW and not any(ch.isdecimal() for ch in rest):  # `/ticket ver` alone
        return t("slack.cmd.number_missing", lang, word=word, example=number_example(ctx))
    if not any(ch.isdecimal() for ch in text):  # a word, not a number: say how to use it
        return t("slack.cmd.unknown", lang, word=esc(echo(text.strip()))) + "\n" \
            + t("slack.cmd.help", lang)
    then = lists.private_card
    if user.is_staff and fold(word) in TAKE and rest.strip():  # `/ticket assumir 4`: taken
        then, text = _taken, rest
    before = _before_number(text.strip())
    if before is not None:
        head, number, text = before
        if head.casefold() not in SHOW:  # a word /ticket has no use for: said, nothing shown
            return t("slack.cmd.before_number", lang, number=esc(echo(number)),
                     extra=esc(echo(head)))
    extra = _after_number(text.strip())
    if extra is not None:  # as `/ticket fila x`: said, nothing shown
        return t("slack.cmd.number_only", lang, number=esc(echo(extra[0])),
                 extra=esc(echo(extra[1])))
    seq = _short(ascii_digits(text.strip()))
    if seq is not None:
        return _by_end(ctx, user, seq, lang, then)
    ticket = queries.ticket_by_number(ctx, user.id or 0, text.strip())
    return then(ctx, user, ticket, lang)[1]


def _taken(ctx: Ctx, user: User, ticket: Ticket, lang: str) -> tuple[str, Blocks]:
    """`/ticket assumir NÚMERO`: the ticket taken as its card's Assumir takes it (R6, R13),
    said, and its card; one already the agent's or a colleague's, or a status that refuses
    it, is said above the card as it is now (its Repassar para… at hand)."""
    try:
        if handling.works_on(ticket, user.id):
            raise InvalidInput("error.already_yours", number=ticket.number)
        thread_words.in_status(handling.take, ctx, user.id or 0, ticket, lang)
        words = t("slack.cmd.took", lang, number=ticket.number)
    except (Conflict, InvalidInput, InvalidTransition) as err:  # nothing taken
        words = esc(error_text(err, lang))
    summary, card = lists.private_card(ctx, user, ticket, lang)  # as it is now
    said = {"type": "section", "text": {"type": "mrkdwn", "text": words}}
    return summary, [said, *card]


def _short(text: str) -> int | None:
    """`/ticket 4`, `/ticket ver 0004`: the end of a ticket's number, as people remember it,
    read as the chat's "ticket 4" and a duplicate's original are (handling.typed_end)."""
    head, *rest = text.split(maxsplit=1) or [""]
    return handling.typed_end(rest[0] if rest and head.casefold() in SHOW else text)


def _by_end(ctx: Ctx, user: User, seq: int, lang: str,
            then: Callable[[Ctx, User, Ticket, str], tuple[str, Blocks]] = lists.private_card
            ) -> Blocks | str:
    """`/ticket 4`: the card of the one ticket of the last months ending in /0004 that the
    user may see, or those tickets listed (Abrir), as the chat's "ticket 4" finds them; none
    is core's refusal, as the chat's."""
    found = queries.tickets_by_sequence(ctx, user.id or 0, seq)
    if not found:
        raise handling.short_number_not_found(ctx, seq, user.is_staff)
    if len(found) == 1:
        return then(ctx, user, found[0], lang)[1]
    return ticket_list(t("conv.ticket.which", lang, seq=f"{seq:04d}"),
                       lists.lines(ctx, user, found, lang), lang)


def register(app: AsyncApp, desk: Desk, conversations: Conversations) -> None:
    """Wire /ticket, app_home_opened and the listings' Abrir button."""
    abrir.register(app, desk)

    @app.command("/ticket")
    async def on_ticket(ack: Callable[..., Awaitable[Any]], command: dict[str, Any],
                        respond: Callable[..., Awaitable[Any]], client: AsyncWebClient) -> None:
        await ack()
        slack_id = command["user_id"]
        sent = command.get("text") or ""
        try:
            text = (await desk.acall(said, sent) if "<" in sent else typed_text(sent)).strip()
            if text.lower() in ("novo", "new", "abrir"):
                await _start_intake(client, conversations, slack_id, respond,
                                    await language(desk, slack_id))
                return
            answer = await desk.acall(ticket_command, slack_id, text, mentioned_ids(sent))
        except HelpdeskError as err:
            await respond(text=esc(error_text(err, await language(desk, slack_id))),
                          response_type="ephemeral")
            return
        if isinstance(answer, str):
            await respond(text=answer, response_type="ephemeral")
        else:
            await respond(text=esc(echo(text)) or "ticket", blocks=answer,
                          response_type="ephemeral")

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        view = await desk.acall(home.opened, event["user"])
        await client.views_publish(user_id=event["user"], view=view)


async def _start_intake(client: AsyncWebClient, conversations: Conversations, slack_id: str,
                        respond: Callable[..., Awaitable[Any]], lang: str) -> None:
    """Open the DM and start the intake there (the engine checks who may open, R2)."""
    opened = await client.conversations_open(users=slack_id)
    channel = str(opened["channel"]["id"])
    await respond(text=t("slack.cmd.novo_dm", lang), response_type="ephemeral")
    await conversations.step(client, channel, slack_id, UserInput.of_command(Command.NEW))
