"""The Bot API misbehaving (429 with retry_after, bursts of 502) and a crash after the commit:
the answer still arrives, once."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegramAPI
from sqlalchemy import select
from sqlalchemy import update as update_table
from telegram_harness import (
    CARLA,
    FAST,
    TelegramWorld,
    link,
    linked_carla,
    now,
    open_ticket,
    seed,
    until,
)

from bots.runtime import Desk
from bots.telegram.channel import TelegramOptions
from bots.telegram.render import Outgoing
from bots.telegram.steps import Inbound, converse, hand_over
from core.conversation.replies import parse
from core.i18n import t
from core.outbox import DeliveryStatus
from storage.sql import SqlStore
from storage.tables import outbox as outbox_table
from storage.telegram_journal import UpdateJournal


def menu_texts(world: TelegramWorld) -> list[str]:
    """The answers that end asking what next (the menu under them)."""
    return [x for x in world.chat(CARLA).texts() if x.endswith(t("conv.menu.prompt"))]


def test_429_with_retry_after_is_waited_out_in_place(sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.fail_next(429, retry_after=1, chat_id=CARLA)
            await world.chat(CARLA).say("oi")
            calls = [c for c in world.api.calls if c.method == "sendMessage"]
            assert [c.status for c in calls[:2]] == [429, 200]
            assert calls[1].at - calls[0].at >= 1.0
            assert len(menu_texts(world)) == 1
            assert world.conversations.stats.handed_over == 0

    asyncio.run(story())


def test_a_burst_of_502_goes_to_the_outbox_and_arrives_once(sqlite_url: str,
                                                           tmp_path: Path) -> None:
    """More 502s than the in-place budget allows: the rest is handed to the dispatcher."""
    options = TelegramOptions(**{**FAST.__dict__, "reply_budget": 0.5})
    world = TelegramWorld(sqlite_url, tmp_path, options=options)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.fail_next(502, times=6)
            await world.chat(CARLA).say("oi")
            assert world.conversations.stats.handed_over > 0
            await until(lambda: menu_texts(world), what="menu delivered")
            await world.drain_outbox()
            assert len(menu_texts(world)) == 1
            welcome = [x for x in world.chat(CARLA).texts() if x.startswith("Olá, Carla")]
            assert len(welcome) == 1
            assert world.api.count(502) == 6
            with world.desk.store() as uow:
                rows = uow.outbox.all()
            assert rows
            assert all(r.status == DeliveryStatus.SENT for r in rows)

    asyncio.run(story())


def test_a_429_longer_than_the_budget_is_handed_over_and_waited_out(
        sqlite_url: str, tmp_path: Path) -> None:
    """Telegram asks to wait longer than the in-place budget: the answer goes to the outbox,
    which waits as Telegram said instead of sending it again at once (a second 429)."""
    options = TelegramOptions(**{**FAST.__dict__, "reply_budget": 0.5})
    world = TelegramWorld(sqlite_url, tmp_path, options=options)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.fail_next(429, retry_after=2, chat_id=CARLA)
            await world.chat(CARLA).say("oi")
            await until(lambda: menu_texts(world), what="menu delivered", within=20)
            calls = [c for c in world.api.calls if c.method == "sendMessage"]
            assert [c.status for c in calls[:2]] == [429, 200]
            assert calls[1].at - calls[0].at >= 2.0
            assert world.conversations.stats.handed_over > 0
            assert len(menu_texts(world)) == 1

    asyncio.run(story())


def test_a_crash_after_the_commit_still_delivers_the_answer_once(sqlite_url: str,
                                                                 tmp_path: Path) -> None:
    """The step committed and the process died before sending: the outbox row it wrote
    delivers the answer, and Telegram's redelivery of the update is dropped."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        await world.api.start()
        update = world.api.text_update(CARLA, "oi")
        async with world:
            linked_carla(world)
            inbound = Inbound(update_ids=[update["update_id"]], chat_id=CARLA, user_id=CARLA,
                              user_input=parse("oi"))
            # As if it ran 31 s ago in a process that died right after the commit.
            outcome = world.desk.at(now() - timedelta(seconds=31)).call(converse, inbound)
            assert outcome.outbox_id
            await until(lambda: menu_texts(world), what="answer delivered by the outbox")
            await world.chat(CARLA).send(update)  # Telegram delivers it again after restart
            await world.drain_outbox()
            assert len(menu_texts(world)) == 1
            assert world.conversations.stats.duplicates == 1
        await world.api.stop()

    asyncio.run(story())


@pytest.mark.parametrize("left", ["unconfirmed", "journaled"])
def test_a_restart_after_the_commit_answers_at_once_and_once(
        db_url: str, tmp_path: Path, left: str) -> None:
    """Polling: the step committed a moment ago and `helpdesk run` died before sending its
    answer. At the restart the update comes back (Telegram still had it, or the journal kept
    it) as a repeat: the answer the step wrote is sent then, not when the outbox's safety net
    falls due 30 s after the commit, and only once."""
    api = FakeTelegramAPI()

    async def story() -> None:
        await api.start()
        update = api.text_update(CARLA, "oi")
        store = SqlStore(db_url)
        desk = Desk(store)
        ids = seed(desk)
        desk.call(link, ids["carla"], CARLA)
        inbound = Inbound(update_ids=[update["update_id"]], chat_id=CARLA, user_id=CARLA,
                          user_input=parse("oi"))
        assert desk.call(converse, inbound).outbox_id  # committed, never sent
        desk.close()
        if left == "journaled":
            UpdateJournal(store.engine).keep([(update["update_id"], json.dumps(update))], [],
                                             now())
        else:
            api.push_update(update)
        store.dispose()
        async with TelegramWorld(db_url, tmp_path, api=api) as world:
            await until(lambda: menu_texts(world), within=10, what="the answer, at once")
            await world.drain_outbox()
            assert len(menu_texts(world)) == 1
            assert "Erro" not in world.chat(CARLA).last_text()
            with world.desk.store() as uow:
                assert all(r.status == DeliveryStatus.SENT for r in uow.outbox.all())
        await api.stop()

    asyncio.run(story())


def test_a_file_sent_at_a_restart_is_not_sent_by_the_outbox_too_while_it_uploads(
        sqlite_url: str, tmp_path: Path) -> None:
    """Polling: the step that exported a CSV committed, and `helpdesk run` died before sending
    it. At the restart the repeated update takes the answer's row to send it at once, leased
    for the answer's grace: for a file, as long as its upload may take (UPLOAD_GRACE_FACTOR).
    The lease was a text's (here 3 s) and the upload slower (4 s): the outbox sent the row
    too, the file twice in the chat."""
    api = FakeTelegramAPI()
    options = TelegramOptions(**{**FAST.__dict__, "answer_grace": 3.0})

    async def story() -> None:
        await api.start()
        store = SqlStore(sqlite_url)
        desk = Desk(store)
        ids = seed(desk)
        desk.call(link, ids["carla"], CARLA)
        open_ticket(desk, ids["carla"])
        updates = [api.text_update(CARLA, text) for text in ("/tickets", "exportar")]
        for update in updates:
            text = update["message"]["text"]
            inbound = Inbound(update_ids=[update["update_id"]], chat_id=CARLA, user_id=CARLA,
                              user_input=parse(text))
            assert desk.call(converse, inbound).outbox_id  # committed, never sent
        desk.close()
        store.dispose()
        api.slow_next(4.0, method="sendDocument")
        for update in updates:
            api.push_update(update)
        async with TelegramWorld(sqlite_url, tmp_path, api=api, options=options) as world:
            await until(lambda: api.calls_of("sendDocument", CARLA), what="the file, at once")
            await asyncio.sleep(4.5)  # past the upload
            await world.drain_outbox()
            assert len(api.calls_of("sendDocument", CARLA)) == 1
        await api.stop()

    asyncio.run(story())


def test_a_clean_stop_confirms_every_update_and_leaves_nothing_to_replay(
        sqlite_url: str, tmp_path: Path) -> None:
    """After a graceful stop Telegram has forgotten what was processed, the journal is empty,
    and the next start answers nothing twice."""
    api = FakeTelegramAPI()

    async def story() -> None:
        await api.start()
        async with TelegramWorld(sqlite_url, tmp_path, api=api) as world:
            linked_carla(world)
            await world.chat(CARLA).say("oi")
            await world.chat(CARLA).say("oi de novo")
        assert not api.updates
        answered = api.sent_texts(CARLA)
        assert answered
        store = SqlStore(sqlite_url)
        with store() as uow:
            left = uow.connection.exec_driver_sql("SELECT count(*) FROM telegram_updates")
            assert left.scalar() == 0
        store.dispose()
        async with TelegramWorld(sqlite_url, tmp_path, api=api, name="b") as again:
            # A barrier, not a sleep: a replay would be handed in at the start, before it.
            await again.chat(CARLA).say("e agora?")
            assert again.conversations.stats.updates == 1
        assert api.sent_texts(CARLA)[:len(answered)] == answered
        await api.stop()

    asyncio.run(story())


def test_a_webhook_start_replays_what_an_earlier_polling_run_left(
        sqlite_url: str, tmp_path: Path) -> None:
    """Polling died holding a confirmed update, then the team switched to a webhook: the first
    start in webhook mode still answers it, once, and empties the journal."""
    api = FakeTelegramAPI()

    async def story() -> None:
        await api.start()
        left = api.text_update(CARLA, "oi")
        store = SqlStore(sqlite_url)
        desk = Desk(store)
        ids = seed(desk)
        desk.call(link, ids["carla"], CARLA)
        desk.close()
        UpdateJournal(store.engine).keep([(left["update_id"], json.dumps(left))], [], now())
        async with TelegramWorld(sqlite_url, tmp_path, api=api, webhook=True) as world:
            await until(lambda: menu_texts(world), what="the journaled update answered")
        assert len([x for x in api.sent_texts(CARLA) if x.endswith(t("conv.menu.prompt"))]) == 1
        assert UpdateJournal(store.engine).unfinished() == []
        store.dispose()
        await api.stop()

    asyncio.run(story())


def test_polling_outlives_failing_getupdates(sqlite_url: str, tmp_path: Path) -> None:
    """getUpdates answering 502 and then 409 (another poller) is retried with a pause: the
    customer's message is answered once Telegram answers again."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.fail_next(502, method="getUpdates")
            world.api.fail_next(409, "Conflict: terminated by other getUpdates request",
                                method="getUpdates")
            await world.chat(CARLA).say("oi")
            failed = [c.status for c in world.api.calls if c.method == "getUpdates"
                      and c.status != 200]
            assert failed == [502, 409]
            assert len(menu_texts(world)) == 1

    asyncio.run(story())


PROXY_PAGE = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>"
              "502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n" + " " * 600
              + "</body>\r\n</html>")


@pytest.mark.parametrize(("method", "status"), [("sendMessage", 502), ("sendMessage", 200),
                                                ("getUpdates", 502)])
def test_a_page_instead_of_the_bot_apis_json_is_one_short_line_and_tried_again(
        sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, method: str,
        status: int) -> None:
    """A proxy's page in place of the Bot API's JSON, once, while running: PTB logged a
    traceback quoting the whole page ('Can not load invalid JSON data'), and the lines after
    it quoted the page again; a 200 page lost the answer (not tried again). Now one line
    quotes the page's start, no traceback, and the call is tried again."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.page_next(status, PROXY_PAGE, method=method)
            await world.chat(CARLA).say("oi")
            await until(lambda: menu_texts(world), what="menu delivered")
            assert len(menu_texts(world)) == 1
            assert world.conversations.stats.handed_over == 0

    with caplog.at_level(logging.INFO):
        asyncio.run(story())
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    quoting = [r.getMessage() for r in caplog.records if "502 Bad Gateway" in r.getMessage()
               or "<html>" in r.getMessage()]
    assert len(quoting) == 1, quoting
    [line] = quoting
    assert len(line) < 250, line
    assert "\n" not in line
    assert "nginx" not in line  # past the quoted start
    assert ("2xx" if status == 200 else "Bad Gateway (502)") in line
    assert "with a page, not the Bot API's JSON: '<html> <head><title>502 Bad Gateway" in line


def test_an_answer_telegram_gives_after_the_read_timeout_is_sent_again_never_lost(
        sqlite_url: str, tmp_path: Path) -> None:
    """Telegram delivers the message but answers after our read timeout (under load): the send
    counts as failed, so the answer goes to the outbox and is sent again. The customer gets it
    twice, never zero times: the Bot API has no idempotency key to tell a retry from a new
    message, and a lost answer is worse than a duplicate (README, Delivery guarantees)."""
    options = TelegramOptions(**{**FAST.__dict__, "read_timeout": 0.5, "reply_budget": 0.5})
    world = TelegramWorld(sqlite_url, tmp_path, options=options)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.slow_next(1.0)
            await world.chat(CARLA).say("oi")
            assert world.conversations.stats.handed_over == 1
            await until(lambda: len(menu_texts(world)) == 2, what="answer sent again")
            await world.drain_outbox()
            assert len(menu_texts(world)) == 2
            await world.chat(CARLA).say("/ajuda")  # the chat goes on
            assert len(world.api.sent(CARLA)) == 3

    asyncio.run(story())


def test_an_answer_still_waiting_for_telegram_is_given_up_before_its_outbox_row_is_due(
        sqlite_url: str, tmp_path: Path) -> None:
    """A step's answer waits in the outbox for the channel's own send (its grace, 30 s) as a
    safety net. A send still waiting for Telegram when that row fell due (retries, then a slow
    answer, or a wait for a pooled connection) let the dispatcher send the row too, and the
    channel then handed the answer over once more: three copies. The send is given up before
    the row is due (80 % of the grace), so the row is closed and the answer handed over once:
    two copies at most, none lost. Here the grace is 2 s and the read timeout 3 s, so
    Telegram's late answer (4 s) comes past both.

    The proof is the row, not the time say() took (a bound of 2 s broke under load): the
    answer was handed over in the step's own row, still waiting (a send given up after the
    dispatcher had sent that row hands its answer over in a new row), and only once Telegram's
    late answer came (past the read timeout) are the copies counted."""
    options = TelegramOptions(**{**FAST.__dict__, "read_timeout": 3.0, "reply_budget": 0.5,
                                 "answer_grace": 2.0})
    world = TelegramWorld(sqlite_url, tmp_path, options=options)

    async def story() -> None:
        async with world:
            linked_carla(world)
            before = {r.id for r in await carla_rows(world)}
            world.api.slow_next(4.0)
            await world.chat(CARLA).say("oi")
            assert world.conversations.stats.handed_over == 1
            await until(lambda: world.api.late_answers, what="Telegram's late answer")
            await world.drain_outbox()
            [row] = [r for r in await carla_rows(world) if r.id not in before]
            assert row.status == DeliveryStatus.SENT  # the step's own row, no other
            assert len(menu_texts(world)) == 2

    asyncio.run(story())


def test_r5_an_answer_a_slow_step_reached_late_is_given_up_before_its_outbox_row_is_due(
        sqlite_url: str, tmp_path: Path) -> None:
    """The step's answer row falls due at its creation plus the grace (here 20 s); the send
    was given up at 80 % of the grace counted from when it started. A step that took more
    than 20 % of the grace to reach its send (a loaded machine) let the dispatcher send the
    row while Telegram still had the chat's request: Carla read the answer twice (three
    times when the send was then given up). The give-up is counted from the row's own due
    time: here the step takes 18.5 s of the host's clock (the test moves it, the wall clock
    does not), so the chat hands the answer over at once and the row sends it, once, though
    Telegram is slow (4 s) to answer what it gets."""
    ahead = [timedelta(0)]

    def clock() -> datetime:
        return datetime.now(UTC) + ahead[0]

    options = TelegramOptions(**{**FAST.__dict__, "read_timeout": 8.0, "reply_budget": 0.5,
                                 "answer_grace": 20.0})
    world = TelegramWorld(sqlite_url, tmp_path, options=options, clock=clock)

    async def story() -> None:
        async with world:
            linked_carla(world)
            before = {r.id for r in await carla_rows(world)}
            conversations = world.conversations
            step = conversations._converse

            async def slow_step(inbound: Inbound) -> Any:
                outcome = await step(inbound)
                ahead[0] += timedelta(seconds=18.5)  # the step took that long, row written
                return outcome

            conversations._converse = slow_step
            world.api.slow_next(4.0)
            await world.chat(CARLA).say("oi")
            await world.drain_outbox()
            [row] = [r for r in await carla_rows(world) if r.id not in before]
            assert row.status == DeliveryStatus.SENT
            assert len(menu_texts(world)) == 1

    asyncio.run(story())


async def carla_rows(world: TelegramWorld) -> list[Any]:
    """The outbox rows to Carla's chat so far."""
    rows = await world.desk.acall(lambda ctx: ctx.uow.outbox.all())
    return [r for r in rows if r.target == str(CARLA)]


def test_a_slow_upload_is_waited_for_and_the_file_reaches_the_chat_once(
        sqlite_url: str, tmp_path: Path) -> None:
    """The CSV export's upload answered by Telegram after 3.5 s (a big file, a slow link). It
    was given up as a text is, at 80 % of the answer's grace (here 2.4 s of 3 s), though it
    went through: handed over, the dispatcher uploaded the file again, and the customer got it
    twice, the bandwidth spent twice. An answer with a file waits UPLOAD_GRACE_FACTOR times
    the grace in the outbox, its send as long: one upload, nothing handed over."""
    options = TelegramOptions(**{**FAST.__dict__, "answer_grace": 3.0})
    world = TelegramWorld(sqlite_url, tmp_path, options=options)

    asyncio.run(export_answered_late(world, 3.5))


def test_the_dispatcher_waits_for_a_slow_upload_and_sends_the_file_once(
        sqlite_url: str, tmp_path: Path) -> None:
    """A file the chat handed over (Telegram failed on it: a 502) is uploaded by the outbox,
    whose sends were cut at half the lease (here 6 s of 12): an upload answered later (7.5 s)
    was taken for a failure and tried again, the file twice in the chat (as many times as
    its tries were slow). A row with a file is given 80 % of the lease (9.6 s) instead."""
    options = TelegramOptions(**{**FAST.__dict__, "reply_budget": 0.0})
    world = TelegramWorld(sqlite_url, tmp_path, options=options,
                          extra={"outbox_lease_seconds": 12})

    asyncio.run(export_handed_over_answered_late(world, 7.5))


@pytest.mark.parametrize("status", [403, 404])
def test_a_proxys_refusal_page_is_not_telegrams_refusal(sqlite_url: str, tmp_path: Path,
                                                        status: int) -> None:
    """A proxy's or firewall's 403 (or 404) page in place of the Bot API's answer is no verdict
    of Telegram's on the chat: PTB called it Forbidden (the customer blocked the bot: the
    answer dropped, a notification's chat marked unreachable) or InvalidToken. It is tried
    again like a gateway's failure."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            linked_carla(world)
            world.api.page_next(status, "<html><h1>Access denied</h1></html>",
                                method="sendMessage")
            await world.chat(CARLA).say("oi")
            await until(lambda: menu_texts(world), what="menu delivered")
            assert world.api.count(status) == 1

    asyncio.run(story())


def test_an_upload_answered_after_the_read_timeout_is_waited_for_and_sent_once(
        sqlite_url: str, tmp_path: Path) -> None:
    """The CSV export's upload answered by Telegram after 2 s with the Bot API calls' read
    timeout at 1 s (15 s in production, a big file's answer can take longer): the transport
    cut the answer whatever the grace gave the upload (here 9.6 s), took it for a failure and
    sent the file again in place, twice in the chat. An upload's answer is waited for as long
    as its grace allows, once."""
    options = TelegramOptions(**{**FAST.__dict__, "answer_grace": 3.0, "read_timeout": 1.0})
    world = TelegramWorld(sqlite_url, tmp_path, options=options)

    asyncio.run(export_answered_late(world, 2.0))


def test_the_dispatcher_waits_past_the_read_timeout_for_an_upload_and_sends_it_once(
        sqlite_url: str, tmp_path: Path) -> None:
    """A file the chat handed over (a 502) is uploaded by the outbox, Telegram answering after
    2 s with the read timeout at 1 s: the answer was cut whatever the outbox's upload timeout
    (here 9.6 s), the row tried again, the file twice in the chat."""
    options = TelegramOptions(**{**FAST.__dict__, "reply_budget": 0.0, "read_timeout": 1.0})
    world = TelegramWorld(sqlite_url, tmp_path, options=options,
                          extra={"outbox_lease_seconds": 12})

    asyncio.run(export_handed_over_answered_late(world, 2.0))


@pytest.mark.parametrize(("mib", "rate"), [(10, 1_500_000), (3, 300_000)],
                         ids=["beyond_the_kernels_buffers", "all_in_the_kernels_buffers"])
def test_a_stop_cuts_an_upload_still_going_out_and_the_next_start_sends_it_once(
        sqlite_url: str, tmp_path: Path, mib: int, rate: int) -> None:
    """A stop while the outbox uploads a 10 MB file over a slow link (1.5 MB/s): the stop
    waited for the upload, as long as one may take (the upload timeout and 5 s: 53 s by
    default; here ~7 s to the end of the file). The file still going out (beyond the ~4 MB
    the kernel's buffers took at once) is cut at once instead: Telegram gets a request short
    of its length and discards it; the stop returns, and the next start sends the file, once,
    in full. A 3 MB file on a link at 300 KB/s is all in the kernel's buffers at once, yet
    Telegram has a tenth of it after a second: its last byte is held back until the rest
    reached Telegram, so it is cut too (the stop waited ~10 s for it).

    The proof is that Telegram never got the file in that run, not how long the stop took (a
    bound of 3 s broke under load): a stop that waited for the upload (up to the upload
    timeout and 5 s, 53 s) would have seen it through (~7 s, ~10 s)."""
    api = FakeTelegramAPI(upload_rate=rate)
    content = bytes(range(256)) * 4096 * mib
    document = {"filename": "tickets.csv", "mime": "text/csv",
                "content": base64.b64encode(content).decode()}

    async def story() -> None:
        await api.start()
        world = TelegramWorld(sqlite_url, tmp_path, api=api, extra={"outbox_lease_seconds": 12})
        async with world:
            linked_carla(world)
            world.desk.call(hand_over, CARLA, [Outgoing(document=document)])
            world.host.wake_outbox()
            await until(lambda: api.uploading, what="the upload going out")
            await asyncio.sleep(0.5)
        await until(lambda: api.uploads_cut, what="Telegram seeing the request cut")
        assert not api.calls_of("sendDocument", CARLA)  # cut by the stop, not waited for
        api.upload_rate = None
        async with TelegramWorld(sqlite_url, tmp_path, api=api) as world:
            await world.drain_outbox()
            (sent,) = api.calls_of("sendDocument", CARLA)
            assert sent.params["document"]["content"] == content
        await api.stop()

    asyncio.run(story())


@pytest.mark.parametrize("processes", [0, 1], ids=["bot_process", "chat_process"])
def test_a_stop_cuts_a_chats_own_upload_still_going_out_and_the_next_start_sends_it_once(
        sqlite_url: str, tmp_path: Path, processes: int) -> None:
    """The chat sends a step's answer with a 10 MB file itself (taken over at a restart) over
    a slow link when a stop comes, the outbox sending nothing: nothing cut the upload, the
    stop waited for the chat's updates (drain_seconds, 20 s by default; here 15) and then cut
    it, the answer left for its outbox row's grace. The upload still going out is cut at once
    and handed to the outbox: the stop returns, the next start sends the file once. The same
    in a chat process (TELEGRAM_CHAT_PROCESSES), whose Bot API session is its own: the stop
    waited for its drain there too. With the drain (30 s) longer than the upload (~13 s), a
    stop that waited would see the file through: that it did not is the proof, not the stop's
    time, which a loaded machine stretches (5.6 s at load 22, 9.2 s at load 19)."""
    api = FakeTelegramAPI(upload_rate=750_000)
    extra = {"telegram_chat_processes": processes}
    options = TelegramOptions(**{**FAST.__dict__, "answer_grace": 30.0, "drain_seconds": 30.0})
    content = bytes(range(256)) * 40960  # 10 MiB
    big = base64.b64encode(content).decode()

    async def story() -> None:
        await api.start()
        try:
            await run_story()
        finally:  # its listening socket, else a later test's collection reports it
            await api.stop()

    async def run_story() -> None:
        store = SqlStore(sqlite_url)
        desk = Desk(store)
        ids = seed(desk)
        desk.call(link, ids["carla"], CARLA)
        open_ticket(desk, ids["carla"])
        updates = [api.text_update(CARLA, text) for text in ("/tickets", "exportar")]
        for update in updates:
            inbound = Inbound(update_ids=[update["update_id"]], chat_id=CARLA, user_id=CARLA,
                              user_input=parse(update["message"]["text"]))
            row = desk.call(converse, inbound).outbox_id  # committed, never sent
        with store.engine.begin() as conn:  # the export, as big as a file may be
            params = conn.execute(select(outbox_table.c.params)
                                  .where(outbox_table.c.id == row)).scalar_one()
            [document] = [m["document"] for m in params["messages"] if m.get("document")]
            document["content"] = big
            conn.execute(update_table(outbox_table).where(outbox_table.c.id == row)
                         .values(params=params))
        desk.close()
        store.dispose()
        for update in updates:
            api.push_update(update)
        async with TelegramWorld(sqlite_url, tmp_path, api=api, options=options, extra=extra):
            await until(lambda: api.uploading, what="the chat's upload going out")
            await asyncio.sleep(0.5)
        assert not api.calls_of("sendDocument", CARLA)  # cut, not waited for
        await until(lambda: api.uploads_cut, what="Telegram seeing the request cut")
        api.upload_rate = None
        async with TelegramWorld(sqlite_url, tmp_path, api=api, options=options) as world:
            await world.drain_outbox()
            (sent,) = api.calls_of("sendDocument", CARLA)
            assert sent.params["document"]["content"] == content

    asyncio.run(story())


async def export_answered_late(world: TelegramWorld, after: float) -> None:
    """Carla's CSV export, its upload answered `after` seconds late: one file, in place."""
    async with world:
        ids, _ = linked_carla(world)
        open_ticket(world.desk, ids["carla"])
        carla = world.chat(CARLA)
        await carla.say("/tickets")
        world.api.slow_next(after, method="sendDocument")
        await carla.click("Exportar CSV")
        await world.drain_outbox()
        assert len(world.api.calls_of("sendDocument", CARLA)) == 1
        assert world.conversations.stats.handed_over == 0
        assert "Exportei 1 ticket" in carla.since(0)


async def export_handed_over_answered_late(world: TelegramWorld, after: float) -> None:
    """Carla's CSV export failed in the chat (a 502), the outbox's upload answered `after`
    seconds late: one file."""
    async with world:
        ids, _ = linked_carla(world)
        open_ticket(world.desk, ids["carla"])
        carla = world.chat(CARLA)
        await carla.say("/tickets")
        world.api.fail_next(502, method="sendDocument", chat_id=CARLA)
        world.api.slow_next(after, method="sendDocument")
        await carla.click("Exportar CSV")
        assert world.conversations.stats.handed_over  # the file (and what follows it)
        await world.drain_outbox(within=30.0)
        assert len(world.api.calls_of("sendDocument", CARLA)) == 1  # answered (200) ones


def test_a_chats_answer_handed_over_half_way_goes_before_a_later_notice(
        db_url: str, tmp_path: Path) -> None:
    """Carla's export answer: its first message went out in the chat, the file failed (a 502)
    and was handed to the outbox with the rest as a new row; a notice written for her
    meanwhile, queued behind the step's own row, then went first, between the answer's
    messages. The rest stays in the step's own row, before the notice."""
    options = TelegramOptions(**{**FAST.__dict__, "reply_budget": 0.0})

    async def story() -> None:
        async with TelegramWorld(db_url, tmp_path, options=options) as world:
            ids, _ = linked_carla(world)
            open_ticket(world.desk, ids["carla"])
            carla = world.chat(CARLA)
            await carla.say("/tickets")
            world.api.slow_next(1.0, method="sendMessage")
            world.api.fail_next(502, method="sendDocument", chat_id=CARLA)
            clicked = asyncio.ensure_future(carla.click("Exportar CSV"))
            await until(lambda: any("Exportei" in str(c.params.get("text")) for c in
                                    world.api.calls), what="the answer going out")
            world.desk.call(hand_over, CARLA, [Outgoing(html="Aviso do suporte")])
            world.host.wake_outbox()
            await clicked
            await world.drain_outbox(within=30.0)
            said = [c.method if c.method == "sendDocument" else str(c.params.get("text"))[:20]
                    for c in world.api.calls if c.chat_id == CARLA and c.status == 200
                    and c.method in ("sendMessage", "sendDocument")]
            assert said[-1] == "Aviso do suporte", said

    asyncio.run(story())
