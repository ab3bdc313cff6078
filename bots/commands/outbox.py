"""`helpdesk outbox status|retry`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bots.clikit import (
    cli_language,
    container,
    elapsed,
    existing_container,
    fail,
    table,
)
from core.i18n import t

outbox = typer.Typer(help="cli.help.outbox",
                     no_args_is_help=True)

STATUSES = ("pending", "sent", "failed")


def _queue():  # type: ignore[no-untyped-def]
    from storage.outbox_sql import OutboxQueue

    engine = getattr(existing_container().store, "engine", None)
    if engine is None:
        fail("cli.outbox_needs_sql")
    return OutboxQueue(engine, language=container().settings.language)


@outbox.command("status", help="cli.help.outbox.status")
def status(
    show_failed: Annotated[bool, typer.Option(
        "--failed", help="cli.help.outbox.status.failed")] = False,
) -> None:
    """Print the outbox counts, and the failed messages with --failed."""
    queue = _queue()
    now = datetime.now(UTC)
    stats = queue.stats(now)
    lang = cli_language()
    typer.echo(t("cli.outbox.pending", lang, pending=stats.pending, in_flight=stats.in_flight))
    if stats.terminal_unread:  # no backlog: each waits for its person to open the terminal chat
        typer.echo(t("cli.outbox.terminal_unread", lang, count=stats.terminal_unread,
                     days=f"{container().settings.outbox_keep_days:g}"))
    typer.echo(t("cli.outbox.failed", lang, failed=stats.failed))
    typer.echo(t("cli.outbox.sent", lang, sent=stats.sent))
    oldest = (elapsed((now - stats.oldest_pending_at).total_seconds())
              if stats.oldest_pending_at else "—")
    typer.echo(t("cli.outbox.oldest", lang, age=oldest))
    if stats.by_channel:
        rows = [[channel] + [counts.get(s, 0) for s in STATUSES]
                for channel, counts in sorted(stats.by_channel.items())]
        typer.echo("")
        typer.echo(table([t("cli.col.channel", lang),
                          *(t(f"cli.outbox.col.{s}", lang) for s in STATUSES)], rows))
    for channel, (count, error) in sorted(stats.retrying.items()):
        typer.echo("")
        typer.echo(t("cli.outbox.retrying", lang, channel=channel, count=count,
                     error=" ".join(error.split())[:300]))
    _instances(queue, now, stats.by_channel, lang)
    if show_failed and stats.failed:
        from core.outbox import DeliveryStatus

        failed = queue.messages(DeliveryStatus.FAILED, limit=50)
        typer.echo("")
        typer.echo(table([t("cli.col.id", lang), *(t(f"cli.col.{c}", lang)
                                  for c in ("channel", "target", "kind", "reason"))],
                         [[m.id, m.channel, m.target, m.kind, m.last_error] for m in failed],
                         widths={2: 30, 4: 60}))


def _instances(queue, now: datetime, by_channel: dict[str, dict[str, int]],  # type: ignore[no-untyped-def]
               lang: str) -> None:
    """The instances' heartbeats, and the channels with pending rows no running one sends."""
    from datetime import timedelta

    lease = float(container().settings.outbox_lease_seconds)
    now, workers = queue.workers_now(now)  # the heartbeats' clock: another machine's may differ
    alive = [w for w in workers if (now - w.seen_at).total_seconds() < lease
             and not w.stopped_at]
    if workers:
        typer.echo("")
        typer.echo(t("cli.outbox.instances", lang))
        rows = [[w.worker, ", ".join(w.channels) or t("cli.outbox.no_channels", lang),
                 elapsed((now - w.started_at).total_seconds()),
                 elapsed(max(timedelta(0), now - w.seen_at).total_seconds()),
                 t("cli.outbox.stopped" if w.stopped_at else
                   "cli.outbox.running" if w in alive else "cli.outbox.silent", lang)]
                for w in workers]
        typer.echo(table([t(f"cli.outbox.col.{c}", lang)
                          for c in ("instance", "channels", "started", "seen", "state")], rows))
    waiting = sum(counts.get("pending", 0) for counts in by_channel.values())
    if not alive and waiting:  # nothing fails meanwhile: it all waits for an instance
        typer.echo("")
        typer.echo(t("cli.outbox.no_instance", lang, pending=waiting))
        return
    served = {c for w in alive for c in w.channels}
    for channel, counts in sorted(by_channel.items()):
        if counts.get("pending", 0) and channel not in served:
            typer.echo("")
            typer.echo(t("cli.outbox.unserved", lang, channel=channel,
                         pending=counts["pending"], lease=f"{lease:g}"))


@outbox.command("retry", help="cli.help.outbox.retry", short_help="cli.help.outbox.retry.short")
def retry(
    message_id: Annotated[int | None, typer.Argument(metavar="ID",
                                                     help="cli.help.outbox.retry.id")] = None,
    failed: Annotated[bool, typer.Option("--failed", help="cli.help.outbox.retry.failed")] = False,
) -> None:
    """Queue one message, or every failed one, again."""
    if (message_id is None) == (not failed):
        fail("cli.retry_which")
    queue = _queue()
    now = datetime.now(UTC)
    if failed:
        n = queue.retry(now)
        typer.echo(t("cli.outbox.retried_failed", cli_language(), retried=n))
        return
    assert message_id is not None
    if queue.get(message_id) is None:
        fail("cli.message_not_found", id=message_id)
    if not queue.retry(now, [message_id]):
        fail("cli.message_busy", id=message_id)
    typer.echo(t("cli.outbox.retried", cli_language(), id=message_id))


def register(app: typer.Typer) -> None:
    """Add the `outbox` group."""
    app.add_typer(outbox, name="outbox")
