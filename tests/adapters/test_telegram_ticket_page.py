"""A ticket's page in Telegram (R7): words typed there become its trâmite after one click."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fakes.telegram_api import MAX_TEXT, shown_length
from telegram_harness import CARLA, TelegramWorld, link, now, open_ticket, seed

from core.i18n import t
from core.models import Entry, EntryKind


def test_r7_words_typed_at_a_tickets_page_are_sent_as_its_tramite(sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            carla = world.chat(CARLA)
            await world.drain_outbox()  # the registration notice comes first
            await carla.say(f"qual o status do chamado {ticket.number}?")  # a session's first
            # The page, under the greeting of a session's first words.
            assert f"\n\nTicket {ticket.number} — Pedido travado\n" in carla.last_text()
            await carla.say("Ainda está travado, podem verificar?")
            assert t("conv.tramite.offer", "pt_BR", number=ticket.number) in carla.last_text()
            await carla.click(t("conv.tramite.send_said", "pt_BR"))
            assert t("conv.tramite.added", "pt_BR", number=ticket.number) in \
                " ".join(carla.texts()[-2:])
            with world.desk.store() as uow:
                entries = uow.entries.list(ticket.id or 0, include_internal=True)
            assert [e.text for e in entries if e.kind == EntryKind.PUBLIC] == \
                ["Ainda está travado, podem verificar?"]

    asyncio.run(story())


AGENT_SAID = "**Atenção**: rode `nfe --check`.\n- um\n- [o manual](https://ex.com/nfe)"
CUSTOMER_SAID = "Rodei <b>isso</b> & **nada**"


def _tramites(desk: Any, ticket_id: int, by: list[tuple[int, str]]) -> None:
    """Trâmites written straight into the ticket (no notice to wait for), oldest first."""
    with desk.store() as uow:
        for author, text in by:
            uow.entries.add(Entry(ticket_id=ticket_id, author_id=author, text=text,
                                  created_at=now(), kind=EntryKind.PUBLIC))
        uow.commit()


def test_r7_a_tickets_page_shows_the_agent_s_tramite_formatted_and_the_customer_s_escaped(
        sqlite_url: str, tmp_path: Path) -> None:
    """The page and its whole thread read an agent's marks as the notice does (235a44e): bold,
    code, bullets, links; the customer's words and the catalog's stay as typed."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"], "Nota <10125> & rejeição")
            _tramites(world.desk, ticket.id or 0, [(ids["ana"], AGENT_SAID),
                                                   (ids["carla"], CUSTOMER_SAID)])
            carla = world.chat(CARLA)
            await carla.say(f"/ticket {ticket.number}")
            page = await world.bot_says(carla, f"Ticket {ticket.number}")
            formatted = ("<b>Atenção</b>: rode <code>nfe --check</code>.\n• um\n"
                         '• <a href="https://ex.com/nfe">o manual</a>')
            assert formatted in page["text"]
            assert "Rodei &lt;b&gt;isso&lt;/b&gt; &amp; **nada**" in page["text"]
            assert "Nota &lt;10125&gt; &amp; rejeição" in page["text"]
            assert "`" not in page["text"]

    asyncio.run(story())


def test_r7_a_long_whole_thread_of_formatted_tramites_is_cut_between_tramites(
        sqlite_url: str, tmp_path: Path) -> None:
    """"Ver o histórico completo" over many formatted trâmites goes in several messages, each
    within Telegram's 4 096 characters, each cut where a trâmite starts: no code block or bold
    is split across two messages, none falls back to plain words."""
    world = TelegramWorld(sqlite_url, tmp_path)
    code = "\n".join(f"nfe --check --serie {n} --modelo 65 --ambiente homologacao"
                     for n in range(5))
    said = [(f"**Passo {n}**: rode `nfe --check`, veja [o manual](https://ex.com/{n}).\n"
             f"```\n{code}\n```\n- confira o log {n}") for n in range(20)]

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"])
            _tramites(world.desk, ticket.id or 0,
                      [(ids["ana"], text) for text in said[:10]] +
                      [(ids["carla"], "<!channel> **de novo**")] +
                      [(ids["ana"], text) for text in said[10:]])
            carla = world.chat(CARLA)
            await world.drain_outbox()  # the registration notice is in before the count
            await carla.say(f"/ticket {ticket.number}")
            page = await world.bot_says(carla, f"Ticket {ticket.number}")
            assert page["text"].count("<pre>") == 5
            before = len(carla.texts())
            await carla.click("histórico completo")
            thread = carla.texts()[before:]
            assert len(thread) >= 2
            assert thread[0].startswith(f"Trâmites do ticket {ticket.number} (21)")
            for part in thread:
                assert shown_length(part, parsed=True) <= MAX_TEXT
                assert "<pre>" in part
                assert part.count("<pre>") == part.count("</pre>")
                assert "**" not in part.replace("**de novo**", "")
                assert "```" not in part
            for part in thread[1:]:
                assert part.startswith("— "), part[:80]
            whole = "\n".join(thread)
            assert whole.count("<b>Passo") == 20
            assert whole.count('<a href="https://ex.com/') == 20
            assert "&lt;!channel&gt; **de novo**" in whole

    asyncio.run(story())


def test_r6_r7_the_justificativa_on_a_tickets_page_reads_as_the_agent_s_words(
        sqlite_url: str, tmp_path: Path) -> None:
    """The page showed the justificativa as typed ('Em atendimento (**Aguardando** o
    `XML`)'): a customer saw its marks, while the Slack card formats it (be31fe6)."""
    from core.services import handling

    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"], "Nota <10125> & rejeição")
            world.desk.call(handling.take, ids["ana"], ticket.id)
            world.desk.call(handling.set_justificativa, ids["ana"], ticket.id,
                            "**Aguardando** o `XML` & <b>o print</b>")
            await world.drain_outbox()
            carla = world.chat(CARLA)
            await carla.say(f"/ticket {ticket.number}")
            page = await world.bot_says(carla, f"Ticket {ticket.number}")
            assert "(<b>Aguardando</b> o <code>XML</code> &amp; &lt;b&gt;o print&lt;/b&gt;)" \
                in page["text"]
            assert "**" not in page["text"]
            assert "`" not in page["text"]
            assert "Nota &lt;10125&gt; &amp; rejeição" in page["text"]

    asyncio.run(story())
