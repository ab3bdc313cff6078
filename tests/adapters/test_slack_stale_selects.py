"""R12, R22: Prioridade… and Classificar origem… on a card drawn before the ticket changed.

Ana's /ticket NÚMERO card (drawn for her alone, no sender updates it) showed the ticket at
Padrão with no origin. Bruno made it critical (área parada) and classified it meanwhile; Ana
picked "Crítico: obrigação acessória" and another origin on her old card: both went through,
Bruno's choices overwritten without Ana ever seeing them (and the customer told a new prazo,
or asked to authorize a charge). On a ticket closed since, the origin picked on the old card
reclassified it. As Repassar para… does (handling.assign's drawn holder), the select's option
carries what the card showed: changed since, nothing is done, Ana is told what it is now and
her card redrawn; picked again on the card as it is now, it goes, on purpose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakes.slack_api import TEAM
from slack_harness import Scenario, SlackWorld
from test_slack_commands import answer

from core.i18n import label, t
from core.models import CriticalReason, Priority, Status
from core.services import billing, closing, handling
from core.services.reference import load_coverage


def _options(card: dict[str, Any], action_id: str) -> dict[str, str]:
    """A select's options on a drawn card: the label → the option's value."""
    return {o["text"]["text"]: o["value"] for blk in card["blocks"] if blk["type"] == "actions"
            for el in blk["elements"] if el.get("action_id") == action_id
            for o in el["options"]}


async def _pick(w: SlackWorld, ticket_id: int, action_id: str, value: str, key: str,
                user: str = "UANA") -> Any:
    """The agent picks an option on the card /ticket NÚMERO showed them; what she is told."""
    told = len(w.fake.of("chat.postEphemeral"))
    payload = {
        "type": "block_actions", "user": {"id": user, "team_id": TEAM},
        "team": {"id": TEAM}, "api_app_id": "AHELP", "trigger_id": f"tr-{key}",
        "channel": {"id": "CGERAL"},
        "container": {"type": "message", "message_ts": "1700000400.000001",
                      "channel_id": "CGERAL", "is_ephemeral": True},
        "response_url": w.fake.response_url(key),
        "actions": [{"action_id": action_id, "block_id": f"card.0.{ticket_id}",
                     "type": "static_select", "action_ts": "1",
                     "selected_option": {"value": value,
                                         "text": {"type": "plain_text", "text": "x"}}}],
    }
    status, _ = await w.interactive(payload)
    assert status == 200
    [redrawn] = await w.until(lambda: [c.args for c in w.fake.calls
                                       if c.method == f"response_url:{key}"])
    return redrawn, w.fake.of("chat.postEphemeral")[told:]


def test_r12_prioridade_on_a_card_drawn_before_a_colleague_changed_it_changes_nothing(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        drawn = _options(await answer(w, "UANA", ticket.number), "tk.priority")
        await w.core(handling.set_priority, w.ids["bruno"], ticket.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        tax = next(v for k, v in drawn.items() if "obrigação acessória" in k.lower())
        redrawn, told = await _pick(w, ticket.id, "tk.priority", tax, "stale")
        assert [(m["user"], m["text"]) for m in told] == [
            ("UANA", t("slack.refuse.priority_changed", number=ticket.number,
                       priority="Crítico: " + label("critical_reason",
                                                    CriticalReason.AREA_STOPPED)))]
        stored = await w.ticket(ticket.id)
        assert (stored.priority, stored.critical_reason) == (Priority.CRITICAL,
                                                             CriticalReason.AREA_STOPPED)
        now = _options(redrawn, "tk.priority")
        tax = next(v for k, v in now.items() if "obrigação acessória" in k.lower())
        await _pick(w, ticket.id, "tk.priority", tax, "again")
        stored = await w.ticket(ticket.id)
        assert stored.critical_reason == CriticalReason.TAX_DEADLINE

    run(scenario)


def test_r22_classificar_origem_on_a_card_drawn_before_a_colleague_classified_it_or_it_closed(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        drawn = _options(await answer(w, "UANA", ticket.number), "tk.origin")
        layout = next(v for k, v in drawn.items() if ":layout" in v)
        await w.core(billing.classify_origin, w.ids["bruno"], ticket.id, "instrucao")
        redrawn, told = await _pick(w, ticket.id, "tk.origin", layout, "stale")
        assert [m["text"] for m in told] == [t("slack.refuse.origin_changed",
                                               number=ticket.number,
                                               origin=await w.read(
                                                   lambda uow: load_coverage(uow).origin(
                                                       "instrucao").label))]
        stored = await w.ticket(ticket.id)
        assert (stored.origin, stored.billable) == ("instrucao", False)
        assert not [m for m in await w.outbox() if m.kind == "ticket.billing_prompt"]
        now = _options(redrawn, "tk.origin")
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Ajustado.",
                     "instrucao")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        error = next(v for v in now.values() if ":erro_sistema" in v)
        _, told = await _pick(w, ticket.id, "tk.origin", error, "closed")
        assert [m["text"] for m in told] == [t("slack.refuse.card_closed", number=ticket.number,
                                               status=label("status", Status.CLOSED))]
        assert (await w.ticket(ticket.id)).origin == "instrucao"

    run(scenario)

