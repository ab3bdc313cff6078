"""The coordinator's report in an agent's Telegram chat ("relatório", /relatorio): monospace
(<pre>) messages within Telegram's 4096 characters, a long report whole, cut between its lines;
through the fake Bot API, which refuses a message too long or badly formed."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, link, seed

from bots.telegram.render import MAX_TEXT, shown_len
from core.models import Rating, Role
from core.report_text import render
from core.services import closing, handling, intake, report, users
from core.services.context import Ctx

ANA = 5003
AGENTS = 40


def closed_by_many(ctx: Ctx, carla_id: int, agents: int) -> None:
    """`agents` agents, each with a ticket of Carla's solved, approved and rated Ruim with a
    long comment (one transaction)."""
    for n in range(agents):
        agent = users.add_user(ctx, name=f"Agente Número {n:02d} da Silva Sauro",
                               email=f"agente{n}@suporte.com.br", role=Role.AGENT, trained=True)
        draft = intake.TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                                   versao="2026.11", assunto=f"Pedido {n} não confirma",
                                   descricao="Vendas > Pedidos: o pedido não confirma.")
        ticket = intake.open_ticket(ctx, carla_id, draft)
        handling.take(ctx, agent.id, ticket.id)
        closing.request_approval(ctx, agent.id, ticket.id, "Ajustamos o cadastro.",
                                 origin_id="erro_sistema")
        closing.approve(ctx, carla_id, ticket.id)
        closing.rate(ctx, carla_id, ticket.id, Rating.POOR,
                     f"Comentário {n}: " + "demorou <muito> & não resolveu de primeira " * 6)


def words(markup: str) -> str:
    """A message's text as the person reads it (no tags, entities undone)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_r20_r23_an_agent_gets_a_long_report_whole_in_telegram(sqlite_url: str,
                                                                tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.desk.call(link, ids["ana"], ANA)
            world.desk.call(closed_by_many, ids["carla"], AGENTS)
            ana = world.chat(ANA)
            await ana.say("oi")
            before = len(ana.messages())
            await ana.say("relatório")
            await world.bot_says(ana, "Como posso ajudar?")
            sent = ana.messages()[before:]
            assert len(sent) >= 2  # more than one message holds
            assert all(shown_len(m["text"]) <= MAX_TEXT for m in sent)
            assert all(m["text"].startswith("<pre>") for m in sent)  # monospace, aligned
            found = world.desk.call(report.build, ids["ana"], 30)
            whole = render(found, "America/Sao_Paulo")
            read = [line for m in sent for line in words(m["text"]).splitlines() if line]
            assert read[:-1] == [line for line in whole.splitlines() if line]  # every line whole
            assert read[-1] == "Como posso ajudar?"
            assert sum("Agente Número" in line for line in read) == AGENTS
            assert "demorou <muito> & não" in "\n".join(read)
            await ana.say("/relatorio 7 Loja Rival")
            shown = words(ana.last_text())
            assert "Empresa: Loja Rival" in shown
            assert "últimos 7 dias" in shown
            carla = world.chat(CARLA)
            await carla.say("relatório")  # a customer's word: offered as a ticket
            # the forty tickets' notices may still be arriving: wait for the offer among them
            await world.bot_says(carla, "Quer abrir um ticket com essa mensagem?")
            assert not [m for m in carla.texts() if "Relatório do atendimento" in m]

    asyncio.run(story())
