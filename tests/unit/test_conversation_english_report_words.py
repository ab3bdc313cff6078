"""R20-R23: the coordinator's "report this month" and "report this week" ask for the report of
that window, as "relatório do mês" and "relatório da semana" do; "this" (and "deste") was read
as the start of a company's name: "No company is called “this month”"."""

from __future__ import annotations

import pytest

from core.conversation import report_words


@pytest.mark.parametrize(("typed", "days"), [
    ("report this month", 30), ("report this week", 7), ("report for this week", 7),
    ("relatório deste mês", 30), ("relatório desta semana", 7),
    ("report this month Mercado Exemplo", 30)])
def test_r20_this_month_or_week_is_the_reports_window(typed, days):
    rest = report_words.split(typed)[1]
    assert report_words.asked(rest)[0] == days
    assert report_words.asked(rest)[1] in ("", "Mercado Exemplo")
