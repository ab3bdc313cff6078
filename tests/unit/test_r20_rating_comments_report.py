"""R20: the coordinator's report (`helpdesk tickets report`, Slack's /ticket relatorio) lists
the latest comments of Regular, Ruim and Péssimo ratings given in its window, newest first and
bounded; the comment is stored with the rating. On memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from core.models import Rating
from core.report_text import render
from core.services import closing, handling, rating, report


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def _closed(world: Any, who: str = "carla", assunto: str = "Pedido não confirma") -> Any:
    ticket = world.open(who, assunto=assunto)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids[who], ticket.id)
    return ticket


def _report(world: Any, company: str | None = None, days: int = 30) -> report.Report:
    company_id = None
    if company is not None:
        company_id = world.run(lambda ctx: ctx.uow.companies.by_name(company)).id
    return world.run(report.build, world.ids["coord"], days, company_id)


def test_r20_a_rating_keeps_its_comment_in_storage(world: Any) -> None:
    ticket = _closed(world)
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.TERRIBLE,
              "  Ninguém me respondeu por 3 dias  ")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.TERRIBLE,
                                                      "Ninguém me respondeu por 3 dias")
    later = _closed(world, assunto="Boleto errado")
    world.run(closing.rate, world.ids["carla"], later.id, Rating.GOOD)
    world.run(rating.comment_rating, world.ids["carla"], later.id, "Rápido")
    assert world.ticket(later.id).rating_comment == "Rápido"


def test_r20_the_report_lists_the_latest_low_comments_newest_first(world: Any) -> None:
    start = world.now
    world.now = start - timedelta(days=40)  # outside the 30 days
    old = _closed(world, assunto="Antigo")
    world.run(closing.rate, world.ids["carla"], old.id, Rating.TERRIBLE, "Antigo demais")
    world.now = start
    fair = _closed(world, assunto="Relatório lento")
    world.run(closing.rate, world.ids["carla"], fair.id, Rating.FAIR, "Demorou, mas resolveu")
    world.advance(hours=1)
    great = _closed(world, assunto="Cadastro")  # a good one's comment is not listed
    world.run(closing.rate, world.ids["carla"], great.id, Rating.GREAT, "Muito atencioso")
    world.advance(hours=1)
    poor = _closed(world, assunto="Caixa")
    world.run(closing.rate, world.ids["carla"], poor.id, Rating.POOR)
    world.run(rating.comment_rating, world.ids["carla"], poor.id, "Não conhecia o módulo")
    world.advance(hours=1)
    silent = _closed(world, assunto="Estoque")  # low, but nothing said
    world.run(closing.rate, world.ids["carla"], silent.id, Rating.TERRIBLE)
    rival = _closed(world, who="rival", assunto="Caixa não abre")
    world.run(closing.rate, world.ids["rival"], rival.id, Rating.TERRIBLE, "Ninguém atendeu")
    found = _report(world)
    assert [(c.ticket_id, c.rating, c.comment) for c in found.comments] == [
        (rival.id, Rating.TERRIBLE, "Ninguém atendeu"),
        (poor.id, Rating.POOR, "Não conhecia o módulo"),
        (fair.id, Rating.FAIR, "Demorou, mas resolveu")]
    mine = _report(world, company="Mercado Exemplo")  # never another company's words
    assert [c.ticket_id for c in mine.comments] == [poor.id, fair.id]
    assert [c.ticket_id for c in _report(world, days=60).comments][-1] == old.id
    text = render(mine, world.policy.timezone)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Comentários das avaliações Regular, Ruim e Péssimo (os 2 mais recentes primeiro):" \
        in lines
    assert f"{poor.number} — Ruim — 24/11/2026 12:00: “Não conhecia o módulo”" in lines
    english = render(mine, world.policy.timezone, "en")
    assert f"{fair.number} — Fair — 2026-11-24 10:00: “Demorou, mas resolveu”" in english


def test_r20_the_reports_comments_are_bounded(world: Any) -> None:
    for n in range(report.COMMENTS + 2):
        ticket = _closed(world, assunto=f"Pedido {n}")
        world.run(closing.rate, world.ids["carla"], ticket.id, Rating.POOR, f"Demorou {n}")
        world.advance(minutes=1)
    found = _report(world)
    assert [c.comment for c in found.comments] == [
        f"Demorou {n}" for n in range(report.COMMENTS + 1, 1, -1)]
    long = _closed(world, assunto="Longo")
    world.run(closing.rate, world.ids["carla"], long.id, Rating.POOR, "Lento " * 150)
    text = render(_report(world), world.policy.timezone)
    [line] = [x for x in text.splitlines() if long.number in x]
    assert len(line) < 300
    assert line.endswith("…”")
