"""R12 from Slack: the card's *Solução de contorno* sends the customer a workaround, told as
one with the definitive fix to follow; the ticket stays open, its card offering the solution
still, the workaround quoted in the card's thread."""

from __future__ import annotations

from collections.abc import Callable

from slack_harness import TRIAGE, Scenario, SlackWorld, card_fields
from test_slack_cycle import modal, open_and_take

from core.i18n import t
from core.models import Status

TEXT = "Emita em contingência (Fiscal / NF-e / Contingência) até a correção."


def test_r12_a_workaround_from_the_card_reaches_the_customer_and_keeps_the_ticket_open(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.workaround", ticket.id, ts)
        assert view["callback_id"] == "md.workaround"
        status, _ = await w.submit_view("UANA", view, TEXT)
        assert status == 200

        async def sent() -> object:
            stored = await w.ticket(ticket.id)
            return stored if stored.workaround_at is not None else None

        stored = await w.until(sent)
        assert (stored.status, stored.awaiting_since) == (Status.IN_PROGRESS, None)
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert log.startswith(t("notify.card.workaround", "pt_BR", actor="Ana Atendente"))
        assert TEXT in log
        told = [c["text"] for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"]
        assert any(TEXT in x and "solução de contorno" in x and "solução definitiva" in x
                   for x in told), told
        card = card_fields(w.fake.find(TRIAGE, ts) or {})
        assert "Em atendimento" in card
        assert "tk.approval" in card  # the definitive fix is still to be sent

    run(scenario)


def test_r12_the_workaround_form_sent_twice_reaches_the_customer_once(
        run: Callable[[Scenario], None]) -> None:
    """Ana pressed *Solução de contorno* twice and sent both forms with the same words (as
    the solution's form can be, refused then as sent already): Carla got the workaround
    twice. The second is told, in Ana's language, that it was sent already; other words in
    a second form are a new workaround, and go."""
    from test_slack_own_language import speaks

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        first, second = (await modal(w, "UANA", "tk.workaround", ticket.id, ts),
                         await modal(w, "UANA", "tk.workaround", ticket.id, ts))
        await w.core(speaks, w.ids["ana"])
        assert (await w.submit_view("UANA", first, TEXT))[0] == 200
        before = len(w.fake.of("chat.postEphemeral"))
        status, body = await w.submit_view("UANA", second, TEXT)
        assert (status, body) == (200, "")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral")[before:])
        assert told["text"] == t("error.workaround_already_sent", "en", number=ticket.number)

        async def notices() -> int:
            return len({m.params.get("solution") for m in await w.outbox()
                        if m.kind == "ticket.workaround" and m.channel == "slack"}), len(
                [m for m in await w.outbox()
                 if m.kind == "ticket.workaround" and m.channel == "slack"])

        assert await notices() == (1, 1)
        third = await modal(w, "UANA", "tk.workaround", ticket.id, ts)
        await w.submit_view("UANA", third, "Outra: use o PDV 2 por enquanto.")
        await w.idle()
        assert await notices() == (2, 2)

    run(scenario)
