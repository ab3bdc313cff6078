"""The coordinator's report (`helpdesk tickets report`, Slack's /ticket relatorio): a known
set of tickets gives known figures, each tied to its rule (R13, R18-R23), on memory, SQLite and
PostgreSQL; the window and the company are respected, an empty window says so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from core.errors import InvalidInput, NotAllowed
from core.models import CriticalReason, Decision, Priority, Rating
from core.report_text import render
from core.services import billing, closing, handling, report, sweeps, users
from core.services.report import Report
from core.services.system_lines import system_text


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def _answered(world: Any, who: str = "carla", agent: str = "ana", **fields: Any) -> Any:
    ticket = world.open(who, **fields)
    world.run(handling.take, world.ids[agent], ticket.id)
    world.run(closing.request_approval, world.ids[agent], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return ticket


def _rated(world: Any, ticket: Any, rating: Rating, who: str = "carla") -> None:
    world.run(closing.rate, world.ids[who], ticket.id, rating)


def _desk(world: Any) -> Any:
    """Mercado Exemplo's week and a Loja Rival ticket; one ticket from before the window."""
    start = world.now
    world.now = start - timedelta(days=40)  # 56 days before the report: outside 30 days
    old = _answered(world)
    world.run(closing.approve, world.ids["carla"], old.id)
    _rated(world, old, Rating.TERRIBLE)
    world.now = start
    approved = _answered(world, assunto="Pedido não confirma")
    world.run(closing.approve, world.ids["carla"], approved.id)
    _rated(world, approved, Rating.GREAT)
    restricted = _answered(world, agent="bruno", assunto="Relatório de vendas lento")
    world.run(closing.approve_with_restrictions, world.ids["carla"], restricted.id,
              "Resolveu, mas demorou")
    _rated(world, restricted, Rating.FAIR)
    silent = _answered(world, assunto="Etiqueta desalinhada")
    twice = _answered(world, assunto="Estoque negativo")
    world.run(closing.not_approve, world.ids["carla"], twice.id, "Continua negativo")
    world.run(closing.request_approval, world.ids["ana"], twice.id, "Agora recalculamos.")
    world.run(closing.approve, world.ids["carla"], twice.id)
    _rated(world, twice, Rating.GOOD)
    duplicate = world.open("carla", assunto="Pedido não confirma de novo")
    world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, approved.number)
    late = world.open("carla", assunto="Caixa fecha sozinho")
    world.run(handling.take, world.ids["ana"], late.id)
    billable = world.open("carla", assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], billable.id, "layout")
    rival = _answered(world, who="rival", assunto="Caixa não abre")
    world.run(closing.approve, world.ids["rival"], rival.id)
    _rated(world, rival, Rating.TERRIBLE, who="rival")
    world.now = start + timedelta(days=6)  # past the 5 days' prazo
    world.run(closing.request_approval, world.ids["ana"], late.id, "Trocamos a impressora.",
              origin_id="erro_sistema")
    world.now = start + timedelta(days=16)
    assert world.run(sweeps.run_all).auto_closed >= 1
    assert world.ticket(silent.id).decision == Decision.AUTO_APPROVED
    return world


def _report(world: Any, company: str | None = None, days: int = 30, who: str = "coord"
            ) -> Report:
    company_id = None
    if company is not None:
        company_id = world.run(lambda ctx: ctx.uow.companies.by_name(company)).id
    return world.run(report.build, world.ids[who], days, company_id)


def test_r13_r18_r19_r20_r21_r22_r23_figures_of_a_known_desk(world: Any) -> None:
    found = _report(_desk(world))
    assert found.opened == 8  # the old ticket's 56 days are outside the window
    assert found.closed == {Decision.APPROVED: 3, Decision.APPROVED_WITH_RESTRICTIONS: 1,
                            Decision.AUTO_APPROVED: 1}
    assert (found.rejected, found.not_approved) == (1, 1)
    assert found.ratings == {Rating.GREAT: 1, Rating.GOOD: 1, Rating.FAIR: 1, Rating.POOR: 0,
                             Rating.TERRIBLE: 1}
    assert found.closed_unrated == 1  # the auto-closed one
    assert (found.on_time, found.late) == (6, 1)
    origins = {o.origin: (o.tickets, o.covered, o.billable) for o in found.origins}
    assert origins == {"erro_sistema": (6, True, 0), "layout": (1, False, 1),
                       None: (1, None, 0)}
    agents = {a.name: (a.closed, a.ratings, a.unrated) for a in found.agents}
    assert agents == {
        "Ana Atendente": (4, {Rating.GREAT: 1, Rating.GOOD: 1, Rating.TERRIBLE: 1}, 1),
        "Bruno Suporte": (1, {Rating.FAIR: 1}, 0)}


def test_r8_another_company_s_tickets_are_never_counted_for_one_company(world: Any) -> None:
    found = _report(_desk(world), company="Mercado Exemplo")
    assert found.company == "Mercado Exemplo"
    assert found.opened == 7
    assert found.closed == {Decision.APPROVED: 2, Decision.APPROVED_WITH_RESTRICTIONS: 1,
                            Decision.AUTO_APPROVED: 1}
    assert found.ratings[Rating.TERRIBLE] == 0  # Loja Rival's, and the one before the window
    assert (found.on_time, found.late, found.rejected, found.not_approved) == (5, 1, 1, 1)
    assert [a.closed for a in found.agents] == [3, 1]
    rival = _report(world, company="Loja Rival")
    assert (rival.opened, rival.closed, rival.ratings[Rating.TERRIBLE]) == (
        1, {Decision.APPROVED: 1}, 1)


def test_r20_the_window_is_respected(world: Any) -> None:
    """A 60-day window takes the ticket of 56 days ago (its rating too); a 3-day one the
    auto-close alone: the late solution's day is outside it."""
    _desk(world)
    wide = _report(world, days=60)
    assert (wide.opened, wide.ratings[Rating.TERRIBLE]) == (9, 2)
    recent = _report(world, days=3)
    assert (recent.opened, recent.closed, recent.late) == (0, {Decision.AUTO_APPROVED: 1}, 0)


def test_an_empty_window_says_so_without_percentages(world: Any) -> None:
    world.run(users.add_company, "Padaria Central")
    found = _report(world, company="Padaria Central")
    assert found.empty
    text = render(found, world.policy.timezone)
    assert ("Nenhum ticket foi aberto, assumido, encerrado, respondido ou avaliado neste período"
            in text)
    assert "%" not in text
    assert "nan" not in text
    english = render(found, world.policy.timezone, "en")
    assert "No ticket was opened, taken, closed, answered or rated in this period" in english


def test_the_report_reads_as_a_coordinator_reads_it(world: Any) -> None:
    text = render(_report(_desk(world)), world.policy.timezone)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert lines[0] == "Relatório do atendimento — últimos 30 dias"
    for expected in ("Abertos no período: 8", "Encerrados no período: 5",
                     "Aprovados: 3 (60%)", "Aprovados com restrições: 1 (20%)",
                     "Encerrados automaticamente após 15 dias sem resposta (R21): 1 (20%)",
                     "Rejeitados no período (duplicados, R18): 1",
                     "Soluções não aprovadas pelo cliente no período (R19): 1",
                     "Ótimo 1 25%", "Ruim 0 0%", "Encerrados no período sem avaliação: 1 de 5",
                     "Dentro do prazo: 6 (86%)", "Com atraso: 1 (14%)",
                     "Erro de sistema 6 coberto 0",
                     "Ana Atendente 4 1 1 0 0 1 1", "Bruno Suporte 1 0 0 1 0 0 0"):
        assert expected in lines, (expected, text)
    english = render(_report(world), world.policy.timezone, "en")
    assert "Approved with restrictions: 1 (20%)" in english
    assert "Late: 1 (14%)" in english


def test_a_customer_cannot_get_the_report(world: Any) -> None:
    with pytest.raises(NotAllowed):
        _report(world, who="carla")
    with pytest.raises(InvalidInput):
        _report(world, days=0)


def test_r8_a_large_company_is_counted_as_a_small_one(world: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A company past storage.sql.report.SMALL_COMPANY is counted from the window's ranges,
    its company a filter: the same figures, another company's still never counted."""
    from storage.sql import report as sql_report

    _desk(world)
    small = _report(world, company="Mercado Exemplo")
    monkeypatch.setattr(sql_report, "SMALL_COMPANY", 0)
    assert _report(world, company="Mercado Exemplo") == small
    assert _report(world, company="Loja Rival").opened == 1


def _sent_late_then_prazo_pushed_later(world: Any) -> Any:
    """A critical ticket (1 day) answered on its second day, not approved, then made Padrão:
    its prazo moves to the fifth day, after the day the solution went."""
    ticket = world.open("carla", assunto="Caixa trava no fechamento")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    world.advance(days=2)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Reinstalamos o caixa.",
              origin_id="erro_sistema")
    world.advance(hours=1)
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Continua travando")
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.STANDARD)
    assert world.ticket(ticket.id).due_at > world.now  # today's prazo: not passed
    return ticket


def test_r13_a_solution_sent_late_stays_late_when_the_prazo_later_moves_on(world: Any) -> None:
    _sent_late_then_prazo_pushed_later(world)
    found = _report(world)
    assert (found.on_time, found.late) == (0, 1)
    world.advance(days=1)  # read again the next day, after more changes: the same figure
    assert (_report(world).on_time, _report(world).late) == (0, 1)


def test_r13_a_solution_sent_on_time_stays_on_time_when_the_prazo_is_later_shortened(
        world: Any) -> None:
    """Padrão (5 days), answered on the third day, not approved a day later (the prazo waits
    that day: the sixth), then made critical: the prazo becomes the second day, before the
    solution went. It was sent on time, and is still counted so."""
    ticket = world.open("carla", assunto="Nota fiscal rejeitada")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.advance(days=3)
    sent_at = world.now
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigimos o CFOP.",
              origin_id="erro_sistema")
    world.advance(days=1)
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Ainda rejeita")
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              CriticalReason.TAX_DEADLINE)
    assert world.ticket(ticket.id).due_at < sent_at  # today's prazo: before the solution
    assert (_report(world).on_time, _report(world).late) == (1, 0)
    assert (_report(world, company="Mercado Exemplo").on_time,
            _report(world, company="Mercado Exemplo").late) == (1, 0)


def test_r13_the_ticket_s_history_reads_the_solution_line_as_before(world: Any) -> None:
    """The judgement the solution's line keeps is the report's: the history a customer or an
    agent reads says what it always said."""
    ticket = _sent_late_then_prazo_pushed_later(world)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    [line] = [e for e in entries if e.text.startswith("approval_requested")]
    bare = line.model_copy(update={"text": "approval_requested"})
    for customer in (False, True):
        shown = system_text(line, "Ana Atendente", {}, "pt_BR", for_customer=customer)
        assert shown == system_text(bare, "Ana Atendente", {}, "pt_BR", for_customer=customer)
        assert shown == "Ana Atendente respondeu ao cliente; aguardando aprovação."
