"""R3: `helpdesk catalog load` says what is wrong with a catalog in LANGUAGE: it said pydantic's
English ("catálogo inválido em tipos: Input should be a valid tuple", "Field required",
"String should match pattern '^[a-z0-9][a-z0-9_-]*$'", "duplicate tipo id: 'a'")."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from test_cli import Cli

from core.i18n import t

SERVICO = {"id": "s", "label": "Serviço"}
ITEM = {"id": "i", "label": "Item", "servicos": [SERVICO]}


def tipo(**fields: Any) -> dict[str, Any]:
    return {"id": "t", "label": "Tipo", "itens": [ITEM], **fields}


CASES = [  # (the catalog, where, the reason's key and parameters)
    ({"tipos": 3}, "tipos", ("settings.error.tuple_type", {})),
    ({"tipo": [tipo()]}, "tipos", ("settings.error.missing", {})),
    ({"tipos": []}, "tipos", ("settings.error.too_short", {"min_length": 1})),
    ({"tipos": [tipo(id="Suporte Técnico")]}, "tipos.1.id", ("cli.catalog.id_format", {})),
    ({"tipos": [tipo(label="L" * 80)]}, "tipos.1.label",
     ("settings.error.string_too_long", {"max_length": 75})),
    ({"tipos": [tipo(label=" ")]}, "tipos.1.label",
     ("settings.error.string_too_short", {"min_length": 1})),
    ({"tipos": [tipo(cor="azul")]}, "tipos.1.cor", ("settings.error.extra_forbidden", {})),
    ({"tipos": [tipo(), tipo(label="Outro")]}, "tipos",
     ("settings.error.duplicate_id", {"id": "t"})),
]
ENGLISH = ("Input should", "Field required", "String should", "Tuple should", "duplicate",
           "Extra inputs")


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    workdir = tmp_path_factory.mktemp("catalog-errors")
    return Cli(workdir, workdir / "catalog.db")


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize(("catalog", "where", "reason"), CASES)
def test_r3_a_bad_catalog_is_told_in_the_language(cli: Cli, lang: str, catalog: Any,
                                                  where: str, reason: Any) -> None:
    path = cli.workdir / "catalogo.yaml"
    path.write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    result = cli("catalog", "load", str(path), ok=False, LANGUAGE=lang)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    key, params = reason
    said = t(key, lang, **params)
    assert line.startswith(t("cli.error", lang, message="") + t(
        "cli.catalog_invalid", lang, where=where, reason=said, errors=1).split(" (")[0]), line
    for english in ENGLISH:
        assert english not in line
