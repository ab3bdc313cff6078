"""R3/R4/R16: the tipo → item → serviço catalog the intake offers."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from core.catalog import MAX_CHOICES, Catalog, crowded, default_catalog, parse_catalog
from core.errors import InvalidInput


def small() -> dict[str, Any]:
    return {
        "tipos": [
            {
                "id": "t",
                "label": "Tipo",
                "itens": [{"id": "i", "label": "Item", "servicos": [{"id": "s", "label": "S"}]}],
            }
        ]
    }


def test_r3_default_catalog_has_the_manuals_choices() -> None:
    catalog = default_catalog()
    tipo = catalog.tipo("varejo")
    assert tipo.label == "Sistemas de Varejo"
    suporte = catalog.item("varejo", "suporte")
    assert suporte.label == "Suporte TOTALL SISTEMAS"
    labels = {s.label for s in suporte.servicos}
    for expected in ("Estoque", "Compras", "Contratos", "Faturamento", "Cadastros", "Relatórios"):
        assert expected in labels
    assert catalog.servico("varejo", "suporte", "financeiro").label.startswith("Financeiro")


def test_r3_default_catalog_is_cached_and_frozen() -> None:
    assert default_catalog() is default_catalog()
    with pytest.raises(ValidationError):
        default_catalog().tipos[0].label = "x"  # type: ignore[misc]


def test_r3_every_id_fits_a_button() -> None:
    for tipo in default_catalog().tipos:
        for item in tipo.itens:
            for servico in item.servicos:
                assert len(f"{tipo.id}:{item.id}:{servico.id}".encode()) <= 62


def test_r4_nfe_services_are_flagged() -> None:
    catalog = default_catalog()
    assert catalog.is_nfe("varejo", "suporte", "nfe")
    assert catalog.is_nfe("varejo", "suporte", "nfce")
    assert not catalog.is_nfe("varejo", "suporte", "estoque")
    assert not catalog.is_nfe("varejo", "implementacao", "fiscal")


def test_r16_implementation_item_is_flagged() -> None:
    catalog = default_catalog()
    assert catalog.is_implementation("varejo", "implementacao")
    assert catalog.item("varejo", "implementacao").label == "Solicitação de implementação"
    assert not catalog.is_implementation("varejo", "suporte")
    assert not catalog.is_implementation("varejo", "servicos")


def test_r23_out_of_contract_item_is_billable() -> None:
    catalog = default_catalog()
    assert catalog.is_billable("varejo", "servicos")
    assert not catalog.is_billable("varejo", "suporte")


@pytest.mark.parametrize(
    ("call", "level"),
    [
        (lambda c: c.tipo("nada"), "tipo"),
        (lambda c: c.item("varejo", "nada"), "item"),
        (lambda c: c.item("nada", "suporte"), "tipo"),
        (lambda c: c.servico("varejo", "suporte", "nada"), "servico"),
        (lambda c: c.is_nfe("varejo", "suporte", "nada"), "servico"),
        (lambda c: c.is_implementation("varejo", "nada"), "item"),
    ],
)
def test_r3_unknown_choice_is_invalid_input(call: Any, level: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        call(default_catalog())
    assert caught.value.key == "error.unknown_choice"
    assert caught.value.params["level"] == level


def test_r3_labels_join_the_path() -> None:
    assert default_catalog().labels("varejo", "suporte", "estoque") == (
        "Sistemas de Varejo / Suporte TOTALL SISTEMAS / Estoque"
    )


def test_r3_model_validate_accepts_a_plain_dict() -> None:
    catalog = Catalog.model_validate(small())
    assert catalog.servico("t", "i", "s").nfe is False


def test_r3_duplicate_ids_are_refused_at_each_level() -> None:
    raw = small()
    raw["tipos"][0]["itens"][0]["servicos"].append({"id": "s", "label": "Outro"})
    with pytest.raises(ValidationError, match="duplicate servico id: "):
        Catalog.model_validate(raw)
    raw = small()
    raw["tipos"][0]["itens"].append(raw["tipos"][0]["itens"][0])
    with pytest.raises(ValidationError, match="duplicate item id: "):
        Catalog.model_validate(raw)
    raw = small()
    raw["tipos"].append(raw["tipos"][0])
    with pytest.raises(ValidationError, match="duplicate tipo id: "):
        Catalog.model_validate(raw)


@pytest.mark.parametrize(
    ("field", "value"),
    [("label", ""), ("label", "   "), ("id", "Com Espaço"), ("id", "x" * 21), ("nfe", "talvez")],
)
def test_r3_bad_entries_are_refused(field: str, value: str) -> None:
    raw = small()
    raw["tipos"][0]["itens"][0]["servicos"][0][field] = value
    with pytest.raises(ValidationError):
        Catalog.model_validate(raw)


def test_r3_unknown_keys_and_empty_levels_are_refused() -> None:
    raw = small()
    raw["tipos"][0]["itens"][0]["nfee"] = True
    with pytest.raises(ValidationError):
        Catalog.model_validate(raw)
    raw = small()
    raw["tipos"][0]["itens"][0]["servicos"] = []
    with pytest.raises(ValidationError):
        Catalog.model_validate(raw)


def test_r3_parse_catalog_reads_yaml() -> None:
    text = """
tipos:
  - id: t
    label: Tipo
    itens:
      - id: i
        label: Item
        implementation: true
        servicos: [{id: s, label: Serviço, nfe: true}]
"""
    catalog = parse_catalog(text)
    assert catalog.is_nfe("t", "i", "s")
    assert catalog.is_implementation("t", "i")


def test_r3_the_manuals_catalog_fits_a_chat_keyboard_and_a_crowded_one_is_found() -> None:
    """No question of the default catalog has more than MAX_CHOICES buttons; one more is named."""
    assert crowded(default_catalog()) is None
    raw = small()
    raw["tipos"][0]["itens"][0]["servicos"] = [{"id": f"s{i}", "label": f"S {i}"}
                                              for i in range(MAX_CHOICES + 1)]
    assert crowded(Catalog.model_validate(raw)) == ("t.i.servicos", MAX_CHOICES + 1)
