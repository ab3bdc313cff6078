"""An agent's day in Slack: the loose ends an agent trips on (a colleague's ticket asked for,
an old card clicked, a note's files)."""

from __future__ import annotations

from collections.abc import Callable

from slack_harness import Scenario, SlackWorld
from test_slack_commands import answer, flat

from core.i18n import t
from core.services import handling


def test_r6_ticket_assumir_on_a_colleagues_ticket_shows_its_card_to_hand_it_on(
        run: Callable[[Scenario], None]) -> None:
    """/ticket assumir 1 on the ticket Bruno holds said 'use Repassar para…' and nothing to
    use it with: the refusal now comes with the ticket's card, its Repassar select there;
    one already hers too. Nothing is taken."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        reply = await answer(w, "UANA", "assumir 1")
        said = flat(reply)
        assert t("error.taken_by_other", number=ticket.number,
                 assignee="Bruno Suporte").replace('"', '\\"') in said
        assert "tk.assign" in said
        assert reply["response_type"] == "ephemeral"
        assert (await w.ticket(ticket.id)).assignee_id == w.ids["bruno"]
        reply = await answer(w, "UBRUNO", f"assumir {ticket.number}")
        said = flat(reply)
        assert t("error.already_yours", number=ticket.number).replace('"', '\\"') in said
        assert "tk.assign" in said

    run(scenario)
