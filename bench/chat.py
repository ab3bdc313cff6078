"""Part 1: a whole intake through the real Telegram adapter vs a bare python-telegram-bot bot.

Both bots run in this process against the same fake Bot API, which lives with the customers in
a driver process (bench.driver). The bare bot answers every update with one message, as
python-telegram-bot does by default: one update at a time. Ours runs the conversation engine,
the database transaction (state, ticket, outbox) and its answers for each update.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Coroutine
from typing import Any

from bench.context import Bench
from bench.cpu import CpuMeter, Pids, per_update
from bench.dbs import FreshDatabase, backends
from bench.driver import INTAKE, TYPING_UNSEEN, Driver, Scenario, telegram_missing
from bench.results import Figure, Target, ratio_of
from bench.stats import percentile, rate

PART = "1. Chat step (Telegram)"
MODES = ("polling", "webhook")
BURST_BASE = 7_000_000
PACED_BASE = 8_000_000
PROCESSES_BASE = 9_000_000
"""The chat processes' burst has chats of its own: on the single process's chats, each /novo
took the buttons off the menu the last intake left (one editMessageReplyMarkup per intake,
0.11 per update, that the burst it is compared with never made)."""


def missing() -> str | None:
    """Why this part cannot run here, if it cannot."""
    return telegram_missing()


def seed_customers(url: str, chats: list[int]) -> None:
    """One client company with a trained customer linked to each chat, in one transaction."""
    from bots.runtime import Desk
    from core.services import users
    from core.services.context import Ctx
    from storage.sql import SqlStore

    def seed(ctx: Ctx) -> None:
        users.add_company(ctx, "Mercado Exemplo Ltda")
        for chat in chats:
            user = users.add_user(ctx, name=f"Cliente {chat}", email=f"c{chat}@mercado.example",
                                  company_names=["Mercado Exemplo Ltda"], trained=True)
            user.telegram_id = chat
            ctx.uow.users.update(user)

    store = SqlStore(url)
    try:
        Desk(store).call(seed)
    finally:
        store.dispose()


Session = Callable[[Driver, str, list[Scenario]], Coroutine[Any, Any, list[dict[str, Any]]]]


async def bare_session(driver: Driver, mode: str, scenarios: list[Scenario]
                       ) -> list[dict[str, Any]]:
    """A python-telegram-bot Application with one handler that sends one message per update."""
    from aiohttp import web
    from telegram import Update
    from telegram.ext import Application, ContextTypes, TypeHandler

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, "ok")

    builder = Application.builder().token(driver.token).base_url(f"{driver.root}/bot")
    if mode == "webhook":
        builder = builder.updater(None)
    app = builder.build()
    app.add_handler(TypeHandler(Update, answer))
    await app.initialize()
    await app.start()
    runner: web.AppRunner | None = None
    bot_url = ""
    if mode == "polling":
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
    else:
        async def webhook(request: web.Request) -> web.Response:
            await app.update_queue.put(Update.de_json(await request.json(), app.bot))
            return web.Response()

        web_app = web.Application()
        web_app.router.add_post("/telegram", webhook)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        bot_url = f"http://127.0.0.1:{port}/telegram"
    try:
        meter = CpuMeter({"bot": [os.getpid()], "driver": [driver.process.pid]})
        return [await _measured(driver, _at(s, bot_url), meter) for s in scenarios]
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if runner is not None:
            await runner.cleanup()


def ours_session(url: str, chat_processes: int = 0) -> Session:
    """`helpdesk run`'s host with the Telegram channel, on the benchmark's database (its chats
    in `chat_processes` processes of their own: TELEGRAM_CHAT_PROCESSES)."""

    async def session(driver: Driver, mode: str, scenarios: list[Scenario]
                      ) -> list[dict[str, Any]]:
        from bots.app import Host
        from bots.bootstrap import bootstrap
        from bots.settings import Settings
        from bots.telegram.channel import TelegramChannel

        with tempfile.TemporaryDirectory(prefix="helpdesk-bench-files-") as files:
            values: dict[str, Any] = {
                "database_url": url, "files_dir": files, "telegram_bot_token": driver.token,
                "telegram_api_url": driver.root, "http_host": "127.0.0.1", "http_port": 0,
                "sweep_interval_seconds": 3600,
                "telegram_chat_processes": chat_processes,
            }
            if mode == "webhook":
                values["telegram_webhook_url"] = "https://helpdesk.example.com/telegram"
                values["telegram_webhook_secret"] = driver.secret
            settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
            container = bootstrap(settings)
            channel = TelegramChannel(settings, container.desk)
            host = Host(container, channels=[channel])
            await host.start()
            try:
                bot_url = f"{host.http_url}/telegram"
                meter = CpuMeter(_processes(channel, driver, backends(url)))
                results = []
                for scenario in scenarios:
                    await empty_outbox(container.store.engine)  # type: ignore[attr-defined]
                    results.append(await _measured(driver, _at(scenario, bot_url), meter))
                return results
            finally:
                await host.stop()
                container.close()

    return session


def _processes(channel: Any, driver: Driver, database: Callable[[], list[int]] | None
               ) -> dict[str, Pids]:
    """Our processes by role (the router and its chat processes, or the one bot process), the
    driver's, and on PostgreSQL the server processes serving our connections: the driver and
    the database share the cores, and a bot that uses both pays for its share."""
    chats = channel.chats.pids() if channel.chats is not None else []
    ours: dict[str, Pids] = {
        "router": [os.getpid()], "chat processes": [p for p in chats if p is not None]} \
        if chats else {"bot": [os.getpid()]}
    groups = {**ours, "driver": [driver.process.pid]}
    if database is not None:
        groups["database"] = database
    return groups


async def _measured(driver: Driver, scenario: Scenario, meter: CpuMeter) -> dict[str, Any]:
    """The scenario's result with the CPU each group of processes used meanwhile ("cpu")."""
    meter.start()
    result = await driver.run(scenario)
    result["cpu"] = meter.stop()
    return result


def _requests_note(ours: dict[str, Any], bare: dict[str, Any]) -> str:
    """'; Bot API requests per update: ours 2.33 (sendMessage 1.00, …), bare 1.67'."""
    def per(result: dict[str, Any]) -> dict[str, float]:
        counts = result.get("requests") or {}
        return {m: n / result["updates"] for m, n in sorted(counts.items(), key=lambda i: -i[1])}

    mine, theirs = per(ours), per(bare)
    if not mine or not theirs:
        return ""
    methods = ", ".join(f"{m} {n:.2f}" for m, n in mine.items())
    typing = ours.get("typing") or {}
    shown = sum(typing.values())
    unseen = (f"; of {shown} 'typing…', {typing.get('unseen', 0)} answered within "
              f"{TYPING_UNSEEN:g} s") if shown else ""
    return (f"; Bot API requests per update: ours {sum(mine.values()):.2f} ({methods}), "
            f"bare {sum(theirs.values()):.2f}{unseen}")


def _cpu_note(ours: dict[str, Any], bare: dict[str, Any]) -> str:
    """'; CPU per update (ms): …; bare: …', where /proc told it."""
    mine = per_update(ours.get("cpu", {}), ours["updates"])
    theirs = per_update(bare.get("cpu", {}), bare["updates"])
    return f"; CPU per update (ms): {mine}; bare: {theirs}" if mine and theirs else ""


async def empty_outbox(engine: Any) -> None:
    """Start a scenario with an empty outbox, so it does not meet the last one's work.

    Each intake leaves a "registered" notice to the customer, an e-mail and a triage card in
    the outbox. None is part of what a scenario measures: the e-mails and cards can never leave
    (no SMTP server or Slack app here) and the notices of a 500-intake burst would keep the
    dispatcher sending at Telegram's 30 messages/s for the next scenario's first 17 s. They are
    failed here at once.
    """
    from sqlalchemy import update

    from core.outbox import DeliveryStatus
    from storage.tables import outbox

    def fail_pending() -> None:
        with engine.begin() as conn:
            conn.execute(update(outbox).where(
                outbox.c.status == DeliveryStatus.PENDING.value,
            ).values(status=DeliveryStatus.FAILED.value, last_error="bench: not measured",
                     claimed_by=None, claimed_until=None))

    await asyncio.to_thread(fail_pending)


def _at(scenario: Scenario, bot_url: str) -> Scenario:
    scenario.bot_url = bot_url
    return scenario


PACED_ROUNDS = 3
"""The paced figures alternate bare and ours this many times (each round a share of the
customers) and pool the latencies: this VM's speed drifts within minutes (one pair of runs a
few seconds apart read 1.31-1.96x in the same quarter hour)."""


def _rounds(chats: list[int], n: int) -> list[list[int]]:
    """The chats cut into n nearly equal consecutive groups (fewer when there are fewer)."""
    n = max(1, min(n, len(chats)))
    size, extra = divmod(len(chats), n)
    groups, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        groups.append(chats[start:end])
        start = end
    return groups


def _pooled(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several paced runs as one: every latency, every update, every failure."""
    return {"latencies": [x for r in results for x in r["latencies"]],
            "elapsed": sum(r["elapsed"] for r in results),
            "failures": [f for r in results for f in r["failures"]][:5],
            "failed": sum(r["failed"] for r in results),
            "updates": sum(r["updates"] for r in results)}


def _check(result: dict[str, Any], who: str) -> None:
    if result["failed"]:
        raise RuntimeError(f"{who}: {result['failed']} customers failed: {result['failures']}")


def _bare(driver: Driver, scenario: Scenario) -> dict[str, Any]:
    return asyncio.run(bare_session(driver, scenario.mode, [scenario]))[0]


def _ours(url: str, driver: Driver, scenario: Scenario,
          chat_processes: int = 0) -> dict[str, Any]:
    session = ours_session(url, chat_processes)
    return asyncio.run(session(driver, scenario.mode, [scenario]))[0]



def run(bench: Bench, kind: str) -> None:
    """Both modes: intakes one update at a time (bare and ours in turns), then a burst of N
    concurrent intakes, the bare bot's just before ours on each database (it touches none,
    but this VM's speed drifts within the minute between the two databases)."""
    n = bench.scale.chat_customers
    burst = [BURST_BASE + i for i in range(n)]
    paced = [PACED_BASE + i for i in range(max(1, -(-bench.scale.paced_updates // len(INTAKE))))]
    spread = [PROCESSES_BASE + i for i in range(n)] if bench.chat_processes else []
    with FreshDatabase(kind) as url:
        seed_customers(url, burst + paced + spread)
        driver = Driver.start()
        try:
            for mode in MODES:
                # Paced first, on a quiet machine: a burst leaves the dispatcher busy a while.
                bare_runs, ours_runs = [], []
                for group in _rounds(paced, PACED_ROUNDS):
                    bare_runs.append(_bare(driver, Scenario(mode, group, bare=True, paced=True)))
                    ours_runs.append(_ours(url, driver, Scenario(mode, group, paced=True)))
                bare_p, ours_p = _pooled(bare_runs), _pooled(ours_runs)
                bare_b = _bare(driver, Scenario(mode, burst, bare=True))
                ours_b = _ours(url, driver, Scenario(mode, burst))
                for result, who in ((bare_b, "bare burst"), (bare_p, "bare paced"),
                                    (ours_b, "burst"), (ours_p, "paced")):
                    _check(result, f"{kind} {mode} {who}")
                _figures(bench, kind, mode, n, ours_b, bare_b, ours_p, bare_p)
                if bench.chat_processes:
                    ours_c = _ours(url, driver, Scenario(mode, spread),
                                   chat_processes=bench.chat_processes)
                    _check(ours_c, f"{kind} {mode} burst with chat processes")
                    _processes_figure(bench, kind, mode, n, ours_c, bare_b,
                                      bench.chat_processes)
        finally:
            driver.stop()


def _figures(bench: Bench, kind: str, mode: str, n: int, ours_b: dict[str, Any],
             bare_b: dict[str, Any], ours_p: dict[str, Any], bare_p: dict[str, Any]) -> None:
    add = bench.report.add
    ours_rate = rate(ours_b["updates"], ours_b["elapsed"])
    bare_rate = rate(bare_b["updates"], bare_b["elapsed"])
    add(Figure(PART, kind, f"{mode}: burst updates/s, {n} customers' whole intakes", ours_rate,
               "/s", "bare PTB bot, same burst", bare_rate, ratio_of(ours_rate, bare_rate),
               Target(">=", 1.0),
               note=f"{ours_b['updates']} updates ({len(INTAKE)} per intake), each answered "
                    "before the customer's next one" + _requests_note(ours_b, bare_b)
                    + _cpu_note(ours_b, bare_b)))
    for q in (50, 99):
        ours, bare = percentile(ours_b["latencies"], q), percentile(bare_b["latencies"], q)
        add(Figure(PART, kind, f"{mode}: burst p{q} update→answer", ours * 1000, "ms",
                   "bare, same burst", bare * 1000, ratio_of(ours, bare)))
    for q in (50, 99):
        ours, bare = percentile(ours_p["latencies"], q), percentile(bare_p["latencies"], q)
        add(Figure(PART, kind, f"{mode}: paced p{q} update→answer", ours * 1000, "ms",
                   "bare, one at a time", bare * 1000, ratio_of(ours, bare),
                   Target("<=", 1.5) if q == 50 else None,
                   note=f"{ours_p['updates']} updates one at a time" if q == 50 else ""))


def _processes_figure(bench: Bench, kind: str, mode: str, n: int, ours: dict[str, Any],
                      bare: dict[str, Any], processes: int) -> None:
    ours_rate = rate(ours["updates"], ours["elapsed"])
    bare_rate = rate(bare["updates"], bare["elapsed"])
    bench.report.add(Figure(
        PART, kind, f"{mode}: burst updates/s, TELEGRAM_CHAT_PROCESSES={processes}",
        ours_rate, "/s", "bare PTB bot, same burst", bare_rate, ratio_of(ours_rate, bare_rate),
        Target(">=", 1.0),
        note=f"the same {n} customers' intakes, each chat in one of {processes} "
             "process(es) of its own; p50 " + f"{percentile(ours['latencies'], 50) * 1000:.0f} ms"
             + _requests_note(ours, bare) + _cpu_note(ours, bare)))
