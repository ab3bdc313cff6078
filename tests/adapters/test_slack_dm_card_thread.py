"""A reply in the thread of a ticket's card that Abrir posted in an agent's DM with the bot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld
from test_slack_card import _changed
from test_slack_lists import home_blocks, open_button, press

from core.i18n import t
from core.services import handling


async def dm_card(w: SlackWorld, user: str, number: str) -> str:
    """Abrir on the user's App Home: the ts of the card it posts in their DM."""
    home = await home_blocks(w, user)
    channel = "D" + user.removeprefix("U")
    before = len(w.fake.messages(channel))
    await press(w, user, open_button(home, number), home=True)
    [card] = await w.until(lambda: w.fake.messages(channel)[before:])
    return str(card["ts"])


async def in_thread(w: SlackWorld, user: str, thread_ts: str, text: str) -> None:
    channel = "D" + user.removeprefix("U")
    await w.event({"type": "message", "channel": channel, "user": user, "text": text,
                   "ts": f"1700000900.{len(w.fake.of('chat.postMessage')):06d}",
                   "thread_ts": thread_ts, "channel_type": "im"})


def test_r7_an_answer_in_the_thread_of_the_card_abrir_put_in_the_dm_reaches_the_customer(
        run: Callable[[Scenario], None]) -> None:
    """Ana opened her ticket from the App Home: its card came to her DM with the bot, like
    the triage channel's, and she answered Carla in its thread. The chat read her answer as a
    search ('Busca: Carla, pode enviar…', 'Nenhum ticket aqui.') at the top of the DM, and
    Carla got nothing. It is an answer on that ticket, as in the triage thread: Carla gets it,
    the team reads it in the card's thread there; '!nota' is a note; action words act."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        triage_ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        ts = await dm_card(w, "UANA", ticket.number)
        chat = len(w.fake.messages("DANA"))
        await in_thread(w, "UANA", ts, "Carla, pode enviar o XML da nota?")

        async def to_carla() -> list[Any]:
            return [m.params["text"] for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.target == "user:UCARLA"]

        assert await w.until(to_carla) == ["Carla, pode enviar o XML da nota?"]
        await w.until(lambda: w.fake.of("reactions.add"))
        await in_thread(w, "UANA", ts, "!nota ela já ligou")
        await in_thread(w, "UANA", ts, "repassa pro Bruno")

        async def handed() -> Any:
            return (await w.ticket(ticket.id)).assignee_id == w.ids["bruno"]

        await w.until(handed)
        await w.idle()
        await w.deliver()
        assert w.fake.messages("DANA")[chat:] == []  # the chat did not answer
        log = [m["text"] for m in w.fake.thread(TRIAGE, triage_ts)]
        assert any("Carla, pode enviar o XML da nota?" in line for line in log), log
        assert any("ela já ligou" in line for line in log), log
        assert await to_carla() == ["Carla, pode enviar o XML da nota?"]

    run(scenario)


def test_r7_a_customers_answer_in_the_thread_of_her_tickets_card_is_her_tramite(
        run: Callable[[Scenario], None]) -> None:
    """Carla opened her ticket from the App Home and wrote in its card's thread: the chat
    offered her words as a new ticket's description. They are her trâmite on that ticket: Ana,
    who has it, and the team's thread read them."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        triage_ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.deliver()
        ts = await dm_card(w, "UCARLA", ticket.number)
        chat = len(w.fake.messages("DCARLA"))
        await in_thread(w, "UCARLA", ts, "O erro voltou hoje, mesmo pedido")

        async def customer_said() -> list[Any]:
            return [m.target for m in await w.outbox()
                    if m.kind in ("ticket.tramite", "agent.customer_replied")
                    and m.params.get("text") == "O erro voltou hoje, mesmo pedido"]

        assert "user:UANA" in await w.until(customer_said)
        await w.until(lambda: w.fake.of("reactions.add"))
        await w.idle()
        await w.deliver()
        assert w.fake.messages("DCARLA")[chat:] == []  # no new ticket offered
        assert any("O erro voltou hoje" in m["text"] for m in w.fake.thread(TRIAGE, triage_ts))

    run(scenario)


def test_r7_an_agent_who_edits_her_answer_on_the_card_in_her_dm_is_told_the_customer_keeps_it(
        run: Callable[[Scenario], None]) -> None:
    """Ana edited the answer she wrote in the thread of the card in her DM: she was told, at
    the DM's top, that edits do not reach the 'atendimento'. As in the triage thread: in the
    thread, that the customer keeps the original."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        ts = await dm_card(w, "UANA", ticket.number)
        await in_thread(w, "UANA", ts, "Carla, pode enviar o XML?")
        [reaction] = await w.until(lambda: w.fake.of("reactions.add"))
        await w.event(_changed("DANA", "UANA", reaction["timestamp"], "Carla, pode enviar o XML?",
                               "Carla, pode enviar o XML e o PDF?", thread_ts=ts,
                               channel_type="im"))
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert (told["text"], told.get("thread_ts")) == (t("slack.edited_reply"), ts)

    run(scenario)
