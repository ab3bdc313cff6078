"""R12: a workaround meets a critical ticket's urgency (its prazo becomes the Padrão one), so
the agents' queue (/ticket fila) ranks it by its opening time among the Padrão tickets; a
critical ticket still waiting for one goes first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from slack_harness import Scenario, SlackWorld
from test_slack_lists import answer, lines

from core.models import CriticalReason, Priority
from core.services import handling, workaround


def test_r12_after_a_workaround_the_critical_ticket_waits_its_turn_in_the_queue(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        async def critical(assunto: str) -> object:
            ticket = await w.open_ticket(assunto=assunto)
            await w.core(handling.set_priority, w.ids["ana"], ticket.id, Priority.CRITICAL,
                         CriticalReason.AREA_STOPPED)
            return ticket

        async def fila() -> list[str]:
            return [next(word.strip("*") for word in line.split() if "/" in word)
                    for line in lines((await answer(w, "UANA", "fila"))["blocks"])]

        older = await w.open_ticket(assunto="Relatório de vendas lento")
        w.now += timedelta(hours=1)
        stopped = await critical("Frente de caixa parada")
        assert await fila() == [stopped.number, older.number]

        await w.core(workaround.send_workaround, w.ids["ana"], stopped.id,
                     "Use o caixa 2 enquanto corrigimos o 1.")
        w.now += timedelta(hours=1)
        newer = await w.open_ticket(assunto="Dúvida sobre o cadastro")
        assert await fila() == [older.number, stopped.number, newer.number]
        w.now += timedelta(hours=1)
        waiting = await critical("Nota fiscal não sai, prazo da SEFAZ hoje")
        assert await fila() == [waiting.number, older.number, stopped.number, newer.number]
        assert (await w.ticket(stopped.id)).priority == Priority.CRITICAL  # still Crítico

    run(scenario)
