"""The card's buttons and modals: ack first, then one core use case as the clicking agent."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import blocks as b
from bots.slack import modals as m
from bots.slack.cards import card_data, origin_choices
from bots.slack.people import agent, as_agent, first_time, said_in_form
from bots.slack.text import esc
from core.conversation.engine import error_text, language_of
from core.errors import HelpdeskError, InvalidInput, InvalidTransition, NotFound
from core.i18n import label, t
from core.models import CriticalReason, Priority, Status
from core.services import billing, closing, handling, tramites
from core.services.context import Ctx
from core.services.reference import load_coverage
from core.textmatch import words

log = logging.getLogger(__name__)

MODAL_BUDGET = 2.0
"""Seconds a modal submission may wait for core before acking (Slack allows 3)."""


def _ids(value: str) -> tuple[int, str]:
    head, _, rest = (value or "").partition(":")
    if not head.isdecimal():
        raise InvalidInput("error.unknown_choice")
    tid = b.as_id(head)
    if tid is None:  # a number no ticket can have
        raise NotFound("error.ticket_not_found")
    return tid, rest


async def tell(client: AsyncWebClient, user: str, text: str, channel: str | None = None,
               thread_ts: str | None = None) -> None:
    """Say something only this user sees: ephemeral in the channel, else in the bot's DM.
    The text is plain (it may quote what someone typed): escaped for mrkdwn here."""
    text = esc(text)
    if channel:
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=text,
                                            thread_ts=thread_ts)
            return
        except SlackApiError as exc:  # a conversation the bot is not in: say it in its DM
            log.info("ephemeral refused (%s); telling %s in the DM", exc, user)
    await client.chat_postMessage(channel=user, text=text)


def _set_priority(ctx: Ctx, actor_id: int, tid: int, level: str) -> Any:
    if level == Priority.STANDARD.value:
        return handling.set_priority(ctx, actor_id, tid, Priority.STANDARD)
    try:
        reason = CriticalReason(level)
    except ValueError:
        raise InvalidInput("error.unknown_choice") from None
    return handling.set_priority(ctx, actor_id, tid, Priority.CRITICAL, reason)


def _assign(ctx: Ctx, actor_id: int, tid: int, who: str) -> Any:
    uid = b.as_id(who)
    if uid is None:
        raise InvalidInput("error.unknown_choice")
    return handling.assign(ctx, actor_id, tid, uid)


def _once(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
          *args: Any) -> Any:
    """Run a click's or modal's use case as the agent, at most once per interaction (a retry
    repeats it); a refusal leaves no trace, so a corrected modal can still go."""
    if key is not None and not first_time(ctx, key):
        return None
    return as_agent(ctx, slack_id, fn, tid, *args)


def _clicked(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
             arg: str) -> Any:
    """A button's or select's use case; one the status refuses came from an outdated card."""
    try:
        return _once(ctx, key, slack_id, fn, tid, arg)
    except InvalidTransition as err:
        ticket = ctx.uow.tickets.read(tid)
        if err.key != InvalidTransition.key or ticket is None:
            raise
        raise InvalidTransition("slack.refuse.outdated_card", number=ticket.number,
                                status=label("status", ticket.status, ctx.policy.language)
                                ) from None


def card_for(ctx: Ctx, slack_id: str, tid: int) -> tuple[str, list[dict[str, Any]]]:
    """The ticket's card as it stands now, in the agent's language: (summary, blocks)."""
    lang = language_of(ctx, agent(ctx, slack_id))
    data = card_data(ctx, tid)
    return b.card_summary(data, lang), b.ticket_card(data, ctx.policy.timezone, lang=lang)


def _submitted(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
               *typed: Any) -> Any:
    """A form's use case, with the people mentioned in what was typed in it named (R7)."""
    return _once(ctx, key, slack_id, fn, tid,
                 *(said_in_form(ctx, x) if isinstance(x, str) else x for x in typed))


SIMPLE: dict[str, Callable[..., Any]] = {
    b.TAKE: lambda ctx, actor, tid, _: handling.take(ctx, actor, tid),
    b.ESTIMATE: lambda ctx, actor, tid, _: handling.move_to_estimate(ctx, actor, tid),
    b.ASSIGN: _assign,
    b.PRIORITY: _set_priority,
    b.ORIGIN: lambda ctx, actor, tid, origin: billing.classify_origin(ctx, actor, tid, origin),
}
SUBMIT: dict[str, Callable[..., Any]] = {
    "md.reject": handling.reject_duplicate,
    "md.approval": closing.request_approval,
    "md.note": tramites.add_internal_note,
    "md.dev": lambda ctx, actor, tid, note: handling.forward_to_development(
        ctx, actor, tid, note or None),
    "md.dev_return": handling.return_from_development,
    "md.quote": billing.set_quote,
}
OPTIONAL = {b.DEV}
OPENS_IN: dict[str, tuple[Status, ...]] = {
    b.REJECT: handling.WORKABLE,
    b.APPROVAL: handling.WORKABLE,
    b.DEV: b.HANDS_ON,
    b.DEV_RETURN: (Status.IN_DEVELOPMENT,),
}
"""The statuses in which a form's use case can take it (core re-checks on submit): a button
of an outdated card is refused at once rather than after the agent wrote the form."""


def _modal(ctx: Ctx, slack_id: str, tid: int, name: str, channel: str | None,
           thread: str | None, lang: str) -> dict[str, Any]:
    """The modal a card's button opens; the solution's also asks the origin (R22)."""
    agent(ctx, slack_id)
    ticket = ctx.uow.tickets.read(tid)
    if ticket is None:
        raise NotFound("error.ticket_not_found")
    if ticket.status not in OPENS_IN.get(name, tuple(Status)):
        raise InvalidTransition("slack.refuse.outdated_card", number=ticket.number,
                                status=label("status", ticket.status, lang))
    if name == b.QUOTE and not (ticket.billable and ticket.is_open):
        raise InvalidTransition("error.quote_not_billable", number=ticket.number)
    origins, suggested, origin = origin_choices(ctx, ticket) if name == b.APPROVAL \
        else ([], None, None)
    return m.text_modal(name, tid, ticket.number, multiline=name not in (b.REJECT, b.QUOTE),
                        optional=name in OPTIONAL, channel=channel, thread_ts=thread,
                        lang=lang, origins=origins, origin=origin or suggested,
                        quote=ticket.billing_quote)


def _chosen_origin(tid: int, state: dict[str, Any]) -> str | None:
    """The origin picked in the solution's modal, if it is one of this ticket's options."""
    block = state.get(f"card.{m.ORIGIN_BLOCK}.{tid}", {}).get(b.ORIGIN) or {}
    head, _, origin = ((block.get("selected_option") or {}).get("value") or "").partition(":")
    if head != str(tid):
        raise InvalidInput("error.unknown_choice", level="origin")
    return origin


def choices(ctx: Ctx, slack_id: str, action_id: str, typed: str, tid: int | None = None
            ) -> list[tuple[str, str]]:
    """A long select's options whose words start with the words typed: (label, value)."""
    agent(ctx, slack_id)
    if action_id == b.ASSIGN:
        ticket = ctx.uow.tickets.read(tid) if tid is not None else None
        holder = ticket.assignee_id if ticket is not None else None
        found = [(u.name, str(u.id)) for u in ctx.uow.users.staff() if u.id != holder]
    elif action_id == b.ORIGIN:
        found = [(b.origin_label(o.label, o.covered), o.id)
                 for o in load_coverage(ctx.uow).origins]
    else:
        return []
    wanted = words(typed)
    found = [(label, value) for label, value in found
             if all(any(w.startswith(want) for w in words(label)) for want in wanted)]
    return sorted(found, key=lambda c: c[0].casefold())[:b.MAX_OPTIONS]


def _errors(err: HelpdeskError, tid: int, asks_origin: bool, lang: str) -> dict[str, str]:
    """A refusal shown in the modal, under the origin or the quote when it is about them."""
    about_origin = err.key == "error.origin_needed" or err.params.get("level") == "origin"
    about_quote = err.key == "error.quote_not_billable" or err.params.get("field") == "orcamento"
    block = m.INPUT_BLOCK
    if asks_origin and about_origin:
        block = f"card.{m.ORIGIN_BLOCK}.{tid}"
    elif asks_origin and about_quote:
        block = m.QUOTE_BLOCK
    return {block: error_text(err, lang)}


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    return channel, message.get("thread_ts") or message.get("ts")


def register(app: AsyncApp, desk: Desk) -> None:
    """Wire the card's buttons, selects and modals into the bolt app."""
    lang = desk.policy.language

    @app.action(re.compile(r"^tk\."))
    async def on_ticket_action(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                               action: dict[str, Any], client: AsyncWebClient,
                               respond: Callable[..., Awaitable[Any]]) -> None:
        await ack()
        user = body["user"]["id"]
        channel, thread = _where(body)
        name = action["action_id"]
        value = (action.get("selected_option") or {}).get("value") or action.get("value", "")
        try:
            tid, arg = _ids(value)
            row = b.ticket_of_block(action.get("block_id", ""))
            if row is not None and row != tid:  # another card's value: act on neither
                raise InvalidInput("slack.refuse.other_card")
            if name in m.MODALS:
                view = await desk.acall(_modal, user, tid, name, channel, thread, lang)
                try:
                    await client.views_open(trigger_id=body["trigger_id"], view=view)
                except SlackApiError as exc:  # expired_trigger_id: the click waited too long
                    log.info("form not opened: %s", exc)
                    await tell(client, user, t("slack.modal.expired", lang), channel, thread)
                return
            handler = SIMPLE.get(name)
            if handler is None:
                return
            trigger = body.get("trigger_id")
            await desk.acall(_clicked, f"click:{trigger}" if trigger else None, user,
                             handler, tid, arg)
            container = body.get("container") or {}
            in_dm = str(container.get("channel_id") or channel or "").startswith("D")
            if (container.get("is_ephemeral") or in_dm) and body.get("response_url"):
                # /ticket NÚMERO's card, seen only by this agent, or Abrir's in the bot's DM
                # (bots.slack.opened): no sender updates it.
                summary, card = await desk.acall(card_for, user, tid)
                await respond(replace_original=True, text=summary, blocks=card)
        except HelpdeskError as err:
            await tell(client, user, error_text(err, lang), channel, thread)

    @app.options(re.compile(rf"^({re.escape(b.ASSIGN)}|{re.escape(b.ORIGIN)})$"))
    async def on_search(ack: Callable[..., Awaitable[Any]], body: dict[str, Any]) -> None:
        """A card's select with more than Slack's 100 options: what matches the typed text."""
        tid = b.ticket_of_block(body.get("block_id", ""))
        found: list[tuple[str, str]] = []
        if tid is not None:
            try:
                found = await desk.acall(choices, body["user"]["id"], body.get("action_id", ""),
                                         str(body.get("value") or "")[:200], tid)
            except HelpdeskError:
                found = []  # not an agent: nothing to pick
        await ack(options=[b.option(label, f"{tid}:{value}") for label, value in found])

    @app.view(re.compile(r"^md\."))
    async def on_modal(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                       view: dict[str, Any], client: AsyncWebClient) -> None:
        user = body["user"]["id"]
        tid, channel, thread = m.parse_meta(view.get("private_metadata", ""))
        state = view.get("state", {}).get("values", {})
        text = (state.get(m.INPUT_BLOCK, {}).get(m.INPUT_ACTION, {}).get("value") or "").strip()
        use_case = SUBMIT.get(view["callback_id"])
        if use_case is None:
            await ack()
            return
        if tid is None:  # names no ticket: the modal stays open with what was typed
            await ack(response_action="errors",
                      errors={m.INPUT_BLOCK: t("slack.modal.stale", lang)})
            return
        if not text and view["callback_id"] != m.MODALS[b.DEV]:
            await ack(response_action="errors",
                      errors={m.INPUT_BLOCK: t("slack.modal.empty", lang)})
            return
        args: list[Any] = [text]
        asks_origin = f"card.{m.ORIGIN_BLOCK}.{tid}" in state
        try:
            if view["callback_id"] == m.MODALS[b.APPROVAL]:
                args.append(_chosen_origin(tid, state) if asks_origin else None)
                quote = state.get(m.QUOTE_BLOCK, {}).get(m.INPUT_ACTION, {}).get("value")
                args.append((quote or "").strip() or None)
        except HelpdeskError as err:
            await ack(response_action="errors", errors=_errors(err, tid, asks_origin, lang))
            return
        trigger = body.get("trigger_id")
        key = f"view:{trigger}" if trigger else None
        job = asyncio.ensure_future(desk.acall(_submitted, key, user, use_case, tid, *args))
        try:
            await asyncio.wait_for(asyncio.shield(job), MODAL_BUDGET)
        except TimeoutError:
            await ack()  # slow database: answer Slack now, report the outcome later
        except HelpdeskError as err:
            await ack(response_action="errors", errors=_errors(err, tid, asks_origin, lang))
            return
        else:
            await ack()
            return
        try:
            await job
        except HelpdeskError as err:  # the modal is closed: give back what was typed in it
            typed = "\n".join(part for part in (text, *args[2:]) if isinstance(part, str))
            refusal = error_text(err, lang)
            if typed:
                refusal += "\n" + t("slack.modal.typed", lang, text=typed)
            await tell(client, user, refusal, channel, thread)
