"""`helpdesk user company`: a customer added to another company, or taken off one (R2, R8).
There was no way to: `user add` with the same e-mail said it was "já usado por outro usuário"."""

from __future__ import annotations

from typing import Any

import pytest
from test_cli import Cli

from core.i18n import t


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, _sqlite_databases: Any) -> Cli:
    workdir = tmp_path_factory.mktemp("user-company")
    cli = Cli(workdir, workdir / "users.db")
    _sqlite_databases.create(cli.db)  # migrated
    cli.setup("company", "add", "Mercado Exemplo Ltda")
    cli.setup("company", "add", "Padaria Pão Quente Ltda")
    cli.setup("user", "add", "--name", "Ana Ribeiro", "--email", "ana@suporte.com.br", "--role",
              "agent")
    return cli


def refused(result, lang: str, key: str, **params: object) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == t("cli.error", lang, message=t(key, lang, **params))


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r2_r8_a_customer_is_added_to_another_company_and_taken_off_one(cli: Cli,
                                                                        lang: str) -> None:
    email = f"joao-{lang.lower()}@mercado.com.br"
    cli.setup("user", "add", "--name", "João Pereira", "--email", email, "--company", "Mercado",
              "--trained")
    again = cli("user", "add", "--name", "João Pereira", "--email", email, "--company",
                "Padaria", ok=False, LANGUAGE=lang)
    assert f"helpdesk user company {email} --add" in again.stderr  # the way, said
    both = "Mercado Exemplo Ltda, Padaria Pão Quente Ltda"
    added = cli("user", "company", email, "--add", "Padaria", LANGUAGE=lang)
    assert added.stdout.strip() == t("cli.user.companies_set", lang, name="João Pereira",
                                     email=email, companies=both)
    [row] = [r for r in cli("user", "list").stdout.splitlines() if email in r]
    assert "Mercado Exemplo Ltda, Padaria Pão Quent" in row  # the column cuts at 40
    same = cli("user", "company", email, "--add", "Padaria Pão Quente Ltda", LANGUAGE=lang)
    assert same.stdout.strip() == t("cli.user.companies_same", lang, name="João Pereira",
                                    email=email, companies=both)
    removed = cli("user", "company", email, "--remove", "Mercado", LANGUAGE=lang)
    assert removed.stdout.startswith(t("cli.user.companies_set", lang, name="João Pereira",
                                       email=email, companies="Padaria Pão Quente Ltda"))
    assert t("cli.user.companies_removed_tickets", lang, companies="Mercado Exemplo Ltda") \
        in removed.stdout  # their tickets stay the company's
    refused(cli("user", "company", email, "--remove", "Padaria", ok=False, LANGUAGE=lang),
            lang, "error.customer_needs_company")
    refused(cli("user", "company", email, ok=False, LANGUAGE=lang), lang,
            "cli.user.companies_nothing")


def test_r2_the_team_belongs_to_no_client_company(cli: Cli) -> None:
    refused(cli("user", "company", "ana@suporte.com.br", "--add", "Mercado", ok=False),
            "pt_BR", "error.staff_no_company", name="Ana Ribeiro")
    refused(cli("user", "company", "ninguem@x.com.br", "--add", "Mercado", ok=False),
            "pt_BR", "error.user_not_found")
