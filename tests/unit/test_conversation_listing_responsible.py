"""R6: a customer's listing names who is handling each ticket someone has, as the manual's
status tabs show "Responsável" (in progress: "no responsável estará descrito o profissional
que está atuando nele"); a Novo ticket nobody has names nobody. The names of a page's people
are read at once, not one read per ticket. On the memory store and both databases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakes.chat import chat_for
from fakes.statements import statements

from core.models import Role
from core.services import closing, handling, users


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def _line(text: str, number: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(number)
                or line.startswith("🚨 " + number))


def _taken(world: Any, who: str, assunto: str) -> Any:
    ticket = world.open("carla", assunto=assunto)
    world.run(handling.take, world.ids[who], ticket.id)
    return ticket


@pytest.mark.parametrize(("lang", "with_word"), [("pt_BR", "com"), ("en", "with")])
def test_r6_a_customers_listing_names_who_handles_each_ticket_someone_has(world, lang,
                                                                         with_word):
    new = world.open("carla", assunto="Impressora fiscal não imprime")
    ana = _taken(world, "ana", "Erro reajuste contrato de venda")
    bruno = _taken(world, "bruno", "Relatório de vendas por vendedor")
    done = _taken(world, "ana", "Boleto com vencimento errado")
    world.run(closing.request_approval, world.ids["ana"], done.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], done.id)
    world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("/tickets")
    chat.send("todos")  # the tab Todos: the new, the taken and the closed ones
    text = chat.prompt.text
    assert f" · {with_word} Ana Atendente" in _line(text, ana.number)
    assert f" · {with_word} Bruno Suporte" in _line(text, bruno.number)
    assert f" {with_word} " not in _line(text, new.number)  # Novo: nobody has it yet
    assert "Ana" not in _line(text, done.number)  # closed: nobody handles it any more


def test_r6_the_teams_listing_names_who_handles_each_ticket_and_you_for_ones_own(world):
    """An agent's listing named the company only: who had each ticket took opening it."""
    new = world.open("carla", assunto="Impressora fiscal não imprime")
    mine = _taken(world, "ana", "Erro reajuste contrato de venda")
    bruno = _taken(world, "bruno", "Relatório de vendas por vendedor")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("tickets")
    text = chat.prompt.text
    assert " · com Bruno Suporte" in _line(text, bruno.number)
    assert " · com você" in _line(text, mine.number)
    assert " com " not in _line(text, new.number)


def test_r6_a_long_name_is_shown_short_and_no_line_grows_past_what_it_was(world):
    world.run(users.add_user, name="Maria Caroline dos Santos Costa",
              email="maria@exemplo.com.br", company_names=[], role=Role.AGENT, trained=True,
              slack_id="UMARIA")
    world.ids["maria"] = world.read(lambda uow: uow.users.by_email("maria@exemplo.com.br").id)
    long_assunto = ("Relatório de vendas por vendedor com margem " * 3)[:98]
    taken = _taken(world, "maria", long_assunto)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("em atendimento")
    line = _line(chat.prompt.text, taken.number)
    assert line.endswith(" · com Maria Costa" + line.partition(" · com Maria Costa")[2])
    assert "Caroline" not in line
    before = len(f"{taken.number} · Em atendimento · ") + 80  # the assunto cut at 80
    assert len(line.partition(" · prazo")[0]) <= before


def test_r6_the_names_of_a_pages_people_are_read_at_once(world):
    if not hasattr(world.store, "engine"):
        pytest.skip("the memory store runs no statements")
    for who in ("ana", "bruno", "coord", "ana", "bruno"):
        _taken(world, who, f"Assunto de {who}")
    chat = chat_for(world, "carla")
    chat.send("oi")
    with statements(world.store) as seen:
        chat.send("em atendimento")
    lines = [line for line in chat.prompt.text.splitlines() if " · com " in line]
    assert len(lines) == 5
    read_users = [s for s in seen if "FROM users" in s]
    # The person chatting, found by the chat's key, then the page's people in one read
    # (it was one read for each of the three agents).
    assert len(read_users) <= 2, read_users


def test_the_names_of_people_read_at_once_leave_out_ids_of_no_one(world):
    ana, bruno = world.ids["ana"], world.ids["bruno"]

    def names(uow: Any) -> dict[int, str]:
        uow.users.get(ana)  # one read before: known, the others read
        return uow.users.names([ana, bruno, bruno, 9999])

    assert world.read(names) == {ana: "Ana Atendente", bruno: "Bruno Suporte"}
    assert world.read(lambda uow: uow.users.names([])) == {}
