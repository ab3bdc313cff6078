"""`python -m bench` and `helpdesk bench`: options, the run, the table, BENCHMARKS.md."""

from __future__ import annotations

import logging
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer.main import get_command

from bench.context import SCALES, Bench
from bench.results import Report, table, write_markdown
from bench.runner import KEYS, machine, run
from bots.clikit import cli_language, localize
from core.i18n import t


class DbChoice(StrEnum):
    """Which databases to measure."""

    SQLITE = "sqlite"
    POSTGRES = "postgres"
    ALL = "all"


def bench_command(
    quick: Annotated[bool, typer.Option(
        "--quick", help="cli.help.bench.quick")] = False,
    db: Annotated[DbChoice, typer.Option(
        "--db", help="cli.help.bench.db")] = DbChoice.ALL,
    only: Annotated[list[str] | None, typer.Option(
        "--only", metavar="cli.metavar.part", help="cli.help.bench.only")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", metavar="cli.metavar.markdown_file", help="cli.help.bench.output")] = None,
    chat_processes: Annotated[int, typer.Option(
        "--chat-processes", min=0, max=64, metavar="N",
        help="cli.help.bench.chat_processes")] = 2,
    scale: Annotated[str | None, typer.Option(
        "--scale", hidden=True, help="cli.help.bench.scale")] = None,
) -> None:
    """Measure the desk's performance and print (and maybe write) the ratios against goals."""
    # The hosted bot logs every undeliverable outbox row (no e-mail or Slack here): keep the
    # table readable.
    logging.getLogger("bots").setLevel(logging.ERROR)
    lang = cli_language()
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
    chosen = [p.strip() for item in (only or []) for p in item.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in KEYS]
    if unknown:
        raise typer.BadParameter(t("cli.bench.unknown_part", lang, parts=", ".join(unknown),
                                   known=", ".join(KEYS)), param_hint="--only")
    name = scale or ("quick" if quick else "full")
    if name not in SCALES:
        raise typer.BadParameter(t("cli.bench.unknown_scale", lang, known=", ".join(SCALES)),
                                 param_hint="--scale")
    kinds = ["sqlite", "postgres"] if db == DbChoice.ALL else [db.value]
    options = " ".join(filter(None, [
        "--quick" if quick else "", f"--scale {scale}" if scale else "", f"--db {db.value}",
        f"--chat-processes {chat_processes}" if chat_processes != 2 else "",
        *(f"--only {p}" for p in chosen)]))
    bench = Bench(SCALES[name], Report(machine(kinds), options), kinds,
                  chat_processes=chat_processes)
    report = run(bench, chosen)
    typer.echo(table(report.figures))
    for line in report.skipped:
        typer.echo(t("cli.bench.skipped", lang, what=line))
    met = [f.met for f in report.figures if f.met is not None]
    typer.echo(t("cli.bench.met", lang, met=sum(met), total=len(met),
                 seconds=f"{report.seconds:.0f}"))
    full = name == "full" and not chosen and db == DbChoice.ALL
    target = output or (Path("BENCHMARKS.md") if full else None)
    if target is not None:
        write_markdown(report, target)
        typer.echo(t("cli.bench.written", lang, path=target))


def main() -> None:
    """Entry point of `python -m bench`."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False,
                      rich_markup_mode=None)
    app.command(name="bench", help="cli.help.bench")(bench_command)
    command = get_command(app)
    localize(command, cli_language())  # type: ignore[arg-type]
    command(prog_name="python -m bench")
