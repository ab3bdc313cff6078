"""R20 in a Slack DM: feedback typed at the rating is kept as its comment, and the comment
reaches the team on the ticket's card and in its thread."""

from __future__ import annotations

import json
from collections.abc import Callable

from slack_harness import TRIAGE, Scenario, SlackWorld
from test_slack_commands import buttons, last_prompt, press, say

from core.i18n import t
from core.models import Rating
from core.services import closing, handling


async def at_rating(w: SlackWorld) -> tuple[object, str]:
    """Carla's DM at the rating question of her ticket, Ana's solution approved."""
    ticket = await w.open_ticket()
    await w.deliver()
    ts = await w.card_ts(ticket.id)
    await w.core(handling.take, w.ids["ana"], ticket.id)
    await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                 "Ajustamos o CFOP da operação; reenvie a nota.", origin_id="erro_sistema")
    await w.deliver()
    await press(w, "UCARLA", "DCARLA", "Aprovar")
    return ticket, ts


def test_r20_feedback_typed_in_the_dm_is_the_ratings_comment_on_the_card_and_thread(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await at_rating(w)
        await say(w, "UCARLA", "DCARLA", "demorou muito, mas resolveu")
        asked = last_prompt(w, "DCARLA")
        assert t("conv.closing.comment_held", comment="demorou muito, mas resolveu") \
            in json.dumps(asked, ensure_ascii=False)
        await press(w, "UCARLA", "DCARLA", "Regular")
        stored = await w.ticket(ticket.id)
        assert (stored.rating, stored.rating_comment) == (Rating.FAIR,
                                                          "demorou muito, mas resolveu")
        await w.deliver()
        card = json.dumps(w.fake.find(TRIAGE, ts), ensure_ascii=False)
        assert t("slack.card.rating_comment", text="demorou muito, mas resolveu") in card
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "Regular" in log
        assert "demorou muito, mas resolveu" in log

    run(scenario)


def test_r20_after_a_button_the_dm_offers_a_comment_once(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await at_rating(w)
        await press(w, "UCARLA", "DCARLA", "Ruim")
        asked = last_prompt(w, "DCARLA")
        assert [b["text"]["text"] for b in buttons(asked)] == [t("conv.closing.no_comment")]
        await say(w, "UCARLA", "DCARLA", "O técnico não conhecia o módulo fiscal")
        stored = await w.ticket(ticket.id)
        assert (stored.rating, stored.rating_comment) == (
            Rating.POOR, "O técnico não conhecia o módulo fiscal")
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "O técnico não conhecia o módulo fiscal" in log

    run(scenario)
