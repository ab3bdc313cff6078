"""*Enviar artigo*'s form in Slack: a pick redraws its preview, words typed in a long base's
select search it, and the form sent is `!artigo`'s trâmite (bots.slack.article_form)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import article_form as af
from bots.slack import buttons as b
from bots.slack import modals as m
from bots.slack.actions import MODAL_BUDGET, tell
from bots.slack.card_forms import Told
from bots.slack.people import language
from bots.slack.text import mrkdwn, plain
from core.conversation.engine import error_text
from core.errors import HelpdeskError
from core.i18n import t

log = logging.getLogger(__name__)


def refusal_view(text: str, lang: str) -> dict[str, Any]:
    """The form replaced by why it cannot go on (the ticket closed meanwhile, say)."""
    return {"type": "modal", "callback_id": af.CALLBACK,
            "title": plain(t("slack.modal.article.title", lang), 24),
            "close": plain(t("slack.modal.cancel", lang), 24),
            "blocks": [{"type": "section", "text": mrkdwn("⚠️ " + text)}]}


def register(app: AsyncApp, desk: Desk) -> None:
    """Wire the form's select and submission (before actions.register's md.* listener)."""

    @app.action(af.PICK)
    async def on_pick(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                      action: dict[str, Any], client: AsyncWebClient) -> None:
        """An article picked: the form again, its preview that article's."""
        await ack()
        user, view = body["user"]["id"], body.get("view") or {}
        meta = view.get("private_metadata", "")
        tid, channel, thread = m.parse_meta(meta)
        if tid is None or not view.get("id"):
            return
        value = (action.get("selected_option") or {}).get("value") or ""
        try:
            again = await desk.acall(af.form, user, tid, channel, thread, value or None,
                                     m.after_in(meta))
        except HelpdeskError as err:
            again = refusal_view(error_text(err, lang := await language(desk, user)), lang)
        try:
            await client.views_update(view_id=view["id"], hash=view.get("hash"), view=again)
        except SlackApiError as exc:  # hash_conflict: a later pick drew it already
            log.info("article preview not redrawn: %s", exc.response.get("error"))

    @app.options(af.PICK)
    async def on_search(ack: Callable[..., Awaitable[Any]], body: dict[str, Any]) -> None:
        """Words typed in a long base's select: the articles they find."""
        tid = b.ticket_of_block(body.get("block_id", ""))
        found: dict[str, Any] = {"options": []}
        if tid is not None:
            with contextlib.suppress(HelpdeskError):  # not an agent, or the ticket closed
                found = await desk.acall(af.choices, body["user"]["id"], tid,
                                         str(body.get("value") or "")[:200])
        await ack(**found)

    @app.view(af.CALLBACK)
    async def on_submit(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                        view: dict[str, Any], client: AsyncWebClient) -> None:
        """The article sent; a refusal shown under the select, the form kept open."""
        user = body["user"]["id"]
        meta = view.get("private_metadata", "")
        tid, channel, thread = m.parse_meta(meta)
        where, drawn, value = af.picked_in(view.get("state", {}).get("values", {}))
        if where is None or tid is None:  # not a form this app drew
            await ack()
            await tell(client, user, t("slack.modal.stale", await language(desk, user)),
                       channel, thread)
            return
        trigger = body.get("trigger_id")
        job = asyncio.ensure_future(desk.acall(
            af.send, f"view:{trigger}" if trigger else None, user, tid, drawn, value or "",
            m.after_in(meta)))
        try:
            outcome = await asyncio.wait_for(asyncio.shield(job), MODAL_BUDGET)
        except TimeoutError:
            await ack()  # slow database: answer Slack now, report the outcome later
        except HelpdeskError as err:
            await ack(response_action="errors",
                      errors={where: error_text(err, await language(desk, user))})
            return
        else:
            await ack()
            if isinstance(outcome, Told):
                await tell(client, user, outcome.text, channel, thread)
            return
        try:
            outcome = await job
        except HelpdeskError as err:  # the form is closed: said where the agent was
            outcome = Told(error_text(err, await language(desk, user)))
        if isinstance(outcome, Told):
            await tell(client, user, outcome.text, channel, thread)
