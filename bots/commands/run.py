"""`helpdesk run`: the whole process. A module of its own, named as the command: `helpdesk run`
and `helpdesk outbox` each import their own module alone (cli.build_app)."""

from __future__ import annotations

import typer

from bots.clikit import container, fail, load_settings


def run() -> None:
    """Run the whole process: chat channels, HTTP server, delivery and sweeps."""
    import logging

    from bots.app import run as run_host
    from bots.bootstrap import configure_logging
    from bots.settings import step_processes_asked
    from bots.startwait import wait_for_database

    settings = load_settings()
    if step_processes_asked():  # retired: ignored, the bot would run on one core unawares
        fail("cli.step_processes_retired")
    configure_logging(settings)
    # httpx logs every request URL at INFO, and Bot API URLs carry the bot token; alembic
    # names its plugins at every schema check.
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    wait_for_database(settings.database_url, settings.language)
    run_host(container())


def register(app: typer.Typer) -> None:
    """Add `run`."""
    app.command("run", help="cli.help.run", short_help="cli.help.run.short")(run)
