"""A step the database forgot after its answer was sent (PostgreSQL's unflushed commit, or
SQLite's on power loss): a button of that answer is refused and the question kept is asked
again with its buttons, a typed message is not read as the answer to the question kept
(PostgreSQL, the process that sent it), and the customer goes on from the question the
database kept."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select
from telegram_harness import CARLA, TelegramWorld, link, seed, tickets, to_the_assunto

from storage.engine import make_engine
from storage.tables import conversations, inbound_events, outbox
from storage.telegram_tables import telegram_chats

KEPT = (conversations, telegram_chats)


def snapshot(engine: Any) -> dict[str, Any]:
    """What the database holds of the chat now (its conversation and question, the last rows
    of the journal and the outbox)."""
    with engine.connect() as conn:
        return {
            **{t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in KEPT},
            "event": conn.execute(select(func.max(inbound_events.c.id))).scalar() or 0,
            "row": conn.execute(select(func.max(outbox.c.id))).scalar() or 0}


def forget(engine: Any, kept: dict[str, Any]) -> None:
    """Back to the snapshot, as a crash losing the commits made since would leave it."""
    with engine.begin() as conn:
        for table in KEPT:
            conn.execute(delete(table))
            if kept[table.name]:
                conn.execute(insert(table), kept[table.name])
        conn.execute(delete(inbound_events).where(inbound_events.c.id > kept["event"]))
        conn.execute(delete(outbox).where(outbox.c.id > kept["row"]))


def test_a_button_of_a_forgotten_answer_is_refused_and_the_intake_goes_on(
        db_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(db_url, tmp_path)
    engine = make_engine(db_url)

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("/novo")
            await carla.click("Suporte")
            kept = snapshot(engine)
            await carla.click("Vendas")
            forgotten = carla.messages()[-1]
            assert "versão" in forgotten["text"]
            forget(engine, kept)

            await carla.click("atual", forgotten["message_id"])
            [refused] = world.api.calls_of("answerCallbackQuery")[-1:]
            assert "pergunta anterior" in str(refused.params.get("text"))
            assert snapshot(engine)["conversations"] == kept["conversations"]
            assert world.api.keyboard(CARLA, forgotten["message_id"]) == []
            asked = carla.messages()[-1]  # the question kept, asked again with its buttons
            assert asked["message_id"] > forgotten["message_id"]
            assert carla.button("Vendas")[0] == asked["message_id"]

            await carla.click("Vendas")  # the question the database kept, answered again
            await carla.click("atual")
            await carla.say("Erro ao confirmar pedido")
            await carla.say("Vendas / Pedidos: o pedido 4431 não confirma na versão 2026.11")
            await carla.click("Concluir")
            await carla.click("Padrão")
            await carla.click("Registrar o Ticket")
            [ticket] = tickets(world.desk)
            assert (ticket.servico, ticket.assunto) == ("Vendas / Pedidos de venda",
                                                        "Erro ao confirmar pedido")
            assert ticket.versao is not None

    try:
        asyncio.run(story())
    finally:
        engine.dispose()


FAIL_AFTER_SEND = """
CREATE TABLE server_gone (since int);
CREATE FUNCTION refuse_when_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM server_gone) THEN
        RAISE EXCEPTION 'the server went away';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER refuse_when_gone BEFORE UPDATE ON outbox
    FOR EACH ROW EXECUTE FUNCTION refuse_when_gone();
"""


@pytest.mark.postgres
def test_a_typed_answer_after_a_forgotten_typed_step_is_not_taken_for_the_question_before(
        new_db_url: Callable[..., str], tmp_path: Path) -> None:
    """PostgreSQL forgot a step whose answer went out (its commit unflushed, the record of the
    send never committed): the next text is not read as the answer to the question kept; the
    customer is told and asked that question again."""
    url = new_db_url("postgres")
    world = TelegramWorld(url, tmp_path)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(FAIL_AFTER_SEND)

    def server(gone: bool) -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO server_gone VALUES (1)" if gone
                                 else "DELETE FROM server_gone")

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            world.desk.call(link, world.ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await to_the_assunto(carla)
            kept = snapshot(engine)
            server(gone=True)  # the answer goes out; recording its send fails
            await carla.say("Erro ao confirmar pedido")
            assert "descreva o problema" in carla.last_text()
            server(gone=False)
            forget(engine, kept)

            before = len(carla.texts())
            await carla.say("Vendas / Pedidos: o pedido 4431 não confirma na versão 2026.11")
            answer = carla.since(before)
            assert "não ficou guardada" in answer
            assert "descreva o problema" not in answer  # the title is asked again
            assert snapshot(engine)["conversations"][0]["step"] == "intake.assunto"

            await carla.say("Erro ao confirmar pedido")
            await carla.say("Vendas / Pedidos: o pedido 4431 não confirma na versão 2026.11")
            await carla.click("Concluir")
            await carla.click("Padrão")
            await carla.click("Registrar o Ticket")
            [ticket] = tickets(world.desk)
            assert ticket.assunto == "Erro ao confirmar pedido"

    try:
        asyncio.run(story())
    finally:
        engine.dispose()
