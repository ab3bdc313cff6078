"""R17: support covers the current release; the bot warns about an older reported version."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.versions import compare_versions, is_older, normalized, parse_version


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2026.11", (2026, 11)),
        ("2026.10.3", (2026, 10, 3)),
        ("v5.2", (5, 2)),
        ("V5.2", (5, 2)),
        ("5.2.1-b3", (5, 2, 1)),
        ("  versão 2026.11 ", (2026, 11)),
        ("Versao: 7", (7,)),
        ("release 3.0.0", (3,)),
        ("2026,11", (2026, 11)),
        ("10.0", (10,)),
        ("0", (0,)),
    ],
)
def test_r17_parse_tolerates_common_formats(text: str, parts: tuple[int, ...]) -> None:
    assert parse_version(text) == parts


@pytest.mark.parametrize(("typed", "kept"), [
    ("2026,11", "2026.11"), ("2026,10,3", "2026.10.3"), ("versão 2026,11", "2026.11"),
    ("uso a 2025", "2025"), ("a versão é 2026.9", "2026.9"), ("2026.11-b3", "2026.11-b3"),
    ("entre 2025 e 2026", "entre 2025 e 2026"), ("não sei", "não sei")])
def test_r17_a_typed_version_is_normalized_like_the_team_writes_it(typed: str, kept: str) -> None:
    assert normalized(typed) == kept


@pytest.mark.parametrize("text", ["", "   ", "não sei", "a última", "beta", "vx", None])
def test_r17_unparsable_versions_are_none(text: str | None) -> None:
    assert parse_version(text) is None
    assert compare_versions(text, "2026.11") is None
    assert is_older(text, "2026.11") is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026.10.3", "2026.11", -1),
        ("2026.11", "2026.10.3", 1),
        ("2026.11", "2026.11.0", 0),
        ("v5.2", "5.2.1-b3", -1),
        ("5.2.1-b3", "5.2.1", 0),
        ("5.10", "5.9", 1),
        ("2025.12", "2026.1", -1),
    ],
)
def test_r17_compare_numeric_parts(a: str, b: str, expected: int) -> None:
    assert compare_versions(a, b) == expected


def test_r17_is_older_than_current() -> None:
    assert is_older("2026.10", "2026.11") is True
    assert is_older("2026.11", "2026.11") is False
    assert is_older("2026.12", "2026.11") is False
    assert is_older("2026.11", "atual") is None


versions = st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)


@given(versions, versions)
def test_r17_property_comparison_is_antisymmetric(a: str, b: str) -> None:
    forward, backward = compare_versions(a, b), compare_versions(b, a)
    assert forward is not None
    assert backward is not None
    assert forward == -backward
    assert is_older(a, b) == (forward < 0)
