"""/ticket relatorio (report) in Slack: the coordinator's report, through the fake Slack server
with signed requests, answered only to whoever asked; a customer is refused in their own
language (the figures themselves: tests/unit/test_r13_r18_r23_report.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from slack_harness import Scenario, SlackWorld
from test_slack_commands import answer
from test_slack_own_language import speaks

from core.i18n import t
from core.models import Rating
from core.services import closing, handling


async def _closed(w: SlackWorld, who: str = "carla") -> None:
    ticket = await w.open_ticket(who)
    await w.core(handling.take, w.ids["ana"], ticket.id)
    await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Ajustamos o cadastro.",
                 origin_id="erro_sistema")
    await w.core(closing.approve, w.ids[who], ticket.id)
    await w.core(closing.rate, w.ids[who], ticket.id, Rating.GREAT)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_r20_r23_an_agent_gets_the_report_in_slack(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await _closed(w)
        await w.open_ticket("rita", assunto="Caixa não abre")
        reply = await answer(w, "UANA", "relatorio")
        assert reply["response_type"] == "ephemeral"
        lines = _lines(reply["text"])
        assert "Relatório do atendimento — últimos 30 dias" in lines
        for expected in ("Empresa: todas", "Abertos no período: 2", "Aprovados: 1 (100%)",
                         "Ótimo 1 100%", "Dentro do prazo: 1 (100%)",
                         "Erro de sistema 1 coberto 0", "Ana Atendente 1 1 0 0 0 0 0"):
            assert expected in lines, (expected, reply["text"])
        one = _lines((await answer(w, "UANA", "Relatório 7 dias mercado"))["text"])
        assert "Relatório do atendimento — últimos 7 dias" in one
        assert "Empresa: Mercado Exemplo" in one
        assert "Abertos no período: 1" in one  # Loja Rival's ticket is not counted
        unknown = await answer(w, "UANA", "relatorio Farmácia")
        assert unknown["text"] == t("slack.cmd.report_usage", word="relatorio",
                                    extra="Farmácia")
        assert (await answer(w, "UANA", "relatorio 0"))["text"] == t(
            "error.report_days", most=3660)

    run(scenario)


def test_slack_reads_the_reports_words_as_the_chat_does(run: Callable[[Scenario], None]
                                                        ) -> None:
    """'da semana' and a window after the company ('mercado 7 dias') were a company's name
    to Slack's own reading ('Não encontrei a empresa semana'), while the chat took them."""
    async def scenario(w: SlackWorld) -> None:
        await _closed(w)
        week = _lines((await answer(w, "UANA", "relatorio da semana"))["text"])
        assert "Relatório do atendimento — últimos 7 dias" in week
        assert "Empresa: todas" in week
        after = _lines((await answer(w, "UANA", "relatorio mercado 15 dias"))["text"])
        assert "Relatório do atendimento — últimos 15 dias" in after
        assert "Empresa: Mercado Exemplo" in after

    run(scenario)


def test_an_english_speaking_agent_asks_for_the_report(run: Callable[[Scenario], None]
                                                       ) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        await _closed(w)
        lines = _lines((await answer(w, "UANA", "report 15"))["text"])
        assert "Support report — last 15 days" in lines
        assert "Approved: 1 (100%)" in lines
        assert "/ticket report" in (await answer(w, "UANA", "help"))["text"]

    run(scenario)


def test_a_customer_cannot_get_the_report_in_slack(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await _closed(w)
        await w.core(speaks, w.ids["rita"])
        carla = await answer(w, "UCARLA", "relatorio")
        assert carla["response_type"] == "ephemeral"
        assert carla["text"] == t("error.staff_only")
        rita = await answer(w, "URITA", "report")
        assert rita["text"] == t("error.staff_only", "en")
        assert "Relatório" not in carla["text"] + rita["text"]

    run(scenario)


def test_r23_slack_gives_the_report_of_a_calendar_month(run: Callable[[Scenario], None]
                                                         ) -> None:
    """'/ticket relatorio novembro [EMPRESA]': November 1-30 in São Paulo, as the chat reads
    it; on 24 November it is the current month, so far. Before, 'novembro' was a company."""
    async def scenario(w: SlackWorld) -> None:
        await _closed(w)
        await w.open_ticket("rita", assunto="Caixa não abre")
        november = _lines((await answer(w, "UANA", "relatorio novembro"))["text"])
        assert november[1:3] == ["Relatório do atendimento — novembro de 2026 (até agora)",
                                "Período: de 01/11/2026 00:00 a 24/11/2026 10:00"]
        assert "Abertos no período: 2" in november
        one = _lines((await answer(w, "UANA", "relatorio novembro mercado"))["text"])
        assert "Empresa: Mercado Exemplo" in one
        assert "Abertos no período: 1" in one
        w.now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
        last = _lines((await answer(w, "UANA", "relatorio mes passado Loja Rival"))["text"])
        assert last[1] == "Relatório do atendimento — novembro de 2026"
        assert "Período: de 01/11/2026 00:00 a 30/11/2026 23:59" in last
        assert "Empresa: Loja Rival" in last
        assert "Abertos no período: 1" in last
        this = _lines((await answer(w, "UANA", "relatorio deste mes"))["text"])
        assert this[1] == "Relatório do atendimento — dezembro de 2026 (até agora)"
        assert t("report.empty") in this
        assert (await answer(w, "UANA", "relatorio janeiro 2027"))["text"] == t(
            "error.report_month_ahead", month="janeiro de 2027")

    run(scenario)
