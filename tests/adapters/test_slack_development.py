"""R15 in Slack: the development channel's post follows the ticket."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_harness import DEV, TRIAGE, Scenario, SlackWorld, card_fields
from test_slack_cycle import modal, open_and_take, status_is

from bots.delivery.results import RetryAfter
from core.models import Status
from core.services import closing, handling


async def in_development(w: SlackWorld, note: str = "Erro no cálculo do ICMS-ST"
                         ) -> tuple[Any, str, str]:
    """A ticket Ana took and sent to development through the card: (ticket, card ts, post ts)."""
    ticket, ts = await open_and_take(w)
    view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
    await w.submit("UANA", "md.dev", view["private_metadata"], note)
    await status_is(w, ticket.id, Status.IN_DEVELOPMENT)
    await w.deliver()
    [post] = w.fake.messages(DEV)
    assert "Em desenvolvimento" in card_fields(post)
    return ticket, ts, post["ts"]




def test_r15_the_development_post_shows_the_return_and_then_the_close(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        view = await modal(w, "UANA", "tk.dev_return", ticket.id, ts)
        await w.submit("UANA", "md.dev_return", view["private_metadata"], "pacote-2026.11.3")
        await status_is(w, ticket.id, Status.IN_PROGRESS)
        await w.deliver()
        assert len(w.fake.messages(DEV)) == 1, "the post is updated, not posted again"
        post = w.fake.find(DEV, post_ts) or {}
        shown = card_fields(post)
        assert "Em desenvolvimento" not in shown
        assert "Em atendimento" in shown
        assert "Saiu do desenvolvimento" in shown
        assert "Ana Atendente" in shown  # who sent it, and why, stay
        assert "Erro no cálculo do ICMS-ST" in shown
        assert "[Em atendimento]" in post["text"]
        assert "tk." not in shown, "developers get no buttons"
        assert "pacote-2026.11.3" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Pacote aplicado.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        await w.deliver()
        shown = card_fields(w.fake.find(DEV, post_ts))
        assert "Encerrado" in shown
        assert "Em atendimento" not in shown

    run(scenario)


def test_r15_r18_a_ticket_rejected_while_in_development_says_so_in_the_post(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        original = await w.open_ticket(assunto="Erro no ICMS-ST (primeiro)")
        ticket, ts, post_ts = await in_development(w)
        await w.core(handling.reject_duplicate, w.ids["ana"], ticket.id, original.number)
        await w.deliver()
        shown = card_fields(w.fake.find(DEV, post_ts))
        assert "Rejeitado" in shown
        assert "Em desenvolvimento" not in shown

    run(scenario)


def test_r15_a_development_post_deleted_in_slack_does_not_hold_the_triage_thread(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        w.fake.channels[DEV].clear()  # a developer tidied the channel
        view = await modal(w, "UANA", "tk.dev_return", ticket.id, ts)
        await w.submit("UANA", "md.dev_return", view["private_metadata"], "pacote-2026.11.3")
        await status_is(w, ticket.id, Status.IN_PROGRESS)
        await w.deliver()
        assert "pacote-2026.11.3" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "Em atendimento" in card_fields(w.fake.find(TRIAGE, ts))
        assert w.fake.messages(DEV) == [], "a deleted post is not posted again"

    run(scenario)


def test_r15_slack_limiting_the_post_update_holds_the_row_and_the_thread_line_goes_once(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        await w.core(handling.return_from_development, w.ids["ana"], ticket.id, "pacote-9")
        w.fake.fail("chat.update", body={"ok": True, "channel": TRIAGE, "ts": ts})  # the card
        w.fake.fail("chat.update", status=429, headers={"Retry-After": "3"},
                    body={"ok": False, "error": "ratelimited"})
        await w.deliver()
        [held] = [r for m, r in w.results if m.kind == "card" and m.params["event"] == "returned"]
        assert isinstance(held, RetryAfter)
        assert held.seconds == 3
        assert not [m for m in w.fake.thread(TRIAGE, ts) if "pacote-9" in m["text"]]
        await w.deliver()
        assert len([m for m in w.fake.thread(TRIAGE, ts) if "pacote-9" in m["text"]]) == 1
        assert "Saiu do desenvolvimento" in card_fields(w.fake.find(DEV, post_ts))

    run(scenario)
