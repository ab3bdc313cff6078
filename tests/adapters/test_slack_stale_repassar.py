"""R6: "Repassar para…" on a card drawn before a colleague took the ticket moves nothing.

Ana's /ticket NÚMERO card (drawn for her alone, no sender updates it) showed the ticket Novo,
nobody responsible; Bruno took it meanwhile and was working on it. Ana picked Dora under
"Repassar para…" on that card: the ticket went to Dora as Repassada, taken from Bruno without
Ana ever seeing he had it. As Assumir on a stale card (fca30d1), the pick carries who had the
ticket when the card was drawn; changed hands since, Ana is told who has it now and her card
is redrawn. Picked again on the card as it is now, it goes, on purpose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakes.slack_api import TEAM
from slack_harness import Scenario, SlackWorld
from test_slack_commands import answer, flat

from core.i18n import t
from core.models import Status
from core.services import handling


def _assign_values(card: dict[str, Any]) -> dict[str, str]:
    """The Repassar options of a drawn card: the agent's name → the option's value."""
    return {o["text"]["text"]: o["value"] for blk in card["blocks"] if blk["type"] == "actions"
            for el in blk["elements"] if el.get("action_id") == "tk.assign"
            for o in el["options"]}


async def _pick(w: SlackWorld, ticket_id: int, value: str, key: str) -> None:
    """Ana picks an option of Repassar on the card /ticket NÚMERO showed her."""
    payload = {
        "type": "block_actions", "user": {"id": "UANA", "team_id": TEAM},
        "team": {"id": TEAM}, "api_app_id": "AHELP", "trigger_id": f"tr-{key}",
        "channel": {"id": "CGERAL"},
        "container": {"type": "message", "message_ts": "1700000400.000001",
                      "channel_id": "CGERAL", "is_ephemeral": True},
        "response_url": w.fake.response_url(key),
        "actions": [{"action_id": "tk.assign", "block_id": f"card.0.{ticket_id}",
                     "type": "static_select", "action_ts": "1",
                     "selected_option": {"value": value,
                                         "text": {"type": "plain_text", "text": "Dora"}}}],
    }
    status, _ = await w.interactive(payload)
    assert status == 200


def test_r6_repassar_on_a_card_drawn_before_a_colleague_took_the_ticket_moves_nothing(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        drawn = _assign_values(await answer(w, "UANA", ticket.number))
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        told = len(w.fake.of("chat.postEphemeral"))
        await _pick(w, ticket.id, drawn["Dora Semslack"], "stale")
        [refusal] = await w.until(lambda: w.fake.of("chat.postEphemeral")[told:])
        assert refusal["user"] == "UANA"
        assert refusal["text"] == t("error.changed_hands", number=ticket.number,
                                    assignee="Bruno Suporte")
        [redrawn] = await w.until(lambda: [c.args for c in w.fake.calls
                                           if c.method == "response_url:stale"])
        assert redrawn["replace_original"] is True
        assert "Bruno Suporte" in flat(redrawn)
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["bruno"])
        assert not [m for m in await w.outbox() if m.kind == "agent.reassigned"]
        now = _assign_values(redrawn)
        await _pick(w, ticket.id, now["Dora Semslack"], "again")
        await w.until(lambda: [c for c in w.fake.calls if c.method == "response_url:again"])
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.ASSIGNED, w.ids["dora"])

    run(scenario)


def test_r6_repassar_on_a_card_drawn_before_a_colleague_sent_the_ticket_to_triage_moves_nothing(
        run: Callable[[Scenario], None]) -> None:
    """Nobody held the Novo ticket when Ana's card was drawn; Bruno sent it to Em estimativa
    without taking it. Dora picked on Ana's old card does not hand it on out of triage unseen:
    Ana is told it is Em estimativa now, nothing changes, her card is redrawn."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        drawn = _assign_values(await answer(w, "UANA", ticket.number))
        await w.core(handling.move_to_estimate, w.ids["bruno"], ticket.id)
        told = len(w.fake.of("chat.postEphemeral"))
        await _pick(w, ticket.id, drawn["Dora Semslack"], "stale")
        [refusal] = await w.until(lambda: w.fake.of("chat.postEphemeral")[told:])
        assert refusal["user"] == "UANA"
        assert refusal["text"] == t("slack.refuse.card_moved", number=ticket.number,
                                    status=t("status.em_estimativa"))
        await w.until(lambda: [c for c in w.fake.calls if c.method == "response_url:stale"])
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.ESTIMATE, None)
        assert not [m for m in await w.outbox() if m.kind == "agent.reassigned"]

    run(scenario)
