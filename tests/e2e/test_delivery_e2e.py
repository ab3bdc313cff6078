"""`helpdesk run` as a subprocess: crash recovery, concurrent sweeps, `helpdesk outbox`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.delivery_world import (
    CARLA_CHAT,
    CARLA_EMAIL,
    RecordingSender,
    awaiting_approval,
    deliver_pending,
    open_ticket,
    pending,
    seed,
)
from fakes.loop_thread import LoopThread
from fakes.process import Running, clean_env, helpdesk, wait_for
from fakes.smtp_server import FakeSMTP
from fakes.telegram_api import FakeTelegramAPI

from bots.runtime import Desk
from core.calendar import BusinessCalendar
from core.models import Decision, Status
from core.outbox import Channel, DeliveryStatus

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:E2E"
MAIL_FROM = "Suporte <suporte@exemplo.com.br>"


@pytest.fixture
def servers() -> Iterator[tuple[LoopThread, FakeTelegramAPI, FakeSMTP]]:
    lt = LoopThread()
    api, smtp = FakeTelegramAPI(token=TOKEN), FakeSMTP()
    lt.run(api.start())
    lt.run(smtp.start())
    yield lt, api, smtp
    lt.run(api.stop())
    lt.run(smtp.stop())
    lt.close()


def email_sent(desk: Desk) -> bool:
    with desk.store() as uow:
        rows = [m for m in uow.outbox.all() if m.channel == Channel.EMAIL]  # type: ignore[attr-defined]
    return bool(rows) and all(m.status == DeliveryStatus.SENT for m in rows)


def assert_nothing_pending(env: dict[str, str], cwd: Path) -> str:
    """`helpdesk outbox status` says zero pending."""
    result = helpdesk(env, "outbox", "status", cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Pendentes: 0 " in result.stdout, result.stdout
    return result.stdout


def test_kill_9_between_commit_and_delivery_delivers_exactly_once_after_restart(
        db_url: str, desk: Desk, servers: tuple[LoopThread, FakeTelegramAPI, FakeSMTP],
        tmp_path: Path) -> None:
    """The process dies holding a claimed message; the next one delivers it once."""
    _, api, smtp = servers
    env = clean_env(db_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root,
                    SMTP_URL=smtp.url, MAIL_FROM=MAIL_FROM, OUTBOX_LEASE_SECONDS="3")
    people = seed(desk)
    api.stall = True
    ticket = open_ticket(desk, people.carla)
    first = Running(env, tmp_path, "first")
    first.wait_ready()
    wait_for(lambda: any(c.status == 0 for c in api.calls), what="a stalled sendMessage")
    # The e-mail went out and was marked meanwhile: the kill hits only the stalled Telegram
    # row (killing between an accepted send and its mark is the documented duplicate window).
    wait_for(lambda: email_sent(desk), what="the e-mail marked sent")
    first.kill9()
    assert api.sent(CARLA_CHAT) == []
    api.stall = False

    second = Running(env, tmp_path, "second")
    second.wait_ready()
    wait_for(lambda: len(api.sent(CARLA_CHAT)) >= 1, what="delivery after restart")
    wait_for(lambda: pending(desk) == 0, what="empty outbox")
    time.sleep(0.5)
    assert second.terminate() == 0, second.text()
    texts = api.sent_texts(CARLA_CHAT)
    assert len(texts) == 1
    assert ticket.number in texts[0]
    assert [c.status for c in api.calls if c.method == "sendMessage"] == [0, 200]
    assert len(smtp.to(CARLA_EMAIL)) == 1
    assert "Traceback" not in second.text()
    assert TOKEN not in first.text() + second.text()
    assert_nothing_pending(env, tmp_path)


def test_two_sweeps_at_the_same_moment_close_and_tell_once(
        db_url: str, desk: Desk, tmp_path: Path) -> None:
    """Two `helpdesk jobs run-once` at once: each stale ticket closed once, each customer told
    once (the advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""
    people = seed(desk)
    past = desk.at(datetime.now(UTC) - timedelta(days=20))
    tickets = [awaiting_approval(past, people) for _ in range(12)]
    past.close()
    env = clean_env(db_url)
    # 15 days after the answer, in business hours (R14), and still in the past.
    now = BusinessCalendar().next_opening(datetime.now(UTC) - timedelta(days=5)).isoformat()
    procs = [subprocess.Popen([sys.executable, "-m", "bots.cli", "jobs", "run-once", "--now",
                               now], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    closed = [int(m.group(1)) for out, _ in outputs
              for m in [re.search(r"encerrados automaticamente: (\d+)", out)] if m]
    assert sum(closed) == len(tickets), outputs
    with desk.store() as uow:
        for ticket in tickets:
            stored = uow.tickets.get(ticket.id)
            assert stored is not None
            assert (stored.status, stored.decision) == (Status.CLOSED, Decision.AUTO_APPROVED)
        told = Counter((m.ticket_id, m.channel) for m in uow.outbox.all()  # type: ignore[attr-defined]
                       if m.kind == "ticket.auto_closed")
    assert set(told.values()) == {1}
    assert {c for _, c in told} == {Channel.TELEGRAM, Channel.EMAIL}
    assert len(told) == 2 * len(tickets)
    drain(desk)
    assert_nothing_pending(env, tmp_path)


def test_kill_9_with_a_polled_update_in_hand_processes_it_after_restart(
        db_url: str, desk: Desk, servers: tuple[LoopThread, FakeTelegramAPI, FakeSMTP],
        tmp_path: Path) -> None:
    """Telegram was told it may forget an update (the next poll's offset) while the process
    still held it; after kill -9 the next process replays it from its journal, once."""
    _, api, _ = servers
    env = clean_env(db_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root)
    seed(desk)
    file_id, unique = api.add_file(b"%PDF-1.4 nota 10125")
    update = api.message_update(CARLA_CHAT, document={
        "file_id": file_id, "file_unique_id": unique, "file_name": "nota.pdf",
        "mime_type": "application/pdf", "file_size": 19})
    api.stall_method, api.stall = "getFile", True  # the update is in hand, not yet a step
    api.push_update(update)
    first = Running(env, tmp_path, "first")
    first.wait_ready()
    wait_for(lambda: any(c.method == "getFile" and c.status == 0 for c in api.calls),
             what="a stalled getFile")
    wait_for(lambda: any(c.method == "getUpdates"
                         and int(c.params.get("offset") or 0) > update["update_id"]
                         for c in api.calls), what="the update confirmed to Telegram")
    first.kill9()
    assert not api.updates  # Telegram forgot it
    assert api.sent_texts(CARLA_CHAT) == []
    api.stall = False

    second = Running(env, tmp_path, "second")
    second.wait_ready()
    offer = "Recebi 1 arquivo: nota.pdf."  # the document, kept and offered as a ticket's

    def offered() -> list[str]:
        return [s for s in api.sent_texts(CARLA_CHAT) if offer in s]  # under the greeting

    wait_for(lambda: offered(), what="the replayed update answered")
    time.sleep(0.5)
    assert second.terminate() == 0, second.text()
    assert len(offered()) == 1
    assert "reprocessando o que o Telegram entregou antes da última parada: 1 atualização" \
        in second.text()
    assert "Traceback" not in second.text()
    with desk.store() as uow:  # processed: the journal is empty again
        left = uow.connection.exec_driver_sql("SELECT count(*) FROM telegram_updates").scalar()
    assert left == 0


def drain(desk: Desk) -> None:
    """Deliver whatever is pending to recording senders (the story's own check)."""
    import asyncio

    from bots.delivery.limits import Limits

    fast = Limits(telegram_chat_interval=0.001, slack_channel_interval=0.001)
    asyncio.run(deliver_pending(desk, {"telegram": RecordingSender(), "email": RecordingSender(),
                                       "slack": RecordingSender()}, limits=fast, within=30))


def test_outbox_status_and_retry_commands(db_url: str, desk: Desk, tmp_path: Path,
                                          servers: tuple[LoopThread, FakeTelegramAPI, FakeSMTP]
                                          ) -> None:
    """Rows of a channel no instance was ever configured with fail, saying so (on this new
    database, a lease after the first start: an instance started with it may have the
    channel); `outbox retry` requeues them, and `helpdesk run` with the channel configured
    delivers them (the Slack card's row, a channel no instance has, fails again a lease after
    that start)."""
    _, api, smtp = servers
    people = seed(desk)
    open_ticket(desk, people.carla)
    bare = clean_env(db_url, OUTBOX_LEASE_SECONDS="5")
    first = Running(bare, tmp_path, "bare")
    first.wait_ready()
    assert "Nenhum canal de chat configurado" in first.text()
    assert "helpdesk chat" in first.text()
    wait_for(lambda: pending(desk) == 0, within=15, what="every row failed")
    assert first.terminate() == 0
    assert ("notificação do canal telegram com falha: nas últimas 24 h, nenhuma instância teve "
            "o canal telegram (configure o canal e use `helpdesk outbox retry --failed`)"
            in first.text()), first.text()
    status = helpdesk(bare, "outbox", "status", "--failed", cwd=tmp_path)
    assert re.search(r"^Id +Canal +Destino +Tipo +Motivo$", status.stdout, re.M), status.stdout
    assert re.search(r"^\d+ +telegram +1001 +ticket.registered +nas últimas 24 h, nenhuma "
                     r"instância teve o canal telegram$", status.stdout, re.M), status.stdout
    instance = re.search(r"^(\S+:\d+:[0-9a-f]{8}) +nenhum +.* parada$", status.stdout, re.M)
    assert instance, status.stdout  # the instance that ran, stopped, without any channel
    failed = int(re.search(r"Com falha: (\d+)", status.stdout).group(1))  # type: ignore[union-attr]
    assert failed >= 3

    missing = helpdesk(bare, "outbox", "retry", "999999", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.startswith("erro: ")
    retried = helpdesk(bare, "outbox", "retry", "--failed", cwd=tmp_path)
    assert f"{failed} mensagens com falha de volta à fila." in retried.stdout
    waiting = helpdesk(bare, "outbox", "status", cwd=tmp_path).stdout
    assert f"Pendentes: {failed} " in waiting
    assert ("Nenhum `helpdesk run` em execução: 3 mensagens pendentes esperam por um."
            in waiting), waiting
    assert "Em nova tentativa" not in waiting  # put back: their old errors are forgotten

    full = clean_env(db_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root,
                     SMTP_URL=smtp.url, MAIL_FROM=MAIL_FROM, OUTBOX_LEASE_SECONDS="5")
    second = Running(full, tmp_path, "full")
    second.wait_ready()
    wait_for(lambda: len(api.sent(CARLA_CHAT)) == 1 and len(smtp.to(CARLA_EMAIL)) == 1,
             what="telegram and e-mail delivered")
    wait_for(lambda: pending(desk) == 0, what="empty outbox")
    assert second.terminate() == 0


def test_two_instances_starting_together_on_a_new_database_fail_nothing(
        db_url: str, desk: Desk, tmp_path: Path,
        servers: tuple[LoopThread, FakeTelegramAPI, FakeSMTP]) -> None:
    """Two `helpdesk run` started at the same moment on a database no instance ran on yet:
    one without channels beats first. It failed at once the Telegram and e-mail rows the other
    was starting to send ('nas últimas 24 h, nenhuma instância teve o canal telegram'); now
    the rows wait for the other, which delivers them, and nothing fails."""
    _, api, smtp = servers
    people = seed(desk)
    open_ticket(desk, people.carla)
    bare = Running(clean_env(db_url), tmp_path, "bare")
    full_env = clean_env(db_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root,
                         SMTP_URL=smtp.url, MAIL_FROM=MAIL_FROM)
    try:
        def beaten() -> bool:
            with desk.store() as uow:
                return bool(uow.connection.exec_driver_sql(
                    "SELECT count(*) FROM outbox_workers").scalar())

        wait_for(beaten, within=60, what="the bare instance's first heartbeat")
        full = Running(full_env, tmp_path, "full")
        try:
            full.wait_ready()
            wait_for(lambda: len(api.sent(CARLA_CHAT)) == 1 and len(smtp.to(CARLA_EMAIL)) == 1,
                     what="telegram and e-mail delivered by the instance that has them")
        finally:
            assert full.terminate() == 0, full.text()
    finally:
        assert bare.terminate() == 0, bare.text()
    with desk.store() as uow:
        rows = uow.connection.exec_driver_sql(
            "SELECT channel, status FROM outbox ORDER BY channel, status").all()
    # The triage's Slack card waits too: no instance has Slack, it fails a lease after the start.
    assert {tuple(r) for r in rows} == {("email", "sent"), ("telegram", "sent"),
                                        ("slack", "pending")}, rows
    assert "com falha" not in bare.text() + full.text()


def test_healthz_answers(db_url: str, tmp_path: Path) -> None:
    """GET /healthz on the shared HTTP server says the database answers."""
    import json
    import urllib.request

    env = clean_env(db_url)
    proc = Running(env, tmp_path, "health")
    try:
        proc.wait_ready()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{proc.url}/healthz", timeout=10) as answer:
            body = json.loads(answer.read())
        assert body["ok"] is True
    finally:
        assert proc.terminate() == 0


def test_two_instances_run_each_timed_job_once_and_jobs_status_shows_both(
        db_url: str, desk: Desk, tmp_path: Path) -> None:
    """Two `helpdesk run` on one database sweep every second: the expired invites are removed
    by one of them, once; `helpdesk jobs status` shows each instance's latest run of the
    sweeps and of the housekeeping (an operator could only read the logs of every instance),
    the housekeeping done by one of them."""
    from core.services import users

    seed(desk)
    past = desk.at(datetime.now(UTC) - timedelta(days=4))  # the invites' 72 h are over
    for _ in range(3):
        past.call(users.create_invite, CARLA_EMAIL)
    past.close()
    env = clean_env(db_url, SWEEP_INTERVAL_SECONDS="1")
    first, second = Running(env, tmp_path, "first"), Running(env, tmp_path, "second")
    try:
        first.wait_ready()
        second.wait_ready()

        def swept_by_both() -> bool:
            shown = helpdesk(env, "jobs", "status", cwd=tmp_path).stdout
            return [sum(line.startswith(job) for line in shown.splitlines())
                    for job in ("lembretes, encerramentos e avisos ", "limpeza ")] == [2, 2]

        wait_for(swept_by_both, within=60, what="both instances' sweeps in jobs status")
        shown = helpdesk(env, "jobs", "status", cwd=tmp_path).stdout
    finally:
        assert second.terminate() == 0, second.text()
        assert first.terminate() == 0, first.text()
    with desk.store() as uow:
        left = uow.connection.exec_driver_sql("SELECT count(*) FROM invites").scalar()
    assert left == 0
    logs = first.text() + second.text()
    assert logs.count("'invites_removed': 3") == 1, logs
    assert "invites_removed" not in logs.replace("'invites_removed': 3", ""), logs
    assert shown.splitlines()[0] == ("Rotinas de cada `helpdesk run` (a última vez de cada "
                                     "instância, últimas 24 h):")
    instances = {m.group(1) for m in re.finditer(r"^lembretes, encerramentos e avisos +(\S+) ",
                                                 shown, re.M)}
    assert len(instances) == 2, shown
    # The housekeeping done once: the other instance found it done, or (both at the same
    # moment) found it under way.
    housekeeping = sorted(re.findall(r"^limpeza +\S+ +\d+ s +(.*)$", shown, re.M))
    assert housekeeping[0] == "feita: nada a fazer", shown
    assert re.fullmatch(r"pulada: (feita há pouco pela instância \S+|outra instância a executava "
                        r"no mesmo momento)", housekeeping[1]), shown
    assert re.search(r"^lembretes, encerramentos e avisos +\S+ +\d+ s +(feita: nada a fazer|"
                     r"pulada: outra instância a executava no mesmo momento)$", shown, re.M), shown


def test_a_killed_instances_claimed_row_is_sent_by_the_other_once(
        db_url: str, desk: Desk, servers: tuple[LoopThread, FakeTelegramAPI, FakeSMTP],
        tmp_path: Path) -> None:
    """Two instances behind a Telegram webhook: the one sending a notification dies (kill -9)
    while Telegram has not answered; the other sends it once its lease is over, and `outbox
    status` shows the dead one without a heartbeat."""
    _, api, smtp = servers
    env = clean_env(db_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root,
                    TELEGRAM_WEBHOOK_URL="https://helpdesk.example.com/telegram",
                    TELEGRAM_WEBHOOK_SECRET="s3cr3t", SMTP_URL=smtp.url, MAIL_FROM=MAIL_FROM,
                    OUTBOX_LEASE_SECONDS="3")
    people = seed(desk)
    first, second = Running(env, tmp_path, "first"), Running(env, tmp_path, "second")
    first.wait_ready()
    second.wait_ready()
    api.stall = True
    ticket = open_ticket(desk, people.carla)
    wait_for(lambda: any(c.status == 0 for c in api.calls), what="a stalled sendMessage")
    with desk.store() as uow:
        holder = uow.connection.exec_driver_sql(
            "SELECT claimed_by FROM outbox WHERE channel = 'telegram' AND status = 'pending'"
        ).scalar()
    victim, survivor = (first, second) if f":{first.proc.pid}:" in str(holder) \
        else (second, first)
    victim.kill9()
    api.stall = False
    wait_for(lambda: pending(desk) == 0, what="the row sent by the other instance")

    def silent() -> bool:  # a lease after its last heartbeat
        shown = helpdesk(env, "outbox", "status", cwd=tmp_path).stdout
        return bool(re.search(rf"^\S+:{victim.proc.pid}:\S+ .* sem sinal \(morta\?\)$", shown,
                              re.M)) and bool(
            re.search(rf"^\S+:{survivor.proc.pid}:\S+ .* em execução$", shown, re.M))

    wait_for(silent, what="the killed instance shown without a heartbeat")
    assert survivor.terminate() == 0, survivor.text()
    texts = api.sent_texts(CARLA_CHAT)
    assert len(texts) == 1
    assert ticket.number in texts[0]


def test_outbox_status_says_why_pending_rows_are_retried(db_url: str, desk: Desk,
                                                         tmp_path: Path) -> None:
    """Telegram answering 502: the status said only how many rows were pending, the reason
    was in the log of whichever instance tried. It says how many are being retried per
    channel and the latest error."""
    from storage.outbox_sql import OutboxQueue

    people = seed(desk)
    open_ticket(desk, people.carla)
    open_ticket(desk, people.carla, assunto="Outra nota rejeitada")
    queue = OutboxQueue(getattr(desk.store, "engine"))  # noqa: B009
    now = datetime.now(UTC)
    for claimed in queue.claim("other", now, timedelta(seconds=30), 10, channels=["telegram"]):
        queue.mark_retry(claimed.message.id or 0, "Bad Gateway (502)",
                         now + timedelta(minutes=5))
    env = clean_env(db_url)
    shown = helpdesk(env, "outbox", "status", cwd=tmp_path).stdout
    assert ("Em nova tentativa no canal telegram: 1 mensagem; último erro: Bad Gateway (502)"
            in shown.splitlines()), shown
    assert "no canal email" not in shown
    assert "Nenhum `helpdesk run` em execução: 6 mensagens pendentes esperam por um." in shown
    assert "Atenção" not in shown  # nothing fails while no instance runs
    queue.beat("vm:1:0000beef", ["telegram"], now, timedelta(seconds=60), "-")  # one runs
    shown = helpdesk(env, "outbox", "status", cwd=tmp_path).stdout
    assert re.search(r"^vm:1:0000beef +telegram +\d+ s +\d+ s +em execução$", shown, re.M), shown
    assert ("Atenção: nenhuma instância em execução envia pelo canal email; 2 mensagens "
            "pendentes falham se nenhuma com o canal iniciar em 60 s (configure-o e use "
            "`helpdesk outbox retry --failed`).") in shown.splitlines(), shown
    assert "envia pelo canal telegram" not in shown
    english = helpdesk(dict(env, LANGUAGE="en"), "outbox", "status", cwd=tmp_path).stdout
    assert ("Being retried on the channel telegram: 1 message; latest error: Bad Gateway (502)"
            in english.splitlines()), english
