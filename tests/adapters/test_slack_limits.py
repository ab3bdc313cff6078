"""Every message we post stays within what Slack takes: a section's 3 000 characters, a
message's 50 blocks and about 12 000 characters of blocks' text; what does not fit says where
the rest is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakes.slack_api import BLOCKS_TEXT
from slack_harness import DEV, Scenario, SlackWorld
from slack_sdk.errors import SlackApiError
from test_slack_cycle import open_and_take

from bots.slack.limits import text_size
from bots.slack.sections import text_blocks
from core.models import Entry, EntryKind
from core.services import handling

MORE = "O texto continua: escreva *ticket {number}* na conversa com o bot"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_the_fake_slack_refuses_what_slack_refuses(run: Callable[[Scenario], None]) -> None:
    """A section over 3 000 characters or 51 blocks: invalid_blocks; about 12 000 characters
    of blocks' text in all: msg_blocks_too_long; a text over 40 000: msg_too_long. So a test
    whose message Slack would refuse fails here too."""
    async def scenario(w: SlackWorld) -> None:
        async def refused(**message: Any) -> str:
            with pytest.raises(SlackApiError) as caught:
                await w.client.chat_postMessage(channel="CX", **message)
            return str(caught.value.response["error"])

        assert await refused(text="x", blocks=[section("x" * 3001)]) == "invalid_blocks"
        assert await refused(text="x", blocks=[section("x")] * 51) == "invalid_blocks"
        assert await refused(text="x", blocks=[section("x" * 2900)] * 5) == "msg_blocks_too_long"
        assert await refused(text="x" * 40_001) == "msg_too_long"
        await w.client.chat_postMessage(channel="CX", text="x",
                                        blocks=[section("x" * 3000)] * 3 + [section("x")] * 47)
        assert len(w.fake.messages("CX")) == 1

    run(scenario)


def test_a_plain_text_too_long_for_one_message_ends_saying_where_the_rest_is() -> None:
    """text_blocks put everything past 40 sections into one last section, over 3 000."""
    built = text_blocks("palavra " * 30_000, more="_veja o resto ali_")
    assert len(built) <= 50
    assert all(len(blk["text"]["text"]) <= 3000 for blk in built)
    assert text_size(built) <= BLOCKS_TEXT
    assert built[-1]["text"]["text"].endswith("palavra\n…\n_veja o resto ali_")


def test_r7_a_whole_thread_of_many_long_tramites_arrives_in_messages_slack_takes(
        run: Callable[[Scenario], None]) -> None:
    """'Ver o histórico completo' over 45 trâmites of ~2 900 characters: its blocks went in one
    message (over 12 000 characters; past 40 sections, one section of the rest, over 3 000) and
    Slack refused it whole. Now it goes in as many messages as it takes, each one Slack takes,
    cut between trâmites, every trâmite there, the buttons below the last."""
    words = " ".join(["confira"] * 300)

    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        ticket = await w.open_ticket()

        def add(uow: Any) -> None:
            for n in range(45):
                author, text = (w.ids["ana"], f"**Passo {n}**: {words}") if n % 2 else \
                    (w.ids["carla"], f"Resposta {n}: {words}")
                uow.entries.add(Entry(ticket_id=ticket.id, author_id=author, text=text,
                                      created_at=w.now, kind=EntryKind.PUBLIC))
        await w.read(add)
        await w.dm("UCARLA", f"ticket {ticket.number}")
        page = await w.until(lambda: next((m for m in w.fake.messages(dm)
                                           if f"Ticket {ticket.number}" in m["text"]), None))
        whole = next(el for blk in page["blocks"] if blk["type"] == "actions"
                     for el in blk["elements"] if el["text"]["text"].startswith("Ver o hist"))
        before = len(w.fake.messages(dm))
        await w.click("UCARLA", whole["action_id"], whole["value"], channel=dm,
                      message_ts=page["ts"])
        await w.until(lambda: any(blk["type"] == "actions" for m in w.fake.messages(dm)[before:]
                                  for blk in m["blocks"]))
        thread = w.fake.messages(dm)[before:]
        assert len(thread) >= 4
        for message in thread:
            assert len(message["blocks"]) <= 50
            assert text_size(message["blocks"]) <= BLOCKS_TEXT
            assert message["text"]
        assert [any(blk["type"] == "actions" for blk in m["blocks"]) for m in thread] == \
            [False] * (len(thread) - 1) + [True]
        shown = "\n".join(blk["text"]["text"] for m in thread for blk in m["blocks"]
                          if blk["type"] == "section")
        for n in range(45):
            assert (f"*Passo {n}*: " if n % 2 else f"Resposta {n}: ") + words in shown

    run(scenario)


def test_r15_a_note_too_long_for_the_development_post_says_where_the_rest_is(
        run: Callable[[Scenario], None]) -> None:
    """A pasted log of 20 000 characters as the note: the post took it whole, in sections
    over 12 000 characters, and Slack refused the post. Now it shows what fits, then '…' and
    where to read the rest (the ticket's whole history, in a chat with the bot)."""
    async def scenario(w: SlackWorld) -> None:
        ticket, _ = await open_and_take(w)
        note = "\n".join(f"linha {i:04d} do log: erro na nota" for i in range(600))
        await w.core(handling.forward_to_development, w.ids["ana"], ticket.id, note)
        await w.deliver()
        [post] = w.fake.messages(DEV)
        assert text_size(post["blocks"]) <= BLOCKS_TEXT
        texts = [blk["text"]["text"] for blk in post["blocks"] if "text" in blk
                 and blk["text"]["text"].startswith("> linha")]
        assert len(texts) >= 2
        assert "> linha 0000 do log: erro na nota\n" in texts[0]
        assert "\n…\n_" + MORE.format(number=ticket.number) in texts[-1]

    run(scenario)
