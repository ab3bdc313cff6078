"""R20 in Telegram: feedback typed at the rating is kept as the rating's comment, the mark
asked with the words shown; one named with a mark is kept with it at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import TelegramWorld, linked_carla, open_ticket

from core.i18n import t
from core.models import Rating
from core.services import closing


def test_r20_feedback_typed_in_telegram_is_the_ratings_comment(db_url: str,
                                                               tmp_path: Path) -> None:
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await world.bot_says(carla, "Você aprova a solução?")
            await carla.click(t("conv.closing.approve"))
            words = "demorou muito, mas resolveu"
            await carla.say(words)
            assert t("conv.closing.comment_held", comment=words) in carla.texts()[-1]
            await carla.click(t("rating.regular"))
            assert t("conv.closing.rated_with_comment", rating="Regular",
                     comment=words) in "\n".join(carla.texts()[-3:])
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id)
            assert stored is not None
            assert (stored.rating, stored.rating_comment) == (Rating.FAIR, words)

    asyncio.run(story())


def test_r20_a_mark_typed_alone_in_telegram_offers_the_comment_button(db_url: str,
                                                                     tmp_path: Path) -> None:
    """'1 estrela' typed went straight to the menu: 'demorou muito' after it was offered as a
    new ticket, the comment lost."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await world.bot_says(carla, "Você aprova a solução?")
            await carla.click(t("conv.closing.approve"))
            await carla.say("1 estrela")
            assert t("conv.closing.ask_rate_comment", number=ticket.number) \
                in carla.texts()[-1]
            await carla.say("demorou muito")
            assert t("conv.closing.comment_kept") in "\n".join(carla.texts()[-2:])
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id)
            assert stored is not None
            assert (stored.rating, stored.rating_comment) == (Rating.TERRIBLE, "demorou muito")

    asyncio.run(story())
