"""PostgreSQL: a chat step that only moves the conversation commits without waiting for its
WAL flush; a step that writes a ticket waits for it (storage.sql.delivery.SqlOutbox.add_with).

Seen from the server: a deferred trigger on the update journal records, at each commit, the
synchronous_commit that commit runs with, by update id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from telegram_harness import CARLA, TelegramWorld, TgChat, seed, tickets

from core.services import users

pytestmark = pytest.mark.postgres

WATCH = """
CREATE TABLE commit_modes (update_key text, mode text);
CREATE FUNCTION record_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO commit_modes VALUES (NEW.key, current_setting('synchronous_commit'));
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER commit_mode AFTER INSERT ON inbound_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_commit_mode();
"""


def modes(url: str) -> dict[int, str]:
    """synchronous_commit at the commit that recorded each update id."""
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        return {int(k): m for k, m in conn.execute("SELECT update_key, mode FROM commit_modes")}


async def typed(chat: TgChat, text: str) -> int:
    update = chat.api.text_update(chat.chat_id, text)
    await chat.send(update)
    return int(update["update_id"])


async def clicked(chat: TgChat, label: str) -> int:
    update = chat.api.callback_update(chat.chat_id, *chat.button(label))
    await chat.send(update)
    return int(update["update_id"])


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_intake_steps_commit_unflushed_and_the_ticket_flushed(
        new_db_url: Callable[..., str], tmp_path: Path, webhook: bool) -> None:
    url = new_db_url("postgres")
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute(WATCH)
    world = TelegramWorld(url, tmp_path, webhook=webhook)

    async def story() -> dict[str, Any]:
        async with world:
            world.ids = seed(world.desk)
            carla = world.chat(CARLA)
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            ids = {"link": await typed(carla, f"/start {code}")}
            await clicked(carla, "Abrir ticket")
            await clicked(carla, "Suporte")
            ids["area"] = await clicked(carla, "Vendas")
            await clicked(carla, "atual")
            ids["title"] = await typed(carla, "Erro ao confirmar pedido")
            ids["description"] = await typed(
                carla, "Vendas / Pedidos: o pedido 4431 não confirma na versão 2026.11")
            await clicked(carla, "Concluir")
            await clicked(carla, "Padrão")
            ids["register"] = await clicked(carla, "Registrar o Ticket")
            assert len(tickets(world.desk)) == 1
            return ids

    ids = asyncio.run(story())
    seen = modes(url)
    assert seen[ids["area"]] == "off"
    assert seen[ids["title"]] == "off"
    assert seen[ids["description"]] == "off"
    assert seen[ids["link"]] == "on"  # the account linked: a user's row
    assert seen[ids["register"]] == "on"  # the ticket
