"""Slack's listings name who handles each open ticket, as the chat's do (R6: the manual's
"Responsável"): " · com Bruno Suporte", the agent's own " · com você", in the reader's
language; a ticket nobody has or a closed one names nobody. Slack's lines said the company
and the prazo only: an agent or a customer learned who had a ticket by opening it. The page's
people and companies are read at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakes.statements import statements
from slack_harness import Scenario, SlackWorld
from test_slack_lists import answer, home_blocks, lines

from core.services import closing, handling


def line_of(shown: list[str], number: str) -> str:
    found = [line for line in shown if f"*{number}*" in line]
    assert len(found) == 1, (number, shown)
    return found[0]


async def four(w: SlackWorld) -> dict[str, Any]:
    """Bruno's, Ana's, one nobody has and one closed (Ana had it), all about "pedido"."""
    tickets = {key: await w.open_ticket(assunto=f"Pedido {key} não confirma")
               for key in ("bruno", "ana", "new", "closed")}
    await w.core(handling.take, w.ids["bruno"], tickets["bruno"].id)
    await w.core(handling.take, w.ids["ana"], tickets["ana"].id)
    await w.core(handling.take, w.ids["ana"], tickets["closed"].id)
    await w.core(closing.request_approval, w.ids["ana"], tickets["closed"].id, "Feito.",
                 origin_id="erro_sistema")
    await w.core(closing.approve, w.ids["carla"], tickets["closed"].id)
    return tickets


async def speaks(w: SlackWorld, who: str, language: str) -> None:
    def changed(ctx: Any) -> None:
        user = ctx.uow.users.get(w.ids[who])
        user.language = language
        ctx.uow.users.update(user)

    await w.core(changed)


def test_r6_an_agents_search_names_who_handles_each_ticket_and_you_for_ones_own(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        tickets = await four(w)
        shown = lines((await answer(w, "UANA", "busca pedido"))["blocks"])
        assert "· com Bruno Suporte" in line_of(shown, tickets["bruno"].number)
        assert "· com você" in line_of(shown, tickets["ana"].number)
        assert " com " not in line_of(shown, tickets["new"].number)
        assert "Ana" not in line_of(shown, tickets["closed"].number)
        await speaks(w, "ana", "en")
        shown = lines((await answer(w, "UANA", "search pedido"))["blocks"])
        assert "· with Bruno Suporte" in line_of(shown, tickets["bruno"].number)
        assert "· with you" in line_of(shown, tickets["ana"].number)

    run(scenario)


def test_r6_a_customers_meus_and_home_name_who_handles_each_ticket(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        tickets = await four(w)
        for shown in (lines((await answer(w, "UCARLA", "meus"))["blocks"]),
                      lines(await home_blocks(w, "UCARLA"))):
            assert "· com Bruno Suporte" in line_of(shown, tickets["bruno"].number)
            assert "· com Ana Atendente" in line_of(shown, tickets["ana"].number)
            assert " com " not in line_of(shown, tickets["new"].number)
        await speaks(w, "carla", "en")
        shown = lines((await answer(w, "UCARLA", "mine"))["blocks"])
        assert "· with Ana Atendente" in line_of(shown, tickets["ana"].number)

    run(scenario)


def test_r6_r21_the_approval_worklist_names_who_asked_for_each_approval(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        brunos = await w.open_ticket(assunto="Boleto com vencimento errado")
        await w.core(handling.take, w.ids["bruno"], brunos.id)
        await w.core(closing.request_approval, w.ids["bruno"], brunos.id, "Corrigido.",
                     origin_id="erro_sistema")
        shown = lines((await answer(w, "UANA", "aprovacao"))["blocks"])
        assert "· com Bruno Suporte" in line_of(shown, brunos.number)

    run(scenario)


def test_r6_the_queue_overdue_and_an_agents_own_listings_name_nobody_twice(
        run: Callable[[Scenario], None]) -> None:
    """The queue and the overdue name who has each after it, as the chat's do; an agent's own
    tickets (meus, Comigo, agente NOME) are all theirs, said by the title."""
    async def scenario(w: SlackWorld) -> None:
        tickets = await four(w)
        queue = lines((await answer(w, "UANA", "fila"))["blocks"])
        line = line_of(queue, tickets["bruno"].number)
        assert line.count("Bruno Suporte") == 1
        assert "com você" not in line
        for typed in ("meus", "agente ana"):
            shown = lines((await answer(w, "UANA", typed))["blocks"])
            assert " com " not in line_of(shown, tickets["ana"].number), typed
        home = lines(await home_blocks(w, "UANA"))
        assert all("com você" not in line for line in home), home

    run(scenario)


def test_a_slack_listing_reads_its_pages_people_and_companies_at_once(
        run: Callable[[Scenario], None]) -> None:
    """Six tickets of two companies, held by two agents: a search reads the companies once
    (it read each company once) and the agents once (none read before)."""
    async def scenario(w: SlackWorld) -> None:
        for n, (who, agent) in enumerate([("carla", "ana"), ("rita", "bruno"),
                                          ("carla", "bruno"), ("rita", "ana"),
                                          ("carla", None), ("rita", None)]):
            ticket = await w.open_ticket(who, assunto=f"Nota fiscal {n} rejeitada")
            if agent:
                await w.core(handling.take, w.ids[agent], ticket.id)
        await w.idle()
        with statements(w.store) as seen:
            shown = lines((await answer(w, "UANA", "busca nota"))["blocks"])
            await w.idle()
        assert len(shown) == 6
        assert sum("Loja Rival" in line for line in shown) == 3
        assert sum("· com Bruno Suporte" in line for line in shown) == 2
        companies = [s for s in seen if "FROM companies" in s]
        people = [s for s in seen if "FROM users" in s and "users.id IN" in s]
        assert len(companies) == 1, companies
        assert len(people) <= 1, people

    run(scenario)
