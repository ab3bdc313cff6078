"""A listing's page reads the names it shows at once: the companies of the team's listings, the
queue and the worklists, who asked each ticket in a company's listing, who handles each; it read
a company (and a person) for each ticket of the page. What the lines say is unchanged. Counted
on SQLite and PostgreSQL; the names checked on the memory store too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fakes.chat import chat_for
from fakes.statements import statements

from core.models import Role
from core.services import handling, users


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    w = world_on(store)
    for key, name in (("dora", "Dora Compras"), ("edu", "Eduardo Caixa")):
        user = w.run(users.add_user, name=name, email=f"{key}@exemplo.com.br",
                     company_names=["Mercado Exemplo"], role=Role.CUSTOMER, trained=True)
        w.ids[key] = user.id
    return w


def _counting(world: Any) -> Any:
    if not hasattr(world.store, "engine"):
        return None
    return statements(world.store)


def _line(text: str, number: str) -> str:
    return next(line for line in text.splitlines() if number in line)


def _five(world: Any, late: bool = False) -> list[Any]:
    """Five tickets from two companies and four people, three taken by three agents."""
    opened = [world.open(who, assunto=f"Assunto de {who} {n}")
              for n, who in enumerate(("carla", "joao", "rival", "dora", "edu"))]
    for ticket, agent in zip(opened, ("ana", "bruno", "coord"), strict=False):
        world.run(handling.take, world.ids[agent], ticket.id)
    if late:
        world.advance(days=6)  # the taken ones past their prazo (R13)
    return opened


def _reads(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if f"FROM {table}" in s]


def test_the_teams_listing_reads_its_pages_companies_at_once(world):
    """Before: one read of companies for each of the page's 5 tickets."""
    opened = _five(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    counting = _counting(world)
    with counting if counting else _nothing() as seen:
        chat.send("tickets")
    text = chat.prompt.text
    assert " · Mercado Exemplo" in _line(text, opened[0].number)
    assert " · Loja Rival" in _line(text, opened[2].number)
    assert " · com Bruno Suporte" in _line(text, opened[1].number)
    if counting:
        assert len(_reads(seen, "companies")) == 1, _reads(seen, "companies")
        assert len(_reads(seen, "users")) <= 2, _reads(seen, "users")


def test_a_companys_listing_reads_who_asked_each_ticket_at_once(world):
    """Before: one read of users for each other person who asked a ticket on the page (João,
    Dora, Eduardo), besides the person chatting and the page's agents."""
    opened = _five(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    counting = _counting(world)
    with counting if counting else _nothing() as seen:
        chat.send("chamados da empresa")
    text = chat.prompt.text
    assert " · de João Lima" in _line(text, opened[1].number)
    assert " · de Dora Compras" in _line(text, opened[3].number)
    assert " · com Bruno Suporte" in _line(text, opened[1].number)
    assert " · de " not in _line(text, opened[0].number)  # their own: no name
    assert opened[2].number not in text  # Loja Rival's
    if counting:
        assert len(_reads(seen, "users")) <= 2, _reads(seen, "users")
        # the header's company ("da empresa Mercado Exemplo"), none for the lines
        assert len(_reads(seen, "companies")) <= 1, _reads(seen, "companies")


def test_the_queue_reads_its_pages_companies_and_agents_at_once(world):
    """Before: a read of companies for each ticket, of users for each agent."""
    opened = _five(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    counting = _counting(world)
    with counting if counting else _nothing() as seen:
        chat.send("fila")
    assert chat.state().step == "queue.view"
    text = chat.prompt.text
    assert "Loja Rival" in _line(text, opened[2].number)
    assert "com Bruno Suporte" in _line(text, opened[1].number)
    assert "sem responsável" in _line(text, opened[4].number)
    if counting:
        assert len(_reads(seen, "companies")) == 1, _reads(seen, "companies")
        assert len(_reads(seen, "users")) <= 2, _reads(seen, "users")


def test_the_overdue_worklist_reads_its_pages_companies_and_agents_at_once(world):
    opened = _five(world, late=True)
    chat = chat_for(world, "coord")
    chat.send("oi")
    counting = _counting(world)
    with counting if counting else _nothing() as seen:
        chat.send("atrasados")
    assert chat.state().step == "work.view"
    text = chat.prompt.text
    assert "Loja Rival" in _line(text, opened[2].number)
    assert "com Bruno Suporte" in _line(text, opened[1].number)
    assert "com Ana Atendente" in _line(text, opened[0].number)
    if counting:
        assert len(_reads(seen, "companies")) == 1, _reads(seen, "companies")
        assert len(_reads(seen, "users")) <= 2, _reads(seen, "users")


def test_an_agents_own_worklist_reads_its_pages_companies_at_once(world):
    opened = _five(world)
    for ticket in opened[3:]:
        world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    counting = _counting(world)
    with counting if counting else _nothing() as seen:
        chat.send("meus")
    assert chat.state().step == "work.view"
    text = chat.prompt.text
    assert "Mercado Exemplo" in _line(text, opened[0].number)
    assert "Mercado Exemplo" in _line(text, opened[4].number)
    if counting:
        assert len(_reads(seen, "companies")) == 1, _reads(seen, "companies")


def test_the_names_of_companies_read_at_once_leave_out_ids_of_none(world):
    def names(uow: Any) -> dict[int, str]:
        mercado = uow.companies.by_name("Mercado Exemplo").id
        rival = uow.companies.by_name("Loja Rival").id
        return {"found": uow.companies.names([mercado, rival, rival, 9999]),
                "ids": {mercado: "Mercado Exemplo", rival: "Loja Rival"}}

    found = world.read(names)
    assert found["found"] == found["ids"]
    assert world.read(lambda uow: uow.companies.names([])) == {}


@contextmanager
def _nothing() -> Iterator[list[str]]:
    yield []
