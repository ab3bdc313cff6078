"""R7: people an agent mentions in what they type in Slack read by name wherever the words go
(the customer's e-mail, Telegram or DM, the ticket's history, the team's thread), never as
Slack ids ("<@UBRUNO>", "@UBRUNO")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_harness import DEV, TRIAGE, Scenario, SlackWorld
from test_slack_commands import answer, flat
from test_slack_cycle import modal, open_and_take, status_is

from core.models import EntryKind, Status
from core.outbox import Channel

TYPED = "<@UBRUNO> conferiu o XML com <@UFULANO|fulano> em <#C999>"
READ = "@Bruno Suporte conferiu o XML com @alguém em #canal"


async def entries(w: SlackWorld, ticket_id: int) -> list[Any]:
    """The ticket's history, internal notes included."""
    return await w.read(lambda uow: uow.entries.list(ticket_id, True))


def test_r7_mentions_in_the_solution_and_its_quote_reach_the_customer_by_name(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        await w.submit_view("UANA", view, f"{TYPED}; pode reenviar a nota.",
                            {"tk.origin": f"{ticket.id}:layout"},
                            {"quote": "2 h com <@UBRUNO>, R$ 300,00"})
        await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        rows = [m for m in await w.outbox() if m.kind == "ticket.approval_requested"
                and m.channel == Channel.EMAIL]
        assert rows[0].params["solution"] == f"{READ}; pode reenviar a nota."
        history = [e.text for e in await entries(w, ticket.id) if e.kind == EntryKind.PUBLIC]
        assert f"{READ}; pode reenviar a nota." in history
        stored = await w.ticket(ticket.id)
        assert stored.billing_quote == "2 h com @Bruno Suporte, R$ 300,00"

    run(scenario)


def test_r7_mentions_in_the_note_quote_and_development_forms_read_by_name(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.note", ticket.id, ts)
        await w.submit("UANA", "md.note", view["private_metadata"], TYPED)
        await w.until(lambda: _has(w, ticket.id, READ))
        view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
        await w.submit("UANA", "md.dev", view["private_metadata"], f"{TYPED} (dev)")
        await status_is(w, ticket.id, Status.IN_DEVELOPMENT)
        view = await modal(w, "UANA", "tk.dev_return", ticket.id, ts)
        await w.submit("UANA", "md.dev_return", view["private_metadata"],
                       "pacote 2026.11.3, testado por <@UBRUNO>")
        await status_is(w, ticket.id, Status.IN_PROGRESS)
        await w.deliver()
        said = " ".join(str(e.text) for e in await entries(w, ticket.id))
        said += " ".join(c["text"] for c in w.fake.thread(TRIAGE, ts))
        said += " ".join(str(c.get("blocks")) for c in w.fake.of("chat.postMessage")
                         if c["channel"] == DEV)
        assert f"{READ} (dev)" in said
        assert "testado por @Bruno Suporte" in said
        for raw in ("UBRUNO", "UFULANO", "C999"):
            assert raw not in said

    run(scenario)


async def _has(w: SlackWorld, ticket_id: int, text: str) -> bool:
    return any(text in (e.text or "") for e in await entries(w, ticket_id))


def test_r7_mentions_in_a_tramite_an_agent_writes_in_the_bots_dm_reach_the_customer_by_name(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        for text in ("oi", f"ticket {ticket.number}", "1", f"{TYPED}; pode reenviar a nota."):
            before = len(w.fake.of("chat.postMessage"))
            await w.dm("UANA", text)
            await w.until(lambda b=before: len(w.fake.of("chat.postMessage")) > b)
            await w.idle()

        async def emailed() -> list[Any]:
            return [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.channel == Channel.EMAIL]

        [row] = await w.until(emailed)
        assert row.params["text"] == f"{READ}; pode reenviar a nota."

    run(scenario)


def test_r8_a_search_for_a_mentioned_person_is_echoed_with_their_name(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        reply = flat(await answer(w, "UANA", "busca <@UCARLA>"))
        assert "@Carla Souza" in reply
        assert "UCARLA" not in reply

    run(scenario)
