"""A file the command line cannot read or write is told in LANGUAGE, not in the system's English
(`[Errno 2] No such file or directory`), and a file not in UTF-8 says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_cli import Cli

from core.i18n import t

REASONS = {"pt_BR": {"ENOENT": "não existe", "ENOTDIR": "parte do caminho não é uma pasta"},
           "en": {"ENOENT": "does not exist", "ENOTDIR": "part of the path is not a folder"}}
ENGLISH_SYSTEM = ("Errno", "No such file", "Not a directory")


@pytest.fixture
def cli(tmp_path: Path, _sqlite_databases: Any) -> Cli:
    """A Cli on a new, empty database (a reading command refuses a missing one)."""
    _sqlite_databases.create(tmp_path / "files.db")
    return Cli(tmp_path, tmp_path / "files.db")


def one_line(result, lang: str) -> str:  # type: ignore[no-untyped-def]
    """The one error line (exit 1, no traceback), with no English words of the system."""
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(t("cli.error", lang, message=""))
    for words in ENGLISH_SYSTEM:
        assert words not in line, line
    return line


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_a_missing_file_to_read_is_said_in_the_language(cli: Cli, lang: str) -> None:
    missing = cli.workdir / "nada.md"
    for args in (("kb", "add", str(missing)), ("catalog", "load", str(missing))):
        line = one_line(cli(*args, ok=False, LANGUAGE=lang), lang)
        assert line.endswith(t("cli.read_failed", lang, path=missing,
                               reason=REASONS[lang]["ENOENT"])), line


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_an_export_into_a_path_through_a_file_is_said_in_the_language(cli: Cli,
                                                                      lang: str) -> None:
    (cli.workdir / "a-file").write_text("not a folder")
    target = cli.workdir / "a-file" / "tickets.csv"
    line = one_line(cli("tickets", "export", "-o", str(target), ok=False, LANGUAGE=lang), lang)
    assert line.endswith(t("cli.write_failed", lang, path=target,
                           reason=REASONS[lang]["ENOTDIR"])), line


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_an_article_not_in_utf8_says_so_and_adds_nothing(cli: Cli, lang: str) -> None:
    latin = cli.workdir / "fechamento.md"
    latin.write_bytes("# Fechamento de caixa\n\nConferência do sangria.\n".encode("latin-1"))
    line = one_line(cli("kb", "add", str(latin), ok=False, LANGUAGE=lang), lang)
    assert line.endswith(t("cli.read_failed", lang, path=latin,
                           reason=t("cli.not_utf8", lang))), line
    assert "fechamento" not in cli("kb", "list", LANGUAGE=lang).stdout.split("\n", 2)[-1]
    catalog = cli.workdir / "catálogo.yaml"
    catalog.write_bytes("tipos:\n  - Manutenção\n".encode("latin-1"))
    line = one_line(cli("catalog", "load", str(catalog), ok=False, LANGUAGE=lang), lang)
    assert line.endswith(t("cli.read_failed", lang, path=catalog,
                           reason=t("cli.not_utf8", lang))), line
