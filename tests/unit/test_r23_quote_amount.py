"""R23: the amount a quote names, for the invoice export. The quote stays the agent's line of
text; its amount in reais is read from it when the line names one total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.money import quoted_amount


@pytest.mark.parametrize(("quote", "amount"), [
    ("4 h de análise, R$ 720,00", "720.00"),
    ("16 h de desenvolvimento e testes, R$ 2.880,00", "2880.00"),
    ("R$1.080,5 pela visita", "1080.50"),
    ("Visita técnica: R$ 350", "350"),
    ("r$ 99,90", "99.90"),
    ("1.250,00 reais, em duas parcelas", "1250.00"),
    ("Migração do banco R$ 12.000", "12000"),
    ("4 h × R$ 180,00 = R$ 720,00", "720.00"),
    ("2 h de R$ 150,00 e deslocamento R$ 80,00, total R$ 380,00", "380.00"),
    ("R$ 720,00 (R$ 720,00 à vista)", "720.00"),
    ("R$ 720,00 - 4 h de análise", "720.00"),
    ("R$ 720.50", "720.50"),
])
def test_r23_the_quote_names_its_amount(quote: str, amount: str) -> None:
    """The amount the customer is asked to authorize, as a number to sum."""
    assert quoted_amount(quote) == Decimal(amount)


@pytest.mark.parametrize("quote", [
    "4 h de análise",  # hours, no money: the contract's rate applies
    "a combinar após a visita",
    "R$ 300,00 a R$ 450,00 conforme o escopo",  # a range is no amount to invoice
    "R$ 300-450",
    "2 h de R$ 150,00 e deslocamento R$ 80,00",  # several and no total: the agent sums
    "versão 2026.11, 3 h",
    "",
])
def test_r23_a_quote_without_one_total_has_no_amount(quote: str) -> None:
    """Nothing guessed: no amount, or several without a total, leave the column empty."""
    assert quoted_amount(quote) is None


@pytest.mark.parametrize(("quote", "amount"), [
    ("4 h of analysis, R$ 2,880.00", "2880.00"),
    ("Database migration R$ 12,000", "12000"),
    ("2 h at R$ 150.00 and travel R$ 80.00, total R$ 1,234.56", "1234.56"),
    ("R$1,080.5 for the visit", "1080.50"),
    ("1,250.00 reais, in two instalments", "1250.00"),
])
def test_r23_a_quote_written_the_english_way_names_its_amount(quote: str, amount: str) -> None:
    """An English-speaking agent groups thousands with commas (the form's own hint is "R$
    720.00"): "R$ 2,880.00" was read as R$ 2, and the invoice export's column said 2.00."""
    assert quoted_amount(quote) == Decimal(amount)
