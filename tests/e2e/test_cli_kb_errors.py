"""R9: `helpdesk kb` says what is wrong with an article in words the team reads: it said
"Artigo inválido (nt: body)." (the code's field names) and `kb remove` of a slug that is not
there only "Não encontrei o que você pediu."."""

from __future__ import annotations

from typing import Any

import pytest
from test_cli import Cli

from core.i18n import t

CASES = [  # (file's text, key, the key's parameters besides the slug)
    ("", "error.article_empty"),
    ("# Fechamento de caixa\n\n", "error.article_empty"),
    ("---\ntitle: [sem fim\n---\nTexto.", "error.article_front_matter_invalid"),
    ("---\n- uma lista\n---\nTexto.", "error.article_front_matter_invalid"),
    ("---\ntitle: Caixa\ntags: 3\n---\nTexto.", "error.article_tags_invalid"),
]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, _sqlite_databases: Any) -> Cli:
    workdir = tmp_path_factory.mktemp("kb-errors")
    cli = Cli(workdir, workdir / "kb.db")
    _sqlite_databases.create(cli.db)  # migrated
    return cli


def refused(result, lang: str, key: str, **params: object) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == t("cli.error", lang, message=t(key, lang, **params))


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize(("text", "key"), CASES)
def test_r9_a_bad_article_is_told_in_the_team_s_words_and_not_saved(
        cli: Cli, lang: str, text: str, key: str) -> None:
    path = cli.workdir / "fechamento-caixa.md"
    path.write_text(text, encoding="utf-8")
    refused(cli("kb", "add", str(path), ok=False, LANGUAGE=lang), lang, key,
            slug="fechamento-caixa")
    assert "fechamento-caixa" not in cli("kb", "list").stdout


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r9_a_slug_that_cannot_be_one_says_what_a_slug_may_have(cli: Cli, lang: str) -> None:
    path = cli.workdir / "caixa.md"
    path.write_text("# Caixa\n\nTexto.", encoding="utf-8")
    refused(cli("kb", "add", str(path), "--slug", "Fechamento de caixa!", ok=False,
                LANGUAGE=lang), lang, "error.article_slug_invalid", slug="fechamento de caixa!")


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r9_removing_an_article_that_is_not_there_names_it(cli: Cli, lang: str) -> None:
    refused(cli("kb", "remove", "nada-disso", ok=False, LANGUAGE=lang), lang,
            "error.article_not_found", slug="nada-disso")
