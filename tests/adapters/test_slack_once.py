"""A Slack post whose first attempt reached Slack, though we never recorded it, is not posted
again: the real dispatcher and sender, the fake Slack, faults in the line and the database."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from fakes.delivery_world import dispatcher
from slack_harness import DEV, TRIAGE, Scenario, SlackWorld
from sqlalchemy import text

from bots.delivery.results import Result, RetryAfter, Sent
from bots.slack import once
from bots.slack.sender import SlackSender
from core.outbox import Channel, DeliveryStatus
from core.services import closing, handling, tramites
from storage.outbox_sql import OutboxQueue

NO_CARD = {
    "sqlite": ["CREATE TRIGGER no_card BEFORE INSERT ON slack_cards "
               "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"],
    "postgresql": ["CREATE FUNCTION no_card() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'disk I/O error'; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER no_card BEFORE INSERT ON slack_cards "
                   "FOR EACH ROW EXECUTE FUNCTION no_card()"],
}
CARD_BACK = {"sqlite": ["DROP TRIGGER no_card"],
             "postgresql": ["DROP TRIGGER no_card ON slack_cards", "DROP FUNCTION no_card()"]}


def top_level(w: SlackWorld) -> list[dict[str, Any]]:
    """The triage channel's own messages (the cards), not their threads' replies."""
    return [m for m in w.fake.messages(TRIAGE) if m.get("thread_ts") is None]


async def slack_rows_done(w: SlackWorld) -> bool:
    """Every Slack row delivered or given up."""
    return all(m.status != DeliveryStatus.PENDING for m in await w.outbox()
               if m.channel == Channel.SLACK)


@contextlib.asynccontextmanager
async def delivering(w: SlackWorld) -> AsyncIterator[None]:
    """The real dispatcher over the world's sender, retrying within a fraction of a second."""
    running = dispatcher(w.desk, {"slack": w.sender})
    await running.start()
    try:
        yield
    finally:
        await running.stop()


def sql(w: SlackWorld, statements: dict[str, list[str]]) -> None:
    """Run DDL on the world's database, in its own connection."""
    engine = w.store.engine
    with engine.begin() as conn:
        for statement in statements[engine.dialect.name]:
            conn.execute(text(statement))


def test_a_card_whose_answer_was_lost_is_not_posted_again(
        run: Callable[[Scenario], None]) -> None:
    """Slack posted the card, the connection dropped before its answer was read: the row is
    retried and finds the card it posted, so the triage channel holds it once."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)  # the dispatcher gives up on rows older than 72 h
        w.fake.cut("chat.postMessage", channel=TRIAGE)
        ticket = await w.open_ticket()
        async with delivering(w):
            await w.until(lambda: slack_rows_done(w))
        cards = top_level(w)
        assert len(cards) == 1, [c["ts"] for c in cards]
        assert await w.card_ts(ticket.id) == cards[0]["ts"]
        assert not w.fake.cuts
        assert cards[0]["metadata"] == {"event_type": once.EVENT, "event_payload": {
            "outbox": cards[0]["metadata"]["event_payload"]["outbox"], "part": "card",
            "ticket": ticket.id}}
        looked = w.fake.of("conversations.history")
        assert len(looked) == 1  # the retry only: the other rows went at their first attempt
        assert looked[0]["include_all_metadata"] in ("1", "true")

    run(scenario)


def test_a_card_whose_record_failed_is_not_posted_again(
        run: Callable[[Scenario], None]) -> None:
    """Slack posted the card, saving its ts failed in the database (a trigger refuses it): once
    the database takes it again, the retry records the card already posted."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        await w.desk.run_sync(sql, w, NO_CARD)
        ticket = await w.open_ticket()

        async def refused() -> bool:
            rows = [m for m in await w.outbox() if m.target == "triage"]
            return bool(top_level(w)) and any(m.last_error for m in rows)

        async with delivering(w):
            await w.until(refused)
            await w.desk.run_sync(sql, w, CARD_BACK)
            await w.until(lambda: slack_rows_done(w))
        cards = top_level(w)
        assert len(cards) == 1, [c["ts"] for c in cards]
        assert await w.card_ts(ticket.id) == cards[0]["ts"]

    run(scenario)


def test_a_thread_line_whose_answer_was_lost_is_not_posted_again(
        run: Callable[[Scenario], None]) -> None:
    """The same for a line in a card's thread: the retry finds it with conversations.replies."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        ticket = await w.open_ticket()
        async with delivering(w):
            await w.until(lambda: slack_rows_done(w))
            ts = await w.card_ts(ticket.id)
            assert not w.fake.of("conversations.history")  # nothing lost: no lookup
            before = len(w.fake.thread(TRIAGE, ts))
            w.fake.cut("chat.postMessage", channel=TRIAGE)
            await w.core(handling.take, w.ids["ana"], ticket.id)
            await w.until(lambda: not w.fake.cuts and slack_rows_done(w))
            await w.until(lambda: slack_rows_done(w))
        lines = [m["text"] for m in w.fake.thread(TRIAGE, ts)]
        assert len(lines) > before
        assert len(lines) == len(set(lines)), lines
        assert len(top_level(w)) == 1
        assert [c["ts"] for c in w.fake.of("conversations.replies")] == [ts]
        assert not w.fake.of("conversations.history")

    run(scenario)


def test_a_lookup_slack_limits_holds_its_row_alone_and_one_it_cannot_make_posts(
        run: Callable[[Scenario], None]) -> None:
    """conversations.history has its own, lower limit (1 a minute for apps outside the
    Marketplace): a 429 there holds this row for the time asked, not the channel's posts. A
    lookup Slack refuses (a missing history scope) does not hold the card back: it is posted."""
    async def scenario(w: SlackWorld) -> None:
        await w.open_ticket()
        row = next(m for m in await w.outbox() if m.target == "triage")
        again = row.model_copy(update={"attempts": 2})
        w.fake.fail("conversations.history", status=429, headers={"Retry-After": "30"},
                    body={"ok": False, "error": "ratelimited"})
        result = await w.sender.send(again)
        assert isinstance(result, RetryAfter)
        assert (result.seconds, result.channel_wide) == (30.0, False)
        assert result.error == "o Slack limitou a busca da mensagem talvez já postada (slack " \
            "rate limited (ratelimited))"
        assert not top_level(w)
        w.fake.fail("conversations.history", body={"ok": False, "error": "missing_scope"})
        assert isinstance(await w.sender.send(again), Sent)
        assert len(top_level(w)) == 1
        assert len(w.fake.of("conversations.history")) == 2

    run(scenario)


def test_a_direct_message_whose_answer_was_lost_is_not_posted_again(
        run: Callable[[Scenario], None]) -> None:
    """The same for a DM (an agent told of a ticket assigned to them): found in the DM."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        ticket = await w.open_ticket()
        w.fake.cut("chat.postMessage", channel="DBRUNO")
        await w.core(handling.assign, w.ids["ana"], ticket.id, w.ids["bruno"])
        async with delivering(w):
            await w.until(lambda: not w.fake.cuts and slack_rows_done(w))
        texts = [m["text"] for m in w.fake.messages("DBRUNO")]
        assert len(texts) == 1, texts
        assert [c["channel"] for c in w.fake.of("conversations.history")] == ["DBRUNO"]

    run(scenario)


def test_a_development_post_and_its_line_whose_answers_were_lost_go_once(
        run: Callable[[Scenario], None]) -> None:
    """The same in the development channel (R15): the post recorded once, found again by its
    row; then a note's line in its thread."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        w.fake.cut("chat.postMessage", channel=DEV)
        await w.core(handling.forward_to_development, w.ids["ana"], ticket.id, "ICMS-ST")
        async with delivering(w):
            await w.until(lambda: not w.fake.cuts and slack_rows_done(w))
            [post] = w.fake.messages(DEV)
            posts = await w.read(lambda uow, i: uow.slack_dev_posts.for_ticket(i), ticket.id)
            assert [p.ts for p in posts] == [post["ts"]]
            w.fake.cut("chat.postMessage", channel=DEV)
            await w.core(tramites.add_internal_note, w.ids["ana"], ticket.id, "o log do erro")
            await w.until(lambda: not w.fake.cuts and slack_rows_done(w))
        lines = [m["text"] for m in w.fake.thread(DEV, post["ts"])]
        assert len([t for t in lines if "o log do erro" in t]) == 1, lines
        assert len([m for m in w.fake.messages(DEV) if m.get("thread_ts") is None]) == 1

    run(scenario)


def test_a_prompt_in_several_messages_whose_answer_was_lost_goes_once(
        run: Callable[[Scenario], None]) -> None:
    """A solution sent for approval too long for one message reaches the customer's DM as
    several, from one outbox row. The first one's answer was cut: the retry finds it (and any
    other part posted) by its metadata, and posts only the rest, each once."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.deliver()
        before = len(w.fake.messages("DCARLA"))
        steps = "\n\n".join(f"Passo {i}: " + "confira a configuração fiscal. " * 40
                            for i in range(1, 15))
        w.fake.cut("chat.postMessage", channel="DCARLA")
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, steps,
                     origin_id="erro_sistema")
        async with delivering(w):
            await w.until(lambda: not w.fake.cuts and slack_rows_done(w))
        prompt = w.fake.messages("DCARLA")[before:]
        parts = [m["metadata"]["event_payload"]["part"] for m in prompt]
        assert len(parts) > 1, parts
        assert parts == [f"prompt.{n}" for n in range(len(parts))]
        buttons = [m for m in prompt if '"actions"' in json.dumps(m)]
        assert len(buttons) == 1
        assert [c["channel"] for c in w.fake.of("conversations.history")] == ["DCARLA"]

    run(scenario)


def test_a_row_retried_by_hand_looks_for_its_post_first(
        run: Callable[[Scenario], None]) -> None:
    """`helpdesk outbox retry --failed` puts a failed row back with its attempts from zero:
    an attempt whose answer was lost before it failed may have posted all the same, so the
    row still looks for its post, and the DM holds it once."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        ticket = await w.open_ticket()
        await w.deliver()
        w.fake.cut("chat.postMessage", channel="DBRUNO")
        await w.core(handling.assign, w.ids["ana"], ticket.id, w.ids["bruno"])
        await w.deliver()
        assert len(w.fake.messages("DBRUNO")) == 1
        assert not w.fake.cuts
        queue = OutboxQueue(w.store.engine)
        [row] = [m for m in await w.outbox() if m.target == "user:UBRUNO"
                 and m.status == DeliveryStatus.PENDING]
        await w.desk.run_sync(queue.mark_failed, row.id or 0, "desistência")  # gave up
        assert await w.desk.run_sync(queue.retry, w.now) == 1  # outbox retry --failed
        await w.deliver()
        assert len(w.fake.messages("DBRUNO")) == 1
        assert (await w.desk.run_sync(queue.get, row.id or 0)).status == DeliveryStatus.SENT

    run(scenario)


def test_a_lookup_pages_back_to_the_rows_first_attempt(
        run: Callable[[Scenario], None]) -> None:
    """Slack gives apps outside the Marketplace 15 messages a page: the card whose answer was
    lost is found past a first page of people's messages in the triage channel."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        w.fake.cut("chat.postMessage", channel=TRIAGE)
        ticket = await w.open_ticket()
        await w.deliver()
        assert not w.fake.cuts
        for n in range(20):
            await w.client.chat_postMessage(channel=TRIAGE, text=f"bom dia {n}")
        await w.deliver()
        cards = [m for m in top_level(w) if m.get("metadata")]
        assert len(cards) == 1
        assert await w.card_ts(ticket.id) == cards[0]["ts"]
        assert len(w.fake.of("conversations.history")) == 2

    run(scenario)


async def limited_at_the_second_page(w: SlackWorld) -> tuple[Any, list[Result]]:
    """A card posted with its answer cut, 20 messages after it in the triage channel, and the
    lookup's second page limited by Slack (Retry-After 60): the ticket and the results."""
    w.now = datetime.now(UTC)
    w.fake.cut("chat.postMessage", channel=TRIAGE)
    ticket = await w.open_ticket()
    await w.deliver()
    for n in range(20):
        await w.client.chat_postMessage(channel=TRIAGE, text=f"bom dia {n}")
    w.fake.fail("conversations.history", status=429, headers={"Retry-After": "60"},
                body={"ok": False, "error": "ratelimited"},
                when=lambda args: args.get("cursor"))
    return ticket, await w.deliver()


def test_a_lookup_slack_limits_past_its_first_page_goes_on_at_that_page(
        run: Callable[[Scenario], None]) -> None:
    """Slack allows apps outside the Marketplace one page a minute: the second page limited,
    the row waits and its next try reads on from that page (from the newest again, it would
    be limited at the same page every time)."""
    async def scenario(w: SlackWorld) -> None:
        ticket, limited = await limited_at_the_second_page(w)
        assert any(isinstance(r, RetryAfter) and not r.channel_wide for r in limited)
        await w.deliver()
        cursors = [c.get("cursor") for c in w.fake.of("conversations.history")]
        assert cursors == [None, "15", "15"]
        cards = [m for m in top_level(w) if m.get("metadata")]
        assert len(cards) == 1
        assert await w.card_ts(ticket.id) == cards[0]["ts"]

    run(scenario)


def test_a_lookup_slack_limited_goes_on_at_its_page_on_another_instance(
        run: Callable[[Scenario], None]) -> None:
    """The page a lookup Slack limited had reached was kept by the process that was limited:
    another instance (or this one after a restart) took the row up from the newest page
    again, to be limited at the same page (one a minute for apps outside the Marketplace).
    Kept with the row, the next attempt anywhere reads on from that page."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        w.fake.cut("chat.postMessage", channel=TRIAGE)
        ticket = await w.open_ticket()
        await w.deliver()
        for n in range(20):
            await w.client.chat_postMessage(channel=TRIAGE, text=f"bom dia {n}")
        w.fake.fail("conversations.history", status=429, headers={"Retry-After": "1"},
                    body={"ok": False, "error": "ratelimited"},
                    when=lambda args: args.get("cursor"))
        async with delivering(w):
            await w.until(lambda: len(w.fake.of("conversations.history")) == 2)
        w.sender = SlackSender(w.client, w.desk, triage_channel=TRIAGE, dev_channel=DEV)
        async with delivering(w):
            await w.until(lambda: slack_rows_done(w))
        cursors = [c.get("cursor") for c in w.fake.of("conversations.history")]
        assert cursors == [None, "15", "15"]
        cards = [m for m in top_level(w) if m.get("metadata")]
        assert len(cards) == 1
        assert await w.card_ts(ticket.id) == cards[0]["ts"]

    run(scenario)


async def export_in_dm(w: SlackWorld) -> None:
    """Carla lists her tickets in her DM with the bot and presses Exportar CSV."""
    await w.open_ticket()
    await w.dm("UCARLA", "tickets")
    await w.idle()
    listing = w.fake.messages("DCARLA")[-1]
    await w.click("UCARLA", "cv.choice.5", "1:csv", channel="DCARLA", message_ts=listing["ts"])
    await w.idle()


def test_an_export_slack_did_not_share_is_uploaded_again_and_the_answer_goes_on(
        run: Callable[[Scenario], None]) -> None:
    """Slack failed on sharing the CSV export in the DM (a 500 on files.completeUploadExternal):
    the upload was never tried again, the file never came, nor the listing after it. It is
    tried again after a moment, as a text answer is: the file once, then the listing."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("files.completeUploadExternal", status=500)
        await export_in_dm(w)
        assert [f["name"] for f in w.fake.shared] == [w.fake.shared[0]["name"]]
        assert w.fake.shared[0]["name"].startswith("tickets-")
        assert w.fake.messages("DCARLA")[-1]["text"].startswith("Tickets — seus tickets")

    run(scenario)


def test_an_export_whose_bytes_slack_refused_is_uploaded_again_once(
        run: Callable[[Scenario], None]) -> None:
    """Slack refused the CSV export's bytes at its upload URL (a 500): nothing was shared, so
    the export is uploaded again with a new URL, all of it, and shared once; then the
    listing."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("upload", status=500)
        await export_in_dm(w)
        assert len(w.fake.of("files.getUploadURLExternal")) == 2
        [shared] = w.fake.shared
        assert shared["channel"] == "DCARLA"
        assert shared["name"].startswith("tickets-")
        assert shared["content"].decode("utf-8-sig").startswith("Ticket;Abertura;De;Assunto;")
        assert w.fake.messages("DCARLA")[-1]["text"].startswith("Tickets — seus tickets")

    run(scenario)


def test_an_export_whose_answer_was_lost_is_found_and_not_uploaded_again(
        run: Callable[[Scenario], None]) -> None:
    """Slack shared the export, its answer cut: the next try finds it among the DM's files
    (files.list: an upload carries no metadata) and does not upload it again."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.cut("files.completeUploadExternal")
        await export_in_dm(w)
        assert len(w.fake.shared) == 1
        assert len(w.fake.of("files.getUploadURLExternal")) == 1
        assert [c["channel"] for c in w.fake.of("files.list")] == ["DCARLA"]
        assert w.fake.messages("DCARLA")[-1]["text"].startswith("Tickets — seus tickets")

    run(scenario)


def test_the_same_export_twice_in_a_minute_is_shared_twice_though_slack_failed_once(
        run: Callable[[Scenario], None]) -> None:
    """Carla exports her tickets twice within the minute (the same name and size), Slack
    failing on sharing the second (a 500: it may have shared it): the next try looked for it
    among the DM's files by name and size, took the first export for it and never shared the
    second. The file is looked for by the id Slack gave this upload."""
    async def scenario(w: SlackWorld) -> None:
        await export_in_dm(w)
        assert len(w.fake.shared) == 1
        w.fake.fail("files.completeUploadExternal", status=500)
        await w.dm("UCARLA", "tickets")
        await w.idle()
        listing = w.fake.messages("DCARLA")[-1]
        [csv] = [button["value"] for block in listing["blocks"] if block["type"] == "actions"
                 for button in block["elements"] if button["value"].endswith(":csv")]
        await w.click("UCARLA", "cv.choice.5", csv, channel="DCARLA", message_ts=listing["ts"])
        await w.idle()
        first, second = w.fake.shared
        assert (first["name"], first["size"]) == (second["name"], second["size"])
        assert first["id"] != second["id"]
        assert [c["channel"] for c in w.fake.of("files.list")] == ["DCARLA"]
        assert w.fake.messages("DCARLA")[-1]["text"].startswith("Tickets — seus tickets")

    run(scenario)


def test_a_dm_answer_whose_lookup_slack_limits_waits_and_is_not_posted_again(
        run: Callable[[Scenario], None]) -> None:
    """A DM step's answer posted, its answer cut; Slack then limits the lookup (a 429,
    Retry-After 1 s: 1 page a minute for apps outside the Marketplace): the answer was posted
    a second time. The lookup waits as Slack says and finds it."""
    async def scenario(w: SlackWorld) -> None:
        await w.dm("UCARLA", "oi")
        await w.until(lambda: w.fake.messages("DCARLA"))
        await w.idle()
        before = len(w.fake.messages("DCARLA"))
        w.fake.cut("chat.postMessage", channel="DCARLA")
        w.fake.fail("conversations.history", status=429, headers={"Retry-After": "1"},
                    body={"ok": False, "error": "ratelimited"})
        await w.dm("UCARLA", "meus tickets")
        await w.until(lambda: not w.fake.cuts and w.fake.messages("DCARLA")[before:])
        await w.idle()
        said = [m["text"] for m in w.fake.messages("DCARLA")[before:]]
        assert len(said) == 1, said
        assert len(w.fake.of("conversations.history")) == 2

    run(scenario)



def test_a_failed_row_retried_by_hand_looks_from_the_newest_page_again(
        run: Callable[[Scenario], None]) -> None:
    """A lookup Slack limited keeps the page it reached with the row for its next attempt;
    the row then failed for good, and `helpdesk outbox retry --failed` put it back later
    with that page still kept: the retried row read on from a page of a lookup long over
    (a cursor Slack may no longer take, messages found then that may be gone). Put back by
    hand, the row starts its lookup afresh, from the newest page."""
    async def scenario(w: SlackWorld) -> None:
        ticket, _ = await limited_at_the_second_page(w)
        queue = OutboxQueue(w.store.engine)
        [row] = [m for m in await w.outbox()
                 if m.channel == Channel.SLACK and m.status == DeliveryStatus.PENDING]
        assert (await w.desk.run_sync(queue.get, row.id or 0)).params.get("resume")
        await w.desk.run_sync(queue.mark_failed, row.id or 0, "desistência")  # gave up
        assert await w.desk.run_sync(queue.retry, w.now) == 1  # outbox retry --failed
        await w.deliver()
        cursors = [c.get("cursor") for c in w.fake.of("conversations.history")]
        assert cursors == [None, "15", None, "15"]
        cards = [m for m in top_level(w) if m.get("metadata")]
        assert len(cards) == 1
        assert await w.card_ts(ticket.id) == cards[0]["ts"]

    run(scenario)
