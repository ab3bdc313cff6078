"""Forged, stale, huge or garbled Slack payloads: each is refused in words the person reads,
what they typed stays where they typed it, and no other ticket, person or chat is touched."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld

from core.i18n import t


async def posted_card(w: SlackWorld, **fields: Any) -> tuple[Any, str]:
    """A ticket whose card is in the triage channel."""
    ticket = await w.open_ticket(**fields)
    await w.deliver()
    return ticket, await w.card_ts(ticket.id)


def test_a_modal_with_garbled_private_metadata_says_so_and_keeps_the_text_typed(
        run: Callable[[Scenario], None]) -> None:
    """Metadata that names no ticket (garbage, empty, an id beyond any integer column) was a
    500: Slack showed only its own 'trouble connecting' and the note was lost with the modal."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        for meta in ("abc", "", "|||", "99999999999999999999|C|1", f"{ticket.id}x|{TRIAGE}"):
            status, body = await w.submit("UANA", "md.note", meta, "Cliente ligou às 10h")
            assert status == 200, meta
            answer = json.loads(body)
            assert answer["response_action"] == "errors"  # the modal stays open, text in it
            assert answer["errors"]["input"] == t("slack.modal.stale"), meta
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert not [e for e in entries if "Cliente ligou" in e.text]

    run(scenario)


def test_a_button_naming_an_id_beyond_any_ticket_gets_a_clear_refusal(
        run: Callable[[Scenario], None]) -> None:
    """An id too large for the database failed inside it: the agent was told nothing."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.click("UANA", "tk.take", "99999999999999999999", message_ts=ts)
        await w.click("UANA", "tk.note", "99999999999", message_ts=ts)
        refusals = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                                 and w.fake.of("chat.postEphemeral"))
        assert [r["text"] for r in refusals] == [t("error.ticket_not_found")] * 2
        assert not w.fake.of("views.open")

    run(scenario)
