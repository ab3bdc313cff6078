"""R3, R17 in Telegram: the versão typed while opening a ticket is corrected by editing its
message, as the assunto and the descrição are, with the question's checks and words."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from telegram_harness import CARLA, TelegramWorld, linked_carla, tickets

from core.i18n import t

RELEASE = "2026.11"


def edited(api: Any, update: dict[str, Any], text: str) -> dict[str, Any]:
    """The edited_message update Telegram sends when the text of `update` changes."""
    return {"update_id": api.next_update_id(),
            "edited_message": {**update["message"], "text": text, "edit_date": int(time.time())}}


def test_r17_an_edited_versao_changes_the_ticket_being_opened_checked_as_typed(
        db_url: str, tmp_path: Path) -> None:
    """Carla typed '2026.9' at the versão and fixed it to '2026.10' by editing the message:
    'essa edição não muda o ticket que você está abrindo', and the ticket went with 2026.9.
    The edit now changes the versão, said so with R17's warning for the version now named;
    an edit that names no version ('Gold', '1') is refused with the question's own words,
    the versão kept."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await carla.say("/novo")
            await carla.click("Suporte")
            await carla.click("Vendas")
            versao = api.text_update(CARLA, "2026.9")
            await carla.send(versao)
            assert t("conv.intake.version_old", reported="2026.9", current=RELEASE) \
                in carla.since(0)
            before = len(carla.texts())
            await carla.send(edited(api, versao, "2026.10"))
            assert carla.texts()[before:] == ["\n\n".join([
                t("conv.edited.applied", fields=t("field.versao")),
                t("conv.intake.version_old", reported="2026.10", current=RELEASE)])]
            for wrong, refusal in (
                    ("Gold", t("conv.intake.version_no_number", typed="Gold", current=RELEASE)),
                    ("1", t("conv.intake.version_shape", typed="1", current=RELEASE))):
                before = len(carla.texts())
                await carla.send(edited(api, versao, wrong))
                said = "\n".join(carla.texts()[before:])
                assert said.startswith(refusal), said
                assert t("conv.edited.versao_kept", version="2026.10") in said
            await carla.say("Pedido não confirma")
            await carla.say("Vendas > Pedidos > Novo: o pedido 4431 não confirma")
            await carla.click("Concluir")
            await carla.click("Padrão")
            assert "2026.10" in carla.last_text()
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            assert ticket.versao == "2026.10"

    asyncio.run(story())
