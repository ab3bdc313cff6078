"""The card's buttons and modals: ack first, then one core use case as the clicking agent."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import article_form, card_clicks, card_forms, kept_notes
from bots.slack import buttons as b
from bots.slack import modals as m
from bots.slack.people import first_time, language, refused
from bots.slack.text import esc
from core.conversation.engine import error_text
from core.errors import HelpdeskError, InvalidInput, InvalidTransition
from core.i18n import t

log = logging.getLogger(__name__)

BLOCKS_REFUSED = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})
"""Slack's errors for blocks it will not show: said again without them."""

KEPT = (b.NOTE_SAVED, b.NOTE_KEPT)
"""A refusal's buttons that open *Nota interna* with the note kept."""
MODAL_BUDGET = 2.0
"""Seconds a modal submission may wait for core before acking (Slack allows 3)."""


async def tell(client: AsyncWebClient, user: str, text: str, channel: str | None = None,
               thread_ts: str | None = None, blocks: list[dict[str, Any]] | None = None
               ) -> None:
    """Say something only this user sees: ephemeral in the channel, else in the bot's DM.
    The text is plain (it may quote what someone typed): escaped for mrkdwn here; `blocks`,
    when given, are what Slack shows (text is then the notification's)."""
    text = esc(text)
    try:
        await _tell(client, user, text, channel, thread_ts, blocks)
    except SlackApiError as exc:
        if not blocks or exc.response.get("error") not in BLOCKS_REFUSED:
            raise
        # The DM refused the same blocks: the words alone, where the user was.
        log.warning("Slack refused the blocks (%s); telling %s in text alone", exc, user)
        await _tell(client, user, text, channel, thread_ts, None)


async def _tell(client: AsyncWebClient, user: str, text: str, channel: str | None,
                thread_ts: str | None, blocks: list[dict[str, Any]] | None) -> None:
    """Ephemeral in the channel, else in the bot's DM."""
    if channel:
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=text,
                                            thread_ts=thread_ts, blocks=blocks)
            return
        except SlackApiError as exc:  # a conversation the bot is not in: say it in its DM
            log.info("ephemeral refused (%s); telling %s in the DM", exc, user)
    await client.chat_postMessage(channel=user, text=text, blocks=blocks)


async def _told(client: AsyncWebClient, user: str, outcome: Any, channel: str | None,
                thread: str | None) -> None:
    """Say a form's outcome that is no refusal (card_forms.Told: the solution had already gone)."""
    if isinstance(outcome, card_forms.Told):
        await tell(client, user, outcome.text, channel, thread)


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    return channel, message.get("thread_ts") or message.get("ts")


async def _redraw_private(desk: Desk, body: dict[str, Any], channel: str | None, user: str,
                          tid: int, respond: Callable[..., Awaitable[Any]]) -> None:
    """/ticket NÚMERO's card, seen only by this agent, or Abrir's in the bot's DM
    (bots.slack.opened): no sender updates it, so the click redraws it as the ticket is now."""
    container = body.get("container") or {}
    in_dm = str(container.get("channel_id") or channel or "").startswith("D")
    if (container.get("is_ephemeral") or in_dm) and body.get("response_url"):
        summary, card = await desk.acall(card_clicks.card_for, user, tid)
        await respond(replace_original=True, text=summary, blocks=card)


async def _form(desk: Desk, user: str, tid: int, name: str, arg: str, channel: str | None,
                thread: str | None) -> dict[str, Any] | card_forms.Told:
    """The form a card's button opens; a refusal's, with the note kept (KEPT)."""
    if name in KEPT:
        return await desk.acall(card_forms.kept_form, user, tid, arg, channel, thread,
                                name == b.NOTE_SAVED)
    if name == b.ARTICLE:
        return await desk.acall(article_form.form, user, tid, channel, thread)
    return await desk.acall(card_forms.form, user, tid, name, channel, thread)


def register(app: AsyncApp, desk: Desk) -> None:
    """Wire the card's buttons, selects and modals into the bolt app. The forms, their errors
    and the refusals are in the clicking agent's language: only they see them."""

    @app.action(re.compile(r"^tk\."))
    async def on_ticket_action(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                               action: dict[str, Any], client: AsyncWebClient,
                               respond: Callable[..., Awaitable[Any]]) -> None:
        await ack()
        user = body["user"]["id"]
        channel, thread = _where(body)
        name = action["action_id"]
        value = (action.get("selected_option") or {}).get("value") or action.get("value", "")
        shown: int | None = None  # the ticket of the card clicked, once the click names it
        try:
            tid, arg = card_clicks.ids(value)
            row = b.ticket_of_block(action.get("block_id", ""))
            if row is not None and row != tid:  # another card's value: act on neither
                raise InvalidInput("slack.refuse.other_card")
            shown = tid
            if name in m.MODALS or name in KEPT or name == b.ARTICLE:
                if name not in KEPT and arg:  # a card drawn before the ticket moved: said
                    await desk.acall(card_clicks.as_drawn, user, tid, arg)
                view = await _form(desk, user, tid, name, arg, channel, thread)
                if isinstance(view, card_forms.Told):  # that note was added already: said, no form
                    await tell(client, user, view.text, channel, thread)
                    return
                try:
                    await client.views_open(trigger_id=body["trigger_id"], view=view)
                except SlackApiError as exc:  # expired_trigger_id: the click waited too long
                    log.info("form not opened: %s", exc)
                    await tell(client, user, t("slack.modal.expired", await language(desk, user)),
                               channel, thread)
                return
            handler = card_clicks.SIMPLE.get(name)
            if handler is None:
                return
            trigger = body.get("trigger_id")
            await desk.acall(card_clicks.clicked, f"click:{trigger}" if trigger else None, user,
                             handler, tid, arg)
            await _redraw_private(desk, body, channel, user, tid, respond)
        except HelpdeskError as err:
            trigger = body.get("trigger_id")  # the same click delivered again: said once
            if trigger and not await desk.acall(first_time, refused(f"click:{trigger}")):
                return
            await tell(client, user, error_text(err, await language(desk, user)), channel,
                       thread)
            if shown is not None:  # a colleague's change made it stale: shown as it is now
                with contextlib.suppress(HelpdeskError):
                    await _redraw_private(desk, body, channel, user, shown, respond)

    @app.options(re.compile(rf"^({re.escape(b.ASSIGN)}|{re.escape(b.ORIGIN)})$"))
    async def on_search(ack: Callable[..., Awaitable[Any]], body: dict[str, Any]) -> None:
        """A card's select with more than Slack's 100 options: what matches the typed text."""
        tid = b.ticket_of_block(body.get("block_id", ""))
        found: list[tuple[str, str]] = []
        if tid is not None:
            try:
                found = await desk.acall(card_clicks.choices, body["user"]["id"],
                                         body.get("action_id", ""),
                                         str(body.get("value") or "")[:200], tid)
            except HelpdeskError:
                found = []  # not an agent: nothing to pick
        await ack(options=[b.option(label, f"{tid}:{value}") for label, value in found])

    @app.view(re.compile(r"^md\.(?!article$)"))  # Enviar artigo's: bots.slack.article_actions
    async def on_modal(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                       view: dict[str, Any], client: AsyncWebClient) -> None:
        user = body["user"]["id"]
        tid, channel, thread = m.parse_meta(view.get("private_metadata", ""))
        state = view.get("state", {}).get("values", {})
        text = (state.get(m.INPUT_BLOCK, {}).get(m.INPUT_ACTION, {}).get("value") or "").strip()
        use_case = card_forms.SUBMIT.get(view["callback_id"])
        token = m.kept_in(view.get("private_metadata", "")) \
            if view["callback_id"] == m.MODALS[b.NOTE] else None
        if token is not None:  # a refused note a button offered: added once
            use_case = functools.partial(kept_notes.add_kept_note, token=token)
        if use_case is None:
            await ack()
            return
        if tid is None:  # names no ticket: the modal stays open with what was typed
            await ack(response_action="errors",
                      errors={m.INPUT_BLOCK: t("slack.modal.stale", await language(desk, user))})
            return
        if not text and view["callback_id"] != m.MODALS[b.DEV]:
            await ack(response_action="errors",
                      errors={m.INPUT_BLOCK: t("slack.modal.empty", await language(desk, user))})
            return
        args: list[Any] = [text]
        asks_origin = f"card.{m.ORIGIN_BLOCK}.{tid}" in state
        try:
            if view["callback_id"] == m.MODALS[b.APPROVAL]:
                args.append(card_forms.chosen_origin(tid, state) if asks_origin else None)
                quote = state.get(m.QUOTE_BLOCK, {}).get(m.INPUT_ACTION, {}).get("value")
                args.append((quote or "").strip() or None)
            if view["callback_id"] in (m.MODALS[b.APPROVAL], m.MODALS[b.QUOTE]):
                args.append(m.shown_in(view.get("private_metadata", "")))
            if view["callback_id"] == m.MODALS[b.WORKAROUND]:
                args.append(m.seen_in(view.get("private_metadata", "")))
        except HelpdeskError as err:
            await ack(response_action="errors", errors=card_forms.form_errors(
                err, tid, asks_origin, await language(desk, user)))
            return
        trigger = body.get("trigger_id")
        key = f"view:{trigger}" if trigger else None
        job = asyncio.ensure_future(desk.acall(card_forms.submitted, key, user, use_case, tid,
                                               *args))
        try:
            await asyncio.wait_for(asyncio.shield(job), MODAL_BUDGET)
        except TimeoutError:
            await ack()  # slow database: answer Slack now, report the outcome later
        except HelpdeskError as err:
            if err.key in card_forms.AGAIN:  # a colleague's change: shown first
                with contextlib.suppress(HelpdeskError):  # else said as the refusal it is
                    again = await desk.acall(card_forms.form_again, user, tid, view["callback_id"],
                                             channel, thread, *args)
                    await ack(response_action="update", view=again)
                    return
            lang = await language(desk, user)
            if view["callback_id"] == m.MODALS[b.DEV] and text \
                    and isinstance(err, InvalidTransition):  # forwarded or solved meanwhile
                note = await desk.acall(card_forms.note_instead, user, tid, channel, thread, text,
                                        error_text(err, lang))
                if note is not None:
                    await ack(response_action="update", view=note)
                    return
            await ack(response_action="errors",
                      errors=card_forms.form_errors(err, tid, asks_origin, lang))
            return
        else:
            await ack()
            await _told(client, user, job.result(), channel, thread)
            return
        try:
            await _told(client, user, await job, channel, thread)
        except HelpdeskError as err:  # the modal is closed: give back what was typed in it
            typed = "\n".join(part for part in (text, *args[2:]) if isinstance(part, str))
            lang = await language(desk, user)
            refusal = error_text(err, lang)
            offer = None
            if view["callback_id"] == m.MODALS[b.DEV] and text \
                    and isinstance(err, InvalidTransition):  # as note_instead, by a button
                try:
                    offer = await desk.acall(kept_notes.note_offer, user, tid, text, refusal)
                except Exception:  # not kept for a button: the note is still given back
                    log.exception("the refused note of %s not kept for a button", user)
            if typed:
                refusal += "\n" + t("slack.modal.typed", lang, text=typed)
            await tell(client, user, refusal, channel, thread, blocks=offer)
