"""The coordinator's report of a calendar month (R23: contracts and invoices are monthly):
"relatório de novembro", "relatório do mês passado", "report last month" give the month's
first moment to the next month's in São Paulo's time zone (the current month up to now), on
memory, SQLite and PostgreSQL; "relatório 30 dias" stays 30 days back from now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fakes.chat import chat_for

from core.conversation.report_words import month_asked
from core.errors import InvalidInput, NotAllowed
from core.report_text import render
from core.services import report

DEC_7 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
"""Monday 2026-12-07 12:00 in São Paulo."""


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def _edges(world: Any) -> Any:
    """A ticket at each edge of November in São Paulo (UTC-3): 31/10 23:59 local is October's,
    30/11 22:30 local (01/12 01:30 UTC) November's, 01/12 00:00 local December's."""
    for when, assunto in ((datetime(2026, 11, 1, 2, 59, tzinfo=UTC), "Outubro no fim"),
                          (datetime(2026, 12, 1, 1, 30, tzinfo=UTC), "Novembro à noite"),
                          (datetime(2026, 12, 1, 3, 0, tzinfo=UTC), "Dezembro à meia-noite")):
        world.now = when
        world.open("carla", assunto=assunto)
    world.now = DEC_7
    return world


def _month(world: Any, said: str, who: str = "coord", company: str | None = None) -> Any:
    company_id = None if company is None else world.run(
        lambda ctx: ctx.uow.companies.by_name(company)).id
    return world.run(report.build_month, world.ids[who], said, company_id)


def test_r23_a_month_is_its_days_in_sao_paulo_a_ticket_of_30_11_at_22_30_is_novembers(world):
    _edges(world)
    november = _month(world, "2026-11")
    assert november.opened == 1
    assert (november.since, november.until) == (
        datetime(2026, 11, 1, 3, 0, tzinfo=UTC), datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    assert _month(world, "last").opened == 1  # "mês passado" on 7 December
    assert _month(world, "11").opened == 1  # "novembro": the latest November not to come
    assert _month(world, "2026-10").opened == 1
    december = _month(world, "this")
    assert (december.opened, december.until, december.to_date) == (1, DEC_7, True)
    assert not november.to_date
    assert _month(world, "2026-11", company="Loja Rival").opened == 0


def test_r23_a_month_is_half_open_its_last_microsecond_in_and_the_next_ones_first_out(world):
    """[01/11 00:00, 01/12 00:00) in São Paulo: a ticket opened at 30/11 23:59:59.999999 is
    November's, one at 01/12 00:00 December's, each counted once. Before, the window ended
    1 µs before December (its end 23:59:59.999999 kept as the report's)."""
    for when, assunto in ((datetime(2026, 12, 1, 2, 59, 59, 999999, tzinfo=UTC), "Último"),
                          (datetime(2026, 12, 1, 3, 0, tzinfo=UTC), "Primeiro")):
        world.now = when
        world.open("carla", assunto=assunto)
    world.now = DEC_7
    november, december = _month(world, "2026-11"), _month(world, "2026-12")
    assert (november.opened, december.opened) == (1, 1)
    assert november.until == december.since == datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert render(november, world.policy.timezone).splitlines()[1] == (
        "Período: de 01/11/2026 00:00 a 30/11/2026 23:59")


def test_r23_a_window_up_to_now_ends_at_now_what_is_dated_later_left_out(world):
    """A line dated after now ('helpdesk jobs run-once --now' a day ahead, confirmed, closes
    tickets then) is no part of 'this month so far' nor of the last 30 days: the window ends
    now, now's own moment in. It was counted for a while (the window had no end)."""
    for when, assunto in ((DEC_7, "Agora"), (datetime(2026, 12, 22, 12, 0, tzinfo=UTC), "Adiante")):
        world.now = when
        world.open("carla", assunto=assunto)
    world.now = DEC_7
    assert _month(world, "this").opened == 1
    assert world.run(report.build, world.ids["coord"], 30).opened == 1


def test_r23_the_months_header_names_it_and_the_current_one_says_so_far(world):
    _edges(world)
    tz = world.policy.timezone
    text = render(_month(world, "2026-11"), tz).splitlines()
    assert text[:2] == ["Relatório do atendimento — novembro de 2026",
                        "Período: de 01/11/2026 00:00 a 30/11/2026 23:59"]
    assert render(_month(world, "this"), tz).splitlines()[:2] == [
        "Relatório do atendimento — dezembro de 2026 (até agora)",
        "Período: de 01/12/2026 00:00 a 07/12/2026 12:00"]
    english = render(_month(world, "2026-11"), tz, "en").splitlines()
    assert english[:2] == ["Support report — November 2026",
                           "Period: 2026-11-01 00:00 to 2026-11-30 23:59"]
    assert render(_month(world, "this"), tz, "en").splitlines()[0] == (
        "Support report — December 2026 (so far)")


def test_r23_a_month_to_come_is_refused_and_a_customer_gets_no_report(world):
    world.now = DEC_7
    with pytest.raises(InvalidInput) as refused:
        _month(world, "2027-01")
    assert refused.value.key == "error.report_month_ahead"
    with pytest.raises(NotAllowed):
        _month(world, "last", who="carla")


@pytest.mark.parametrize(("rest", "expected"), [
    ("de novembro", ("11", "")),
    ("novembro", ("11", "")),
    ("do mês passado", ("last", "")),
    ("mês passado", ("last", "")),
    ("deste mês", ("this", "")),
    ("do mês", ("this", "")),
    ("mês", ("this", "")),
    ("novembro Mercado Exemplo", ("11", "Mercado Exemplo")),
    ("de novembro da empresa Mercado Exemplo", ("11", "Mercado Exemplo")),
    ("Mercado Exemplo de novembro", ("11", "Mercado Exemplo")),
    ("do mês Loja Rival", ("this", "Loja Rival")),
    ("nov/2026 Loja Rival", ("2026-11", "Loja Rival")),
    ("11/2026", ("2026-11", "")),
    ("de março", ("3", "")),
    ("for november", ("11", "")),
    ("last month", ("last", "")),
    ("this month", ("this", "")),
    ("for the month", ("this", "")),
    ("do mês de novembro de 2026", ("2026-11", "")),
    ("Loja Rival do mês de novembro de 2026", ("2026-11", "Loja Rival")),
    # As the CLI's --month takes it; before: "Nenhuma empresa se chama “2026-11”".
    ("2026-11", ("2026-11", "")),
    ("de 2026-11", ("2026-11", "")),
    ("2026/11 Loja Rival", ("2026-11", "Loja Rival")),
    ("Loja Rival de 2026-3", ("2026-03", "Loja Rival")),
])
def test_r23_the_chats_words_for_a_month(rest, expected):
    assert month_asked(rest) == expected


@pytest.mark.parametrize("rest", ["", "30 dias", "7", "1 mês", "da semana", "Mercado Exemplo",
                                  "2026-13", "nota 2026 11",
                                  "7 dias Mercado", "Marco Materiais", "do último mês",
                                  "Loja 09"])
def test_r23_days_and_names_are_no_month(rest):
    assert month_asked(rest) is None


def _shown(chat: Any) -> list[str]:
    text = "\n\n".join(r.text for r in chat.replies if r.markdown is not None)
    return [" ".join(line.split()) for line in text.splitlines()]


def test_r23_the_coordinator_asks_the_month_in_the_chat(world):
    _edges(world)
    chat = chat_for(world, "coord")
    chat.send("oi")
    for words in ("relatório de novembro", "relatório do mês passado", "Relatório novembro"):
        chat.send(words)
        said = _shown(chat)
        assert said[0] == "Relatório do atendimento — novembro de 2026", words
        assert "Abertos no período: 1" in said
        assert "Empresa: todas" in said
    chat.send("relatório novembro Mercado Exemplo")
    said = _shown(chat)
    assert said[0] == "Relatório do atendimento — novembro de 2026"
    assert "Empresa: Mercado Exemplo" in said
    for words in ("relatório deste mês", "relatório do mês"):
        chat.send(words)
        assert _shown(chat)[0] == "Relatório do atendimento — dezembro de 2026 (até agora)", words
    chat.send("relatório 30 dias")
    assert _shown(chat)[0] == "Relatório do atendimento — últimos 30 dias"
    chat.send("relatório de janeiro de 2027")
    assert "janeiro de 2027 ainda não começou" in chat.text
    world.speaks("coord", "en")
    chat.send("report for november")
    assert _shown(chat)[0] == "Support report — November 2026"
    chat.send("report last month")
    assert _shown(chat)[0] == "Support report — November 2026"


def test_r23_a_month_is_the_report_wherever_the_agent_is(world):
    """As "relatório 7 dias": a command at any step, shown, and the step stays."""
    _edges(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    step = chat.state().step
    chat.send("relatório do mês passado")
    assert _shown(chat)[0] == "Relatório do atendimento — novembro de 2026"
    assert chat.state().step == step


def test_r23_a_company_whose_name_holds_a_month_is_the_company(world):
    """'relatório Maio Distribuidora' was May's report of a company 'Distribuidora'."""
    from core.services import users

    world.run(users.add_company, "Maio Distribuidora")
    world.now = DEC_7
    chat = chat_for(world, "coord")
    chat.send("oi")
    chat.send("relatório Maio Distribuidora")
    said = _shown(chat)
    assert said[0] == "Relatório do atendimento — últimos 30 dias"
    assert "Empresa: Maio Distribuidora" in said
    chat.send("relatório de maio Maio Distribuidora")
    said = _shown(chat)
    assert said[0] == "Relatório do atendimento — maio de 2026"
    assert "Empresa: Maio Distribuidora" in said
