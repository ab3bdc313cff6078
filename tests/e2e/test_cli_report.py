"""`helpdesk tickets report`: the coordinator's report as a user runs it, on the demo's desk
(the figures themselves: tests/unit/test_r13_r18_r23_report.py)."""

from __future__ import annotations

from pathlib import Path

from test_cli import Cli, assert_one_line_error, demo  # noqa: F401 - demo: the fixture


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
    cli("company", "add", "Padaria Central")
    lines = _lines(cli("tickets", "report", "--company", "padaria").stdout)
    assert "Empresa: Padaria Central" in lines
    assert ("Nenhum ticket foi aberto, encerrado, respondido ou avaliado neste período: "
            "não há o que mostrar.") in lines
    assert not any("%" in line for line in lines)
    assert_one_line_error(cli("tickets", "report", "--company", "Farmácia", ok=False),
                          "Farmácia")
