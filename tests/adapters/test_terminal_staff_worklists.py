"""R12, R13, R19, R21: an agent's chat has the team's worklists that Slack's /ticket has.

Ana typed "atrasados" in her terminal chat and got a search for the word ("Busca: atrasados
… Nenhum ticket aqui"); "aguardando aprovação" listed that tab newest first, without how long
each customer has been silent; "meus" every ticket of hers, the closed ones too. Slack's
`/ticket atrasados`, `aprovacao` and `meus` give the tickets past their prazo (the most overdue
first), those awaiting the customer's approval (the longest silent first, with when R21 closes
each) and her open tickets (the newest first): the chat gives the same, in pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import DRAFT, T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from core.models import Role, Ticket
from core.services import closing, handling, intake, users

NOW = T0 + timedelta(days=14)
"""A Tuesday, 10:00 in São Paulo: two weeks after the first ticket."""


@pytest.fixture
def clock() -> list[Any]:
    return [T0]


@pytest.fixture
def desk(sql_store: Any, clock: list[Any]) -> Iterator[Desk]:
    desk = Desk(sql_store, clock=lambda: clock[0], workers=1)
    yield desk
    desk.close()


def _desk_of_tickets(desk: Desk, clock: list[Any]) -> dict[str, Ticket]:
    """Tickets opened a day apart: two past their prazo (Bruno's the most overdue), two
    awaiting Carla's approval, one Ana took today, one nobody took, one closed."""
    carla, ana = carla_and_ana(desk)
    bruno = desk.call(users.add_user, name="Bruno Suporte", email="bruno@example.com",
                      role=Role.AGENT, trained=True)
    made: dict[str, Ticket] = {}
    plan = [("late_bruno", bruno, 0), ("late_ana", ana, 2), ("silent_long", ana, 4),
            ("closed", ana, 5), ("silent_short", ana, 9), ("novo", None, 10),
            ("taken_today", ana, 14)]
    for name, agent, day in plan:
        clock[0] = T0 + timedelta(days=day)
        ticket = desk.call(intake.open_ticket, carla.id, DRAFT.model_copy(
            update={"assunto": name.replace("_", " ")}))
        if agent is not None:
            desk.call(handling.take, agent.id, ticket.id)
        if name.startswith("silent") or name == "closed":
            desk.call(closing.request_approval, ana.id, ticket.id, "Rode isso.",
                      origin_id="erro_sistema")
        if name == "closed":
            desk.call(closing.approve, carla.id, ticket.id)
        made[name] = ticket
    clock[0] = NOW
    return made


def _after(transcript: str, typed: str) -> str:
    """What the chat answered to `typed`, up to the next thing typed."""
    return transcript.split(f"> {typed}\n", 1)[1].split("\n> ", 1)[0]


def _order(shown: str, made: dict[str, Ticket]) -> list[str]:
    """The tickets a screen lists, in its order, by their names here."""
    numbers = {t.number: name for name, t in made.items()}
    return [numbers[line.split(" · ")[0]] for line in shown.splitlines()
            if line.split(" · ")[0] in numbers]


@pytest.mark.parametrize("words", [("atrasados", "aguardando aprovação", "meus"),
                                   ("overdue", "awaiting approval", "mine")])
def test_r12_r13_r19_an_agents_chat_has_slacks_worklists(
        desk: Desk, clock: list[Any], tmp_path: Path, words: tuple[str, str, str]) -> None:
    made = _desk_of_tickets(desk, clock)
    ana = next(u for u in desk.call(lambda ctx: ctx.uow.users.staff()) if u.name.startswith("Ana"))
    late, approval, mine = words
    shown = _chat(desk, ana.id or 0, tmp_path, f"{late}\n{approval}\nmenu\n{mine}\nsair\n")
    overdue = _after(shown, late)
    assert overdue.startswith(t("conv.work.atrasados.header", total=2, page=1, pages=1))
    assert _order(overdue, made) == ["late_bruno", "late_ana"]  # the most overdue first
    assert "prazo vencido há" in overdue
    assert "com Bruno Suporte" in overdue
    assert "Busca" not in overdue
    waiting = _after(shown, approval)
    assert waiting.startswith(t("conv.work.aprovacao.header", total=2, page=1, pages=1,
                                days=15))
    assert _order(waiting, made) == ["silent_long", "silent_short"]  # the longest silent first
    assert "sem resposta do cliente" in waiting
    assert "encerra como aprovado" in waiting
    own = _after(shown, mine)
    assert own.startswith(t("conv.work.meus.header", total=4, page=1, pages=1))
    assert _order(own, made) == ["taken_today", "silent_short", "silent_long", "late_ana"]


def test_r12_a_worklist_longer_than_a_page_turns_pages_and_opens_a_ticket(
        desk: Desk, clock: list[Any], tmp_path: Path) -> None:
    carla, ana = carla_and_ana(desk)
    for day in range(7):
        clock[0] = T0 + timedelta(days=day)
        ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
        desk.call(handling.take, ana.id, ticket.id)
    clock[0] = NOW
    shown = _chat(desk, ana.id or 0, tmp_path, "atrasados\n")
    first = _after(shown, "atrasados")
    assert first.startswith(t("conv.work.atrasados.header", total=7, page=1, pages=2))
    next_page = [line.split(".")[0].strip() for line in first.splitlines()
                 if line.strip().partition(". ")[2] == t("conv.list.next")][0]
    shown = _chat(desk, ana.id or 0, tmp_path, f"atrasados\n{next_page}\n1\nsair\n")
    second = _after(shown, next_page)
    assert second.startswith(t("conv.work.atrasados.header", total=7, page=2, pages=2))
    assert len([line for line in second.splitlines() if " · " in line]) == 2
    opened = _after(shown, "1")
    assert opened.startswith("Ticket 202611/0006")  # the sixth most overdue: page 2's first
    shown = _chat(desk, ana.id or 0, tmp_path, f"atrasados\n{next_page}\n1\nvoltar\nsair\n")
    assert _after(shown, "voltar").startswith(t("conv.work.atrasados.header", total=7, page=2,
                                                pages=2))  # back to the worklist's page


def test_r8_a_customers_atrasados_is_no_worklist(
        desk: Desk, tmp_path: Path) -> None:
    carla, _ = carla_and_ana(desk)
    desk.call(intake.open_ticket, carla.id, DRAFT)
    shown = _chat(desk, carla.id or 0, tmp_path, "tickets atrasados\natrasados\nsair\n")
    assert t("conv.work.atrasados.button") + ":" not in shown  # no team's worklist
    assert "prazo vencido" not in shown



def test_r6_r12_an_agents_novos_lists_the_tickets_nobody_took(
        desk: Desk, clock: list[Any], tmp_path: Path) -> None:
    """Novos are the tickets no attendant took yet (§6.1): an agent's "novos" lists them, the
    Novos tab of every ticket, whoever opened them."""
    made = _desk_of_tickets(desk, clock)
    ana = next(u for u in desk.call(lambda ctx: ctx.uow.users.staff()) if u.name.startswith("Ana"))
    shown = _chat(desk, ana.id or 0, tmp_path, "novos\nsair\n")
    assert _order(_after(shown, "novos"), made) == ["novo"]
