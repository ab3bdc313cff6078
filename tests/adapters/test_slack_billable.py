"""/ticket faturaveis: the coordinator's billable tickets in Slack (R23), as the team's chat
and `helpdesk tickets list --billable --month` show them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_harness import Scenario, SlackWorld
from test_slack_commands import answer, flat

from core.services import billing, handling


def test_r23_ticket_faturaveis_lists_the_billable_tickets_of_the_month_with_their_charge(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket faturaveis` answered "Não reconheci “faturaveis”": the coordinator invoicing
    the month had to leave Slack for the CLI. It lists the tickets outside the contract
    (the month named, or every one), each with its origin and the customer's answer to the
    charge, and the quote; a covered ticket is not listed; in English `/ticket billable`."""
    async def scenario(w: SlackWorld) -> None:
        w.now -= timedelta(days=31)  # October
        old = await w.open_ticket(assunto="Etiqueta nova de gôndola")
        w.now += timedelta(days=31)
        paid = await w.open_ticket(assunto="Layout do boleto")
        covered = await w.open_ticket(assunto="Erro no pedido")
        for ticket, origin in ((old, "layout"), (paid, "layout"), (covered, "erro_sistema")):
            await w.core(handling.take, w.ids["ana"], ticket.id)
            await w.core(billing.classify_origin, w.ids["ana"], ticket.id, origin)
        await w.core(billing.set_quote, w.ids["ana"], paid.id, "4 h de análise, R$ 720,00")
        reply = flat(await answer(w, "UANA", "faturaveis novembro"))
        assert "Tickets faturáveis — novembro de 2026" in reply
        assert paid.number in reply
        assert old.number not in reply
        assert covered.number not in reply
        assert ("Cobrança aguardando a autorização do cliente · origem fora do contrato: "
                "Alteração de layout") in reply
        assert "Orçamento: 4 h de análise, R$ 720,00." in reply
        every: Any = flat(await answer(w, "UANA", "faturáveis"))
        assert old.number in every
        assert paid.number in every
        assert covered.number not in every
        english = flat(await answer(w, "UBRUNO", "billable last month"))
        assert old.number in english
        assert paid.number not in english
        said = await answer(w, "UCARLA", "faturaveis")
        assert "Não reconheci" not in flat(said)
        assert old.number not in flat(said)

    run(scenario)


def test_r23_ticket_faturaveis_of_one_company_as_it_is_invoiced(
        run: Callable[[Scenario], None]) -> None:
    """Invoices go to one client company: `/ticket faturaveis novembro Mercado Exemplo`
    answered "Não entendi" after the month. The company named (as the report reads it,
    the start of its name) narrows the listing; one unknown is said by its name."""
    async def scenario(w: SlackWorld) -> None:
        ours = await w.open_ticket(assunto="Layout do boleto")
        theirs = await w.open_ticket("rita", assunto="Etiqueta de gôndola")
        for ticket in (ours, theirs):
            await w.core(handling.take, w.ids["ana"], ticket.id)
            await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "layout")
        reply = flat(await answer(w, "UANA", "faturaveis novembro Mercado Exemplo"))
        assert "Tickets faturáveis — novembro de 2026 — Mercado Exemplo" in reply
        assert ours.number in reply
        assert theirs.number not in reply
        reply = flat(await answer(w, "UANA", "faturáveis de novembro da loja"))
        assert "Tickets faturáveis — novembro de 2026 — Loja Rival" in reply
        assert theirs.number in reply
        assert ours.number not in reply
        assert theirs.number in flat(await answer(w, "UANA", "faturaveis loja"))
        reply = await answer(w, "UANA", "faturaveis Padaria")
        assert reply["text"] == "Empresa Padaria não encontrada."

    run(scenario)
