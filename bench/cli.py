"""`python -m bench` and `helpdesk bench`: options, the run, the table, BENCHMARKS.md."""

from __future__ import annotations

import logging
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bench.context import SCALES, Bench
from bench.results import Report, table, write_markdown
from bench.runner import KEYS, machine, run


class DbChoice(StrEnum):
    """Which databases to measure."""

    SQLITE = "sqlite"
    POSTGRES = "postgres"
    ALL = "all"


def bench_command(
    quick: Annotated[bool, typer.Option(
        "--quick", help="N menores: alguns segundos por parte em vez de minutos.")] = False,
    db: Annotated[DbChoice, typer.Option(
        "--db", help="Banco(s) medido(s): sqlite, postgres ou all.")] = DbChoice.ALL,
    only: Annotated[list[str] | None, typer.Option(
        "--only", metavar="PARTE",
        help=f"Só esta parte (pode repetir): {', '.join(KEYS)}.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", metavar="ARQUIVO",
        help="Onde gravar o relatório em Markdown (padrão: BENCHMARKS.md numa execução "
             "completa; nenhum arquivo com --quick ou --only).")] = None,
    scale: Annotated[str | None, typer.Option(
        "--scale", hidden=True, help="full, quick ou tiny (o teste usa tiny).")] = None,
) -> None:
    """Mede desempenho (chat, registro, crescimento, envio, Slack, memória) e grava razões."""
    # The hosted bot logs every undeliverable outbox row (no e-mail or Slack here): keep the
    # table readable.
    logging.getLogger("bots").setLevel(logging.ERROR)
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
    chosen = [p.strip() for item in (only or []) for p in item.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in KEYS]
    if unknown:
        raise typer.BadParameter(f"parte desconhecida: {', '.join(unknown)} (use {KEYS})",
                                 param_hint="--only")
    name = scale or ("quick" if quick else "full")
    if name not in SCALES:
        raise typer.BadParameter(f"use {', '.join(SCALES)}", param_hint="--scale")
    kinds = ["sqlite", "postgres"] if db == DbChoice.ALL else [db.value]
    options = " ".join(filter(None, [
        "--quick" if quick else "", f"--scale {scale}" if scale else "", f"--db {db.value}",
        *(f"--only {p}" for p in chosen)]))
    bench = Bench(SCALES[name], Report(machine(kinds), options), kinds)
    report = run(bench, chosen)
    typer.echo(table(report.figures))
    for line in report.skipped:
        typer.echo(f"não medido: {line}")
    met = [f.met for f in report.figures if f.met is not None]
    typer.echo(f"{sum(met)}/{len(met)} metas atingidas em {report.seconds:.0f} s.")
    full = name == "full" and not chosen and db == DbChoice.ALL
    target = output or (Path("BENCHMARKS.md") if full else None)
    if target is not None:
        write_markdown(report, target)
        typer.echo(f"Relatório gravado em {target}.")


def main() -> None:
    """Entry point of `python -m bench`."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False,
                      rich_markup_mode=None)
    app.command(name="bench")(bench_command)
    app(prog_name="python -m bench")
