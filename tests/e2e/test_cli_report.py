"""`helpdesk tickets report`: the coordinator's report as a user runs it, on the demo's desk
(the figures themselves: tests/unit/test_r13_r18_r23_report.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from test_cli import Cli, assert_one_line_error, demo, ticket_lines  # noqa: F401 - demo: the fixture

from core.months import title


def _lines(output: str) -> list[str]:
    return [" ".join(line.split()) for line in output.splitlines()]


def test_r13_r18_r23_the_report_prints_the_desk_s_figures(demo: Cli) -> None:  # noqa: F811
    lines = _lines(demo("tickets", "report").stdout)
    assert lines[0] == "Relatório do atendimento — últimos 30 dias"
    assert "Empresa: todas" in lines
    assert "Abertos no período: 8" in lines
    assert "Rejeitados no período (duplicados, R18): 1" in lines
    assert "Aprovados: 1 (100%)" in lines
    assert "Ótimo 1 100%" in lines
    assert "Instrução sobre funções 1 coberto 0" in lines
    assert "Necessidade não atendida (implementação) 1 fora do contrato 1" in lines
    english = _lines(demo("tickets", "report", "--since-days", "7", LANGUAGE="en").stdout)
    assert english[0] == "Support report — last 7 days"
    assert "Opened in the period: 8" in english


def test_the_report_of_a_company_with_nothing_says_so(demo: Cli, tmp_path: Path  # noqa: F811
                                                      ) -> None:
    cli = demo.copy(tmp_path)
    cli.setup("company", "add", "Padaria Central")
    lines = _lines(cli("tickets", "report", "--company", "padaria").stdout)
    assert "Empresa: Padaria Central" in lines
    assert ("Nenhum ticket foi aberto, assumido, encerrado, respondido ou avaliado neste período: "
            "não há o que mostrar.") in lines
    assert not any("%" in line for line in lines)
    assert_one_line_error(cli("tickets", "report", "--company", "Farmácia", ok=False),
                          "Farmácia")


def test_r23_the_report_of_a_calendar_month(demo: Cli) -> None:  # noqa: F811
    """--month (as the listing's: 2026-11, 11/2026, novembro, mes-passado) is the month's
    days in the support time zone, the current one so far: each demo ticket's number names
    the month it was opened in. Before, the nearest was '--since-days 30' back from now."""
    numbers = [row.split()[0] for row in ticket_lines(demo("tickets", "list").stdout)]
    current = datetime.now(ZoneInfo("America/Sao_Paulo")).strftime("%Y%m")
    for period in sorted({n[:6] for n in numbers}):
        month = f"{period[:4]}-{period[4:]}"
        for said in (month, f"{period[4:]}/{period[:4]}"):
            lines = _lines(demo("tickets", "report", "--month", said).stdout)
            name = title(month, "pt_BR") + (" (até agora)" if period == current else "")
            assert lines[0] == f"Relatório do atendimento — {name}", said
            assert lines[1].startswith(f"Período: de 01/{period[4:]}/{period[:4]} 00:00 a ")
            opened = sum(n.startswith(period) for n in numbers)
            assert f"Abertos no período: {opened}" in lines, (said, lines)
    english = _lines(demo("tickets", "report", "--month", "2020-01", LANGUAGE="en").stdout)
    assert english[:2] == ["Support report — January 2020",
                           "Period: 2020-01-01 00:00 to 2020-01-31 23:59"]
    assert any(line.startswith("No ticket was opened") for line in english)
    assert_one_line_error(demo("tickets", "report", "--month", "brumário", ok=False),
                          "brumário")
    assert_one_line_error(demo("tickets", "report", "--month", "2099-01", ok=False),
                          "janeiro de 2099")
