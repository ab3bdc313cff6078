"""`helpdesk bench`: the benchmarks of bench/ (see BENCHMARKS.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `bench` command (bench.cli imports no database or chat library at start-up)."""
    from bench.cli import bench_command

    app.command("bench", help="cli.help.bench", short_help="cli.help.bench.short")(bench_command)
