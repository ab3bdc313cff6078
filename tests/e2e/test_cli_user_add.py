"""`helpdesk user add` and `company add` say what is wrong with a name or a Slack ID (R2): an
empty or too long name was only "Nome inválido.", and any text was taken as a Slack ID, the
agent then never recognized in Slack."""

from __future__ import annotations

from typing import Any

import pytest
from test_cli import Cli

from core.i18n import t


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, _sqlite_databases: Any) -> Cli:
    workdir = tmp_path_factory.mktemp("user-add")
    cli = Cli(workdir, workdir / "users.db")
    _sqlite_databases.create(cli.db)  # migrated
    cli.setup("company", "add", "Mercado Exemplo Ltda")
    return cli


def refused(result, lang: str, key: str, **params: object) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == t("cli.error", lang, message=t(key, lang, **params))


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r2_an_empty_or_too_long_name_says_which(cli: Cli, lang: str) -> None:
    add = ("user", "add", "--email", f"ze-{lang.lower()}@exemplo.com.br", "--role", "agent",
           "--name")
    refused(cli(*add, "   ", ok=False, LANGUAGE=lang), lang, "error.name_empty")
    refused(cli(*add, "Zé " * 100, ok=False, LANGUAGE=lang), lang, "error.name_too_long",
            length=len(("Zé " * 100).strip()), limit=200)
    refused(cli("company", "add", " ", ok=False, LANGUAGE=lang), lang,
            "error.company_name_empty")
    refused(cli("company", "add", "L" * 201, ok=False, LANGUAGE=lang), lang,
            "error.company_name_too_long", length=201, limit=200)
    assert f"ze-{lang.lower()}@" not in cli("user", "list").stdout


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r2_a_slack_id_that_is_not_one_is_refused_and_a_lower_case_one_is_kept_upper(
        cli: Cli, lang: str) -> None:
    add = ("user", "add", "--name", "Ana Ribeiro", "--role", "agent", "--slack-id")
    # one refusal by the command line; the other shapes refused: tests/unit/test_r2_slack_id
    refused(cli(*add, "@ana.ribeiro", "--email", f"ana-{lang.lower()}@exemplo.com.br",
                ok=False, LANGUAGE=lang), lang, "error.slack_id_invalid", slack_id="@ana.ribeiro")
    assert f"ana-{lang.lower()}@" not in cli("user", "list").stdout
    slack_id = "U0ANA" + ("PT" if lang == "pt_BR" else "EN")
    cli(*add, f" {slack_id.lower()} ", "--email", f"ana-{lang.lower()}@exemplo.com.br",
        LANGUAGE=lang)
    [row] = [r for r in cli("user", "list").stdout.splitlines() if f"ana-{lang.lower()}@" in r]
    assert slack_id in row.split()
