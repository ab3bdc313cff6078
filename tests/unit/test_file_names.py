"""R4: long file names cut in a list of files, told apart, extensions kept."""

from __future__ import annotations

from core.conversation.fmt import NAME_SHOWN, file_names
from core.models import Attachment


def _files(*names: str) -> list[Attachment]:
    return [Attachment(filename=name, sha256="0" * 64) for name in names]


def test_r4_short_names_are_shown_as_they_are() -> None:
    assert file_names(_files("tela.png", "nota-10125.xml")) == "tela.png, nota-10125.xml"


def test_r4_a_long_name_keeps_its_start_its_end_and_its_extension() -> None:
    name = "Relatorio_" + "x" * 230 + "_caixa3.png"
    [shown] = file_names(_files(name)).split(", ")
    assert len(shown) <= NAME_SHOWN
    assert shown.startswith("Relatorio_")
    assert shown.endswith("_caixa3.png")
    assert "…" in shown


def test_r4_long_names_differing_late_in_the_stem_still_differ() -> None:
    stem = "Relatorio_" + "x" * 200
    first, second = file_names(_files(stem + "_a_parte_1.xml", stem + "_b_parte_1.xml")).split(
        ", ")
    assert first != second
    assert max(len(first), len(second)) < 120


def test_r4_long_names_differing_only_in_the_middle_are_cut_around_where_they_differ() -> None:
    """They were shown whole, 205 characters each: now their start, the stretch where they
    differ, their end and extension."""
    first, second = "a" * 100 + "1" + "b" * 100 + ".xml", "a" * 100 + "2" + "b" * 100 + ".xml"
    shown = file_names(_files(first, second, "c" * 100 + ".png")).split(", ")[:2]
    assert shown == ["a" * 16 + "…" + "a" * 6 + "1" + "b" * 5 + "…" + "b" * 8 + ".xml",
                     "a" * 16 + "…" + "a" * 6 + "2" + "b" * 5 + "…" + "b" * 8 + ".xml"]


def test_r4_names_differing_in_the_middle_at_several_places_all_differ() -> None:
    """Each pair differs somewhere between the first and the latest place any two do: that
    stretch is shown of each, so no two are alike, however many."""
    names = ["R" * 90 + f"{i % 7}" + "x" * 40 + f"{i // 7}" + "y" * 90 + ".xml"
             for i in range(49)]
    shown = file_names(_files(*names)).split(", ")
    assert len(set(shown)) == 49
    assert all(s.startswith("R" * 16 + "…") and s.endswith("y" * 8 + ".xml") for s in shown)
    assert max(len(s) for s in shown) < 100
