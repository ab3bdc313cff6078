"""A staff member's report asked with a typo next to its days ("relatoro 7", "relatrio 15
dias", "reprot 30"): read as "relatório 7" is; it was searched for in the tickets. A typo
alone, or with words that are no window, is still not the report ("repor 7" is restocking)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import report_words


@pytest.mark.parametrize(("typed", "rest"), [
    ("relatoro 7", "7"), ("relatrio 15 dias", "15 dias"), ("relatorios 7", "7"),
    ("reprot 30", "30"), ("Relatorio 7", "7")])
def test_a_typo_of_the_report_word_before_its_days_is_the_report(typed, rest):
    found = report_words.split(typed)
    assert found is not None
    assert found[1] == rest


@pytest.mark.parametrize("typed", ["relatoro", "relatoro de vendas", "repor 7", "retorno 7",
                                   "relato 7"])
def test_a_typo_without_days_or_another_word_is_no_report(typed):
    assert report_words.split(typed) is None


def test_relatoro_7_at_the_menu_shows_the_report_not_a_search(world):
    chat = chat_for(world, "coord")
    chat.send("oi")
    chat.send("relatoro 7")
    assert any("Relatório do atendimento — últimos 7 dias" in r.text for r in chat.replies)
    assert chat.state().step == "menu.main"
