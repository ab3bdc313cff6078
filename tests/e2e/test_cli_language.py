"""The admin commands' failures follow LANGUAGE like the rest of the desk: an English desk read
'erro: informe o ID de uma mensagem ou --failed (um dos dois)'."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import Cli, assert_one_line_error


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path, tmp_path / "language.db")


def english(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    """One `error:` line, exit 1, with these words."""
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    for word in words:
        assert word in line


def test_a_command_s_own_failure_is_in_english_with_language_en(cli: Cli) -> None:
    english(cli("outbox", "retry", ok=False, LANGUAGE="en"),
            "error: give a message ID or --failed (one of the two)")
    english(cli("jobs", "run-once", "--now", "ontem", ok=False, LANGUAGE="en-US"),
            "error: invalid date: 'ontem' (use ISO-8601")
    english(cli("kb", "import", str(cli.workdir), ok=False, LANGUAGE="en_US:en"),
            f"error: no .md file in {cli.workdir}")
    english(cli("catalog", "load", str(cli.workdir / "missing.yaml"), ok=False, LANGUAGE="en"),
            "error: could not read", "missing.yaml")


def test_a_core_error_and_a_bad_setting_are_in_english_too(cli: Cli) -> None:
    english(cli("tickets", "show", "199901/0001", ok=False, LANGUAGE="en"),
            "error: I could not find that ticket")
    bad = cli("company", "list", ok=False, LANGUAGE="en", HTTP_PORT="oitenta")
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: invalid setting: HTTP_PORT: ")


def test_portuguese_stays_the_default(cli: Cli) -> None:
    assert_one_line_error(cli("outbox", "retry", ok=False),
                          "erro: informe o ID de uma mensagem ou --failed (um dos dois)")
    bad = cli("company", "list", ok=False, LANGUAGE="fr")
    assert bad.stderr.strip().startswith("erro: configuração inválida: LANGUAGE")
