"""Knowledge-base articles in Telegram (R9): written in Markdown, shown with Telegram's bold,
italics and links; a text the Bot API would refuse is never sent."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, link, seed

from core.services import knowledge

ARTICLE = ("---\ntitle: Cancelar uma NF-e <rápido> & certo\ntags: [cancelar, nfe]\n---\n"
           "A nota pode ser **cancelada em até 24\nhoras** depois da autorização.\n\n"
           "1. Abra *Fiscal / NF-e*.\n2. Clique em `Cancelar` (a <tela> & o botão).\n\n"
           "Veja [a ajuda da SEFAZ](https://sefaz.exemplo.gov.br/cancelar?uf=PR&tipo=nfe).\n")


def test_r9_an_article_arrives_formatted_and_parses_as_telegram_html(sqlite_url: str,
                                                                     tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            with world.desk.store() as uow:
                knowledge.add_article(uow, "cancelar-nfe", ARTICLE)
                uow.commit()
            carla = world.chat(CARLA)
            await world.drain_outbox()
            await carla.say("kb cancelar nfe")
            await carla.click("Cancelar uma NF-e")
            shown = carla.last_text()
            assert shown.startswith("<b>Cancelar uma NF-e &lt;rápido&gt; &amp; certo</b>\n\n")
            assert "<b>cancelada em até 24 horas</b> depois da autorização." in shown
            assert "1. Abra <i>Fiscal / NF-e</i>.\n2. Clique em <code>Cancelar</code> " \
                   "(a &lt;tela&gt; &amp; o botão)." in shown
            assert '<a href="https://sefaz.exemplo.gov.br/cancelar?uf=PR&amp;tipo=nfe">' \
                   "a ajuda da SEFAZ</a>" in shown
            assert "**" not in shown
            assert carla.with_buttons()[-1]["text"] == shown  # the buttons come with it

    asyncio.run(story())


def test_a_long_article_is_cut_between_lines_and_each_part_parses() -> None:
    from fakes.telegram_api import html_problem

    from bots.telegram.render import MAX_TEXT, render_replies, shown_len
    from core.conversation.replies import Reply

    body = "\n\n".join(f"{n}. **Passo {n}**: confira o registro C{n:03d} & siga." * 3
                       for n in range(1, 120))
    parts = render_replies([Reply(text="plain", markdown=body)])
    assert len(parts) > 1
    for part in parts:
        assert shown_len(part.html) <= MAX_TEXT
        assert html_problem(part.html) == ""
    code = "```\n" + "linha de log & <erro>\n" * 400 + "```"  # one block over a message
    [*plain] = render_replies([Reply(text="texto puro", markdown=code)])
    assert [p.html for p in plain] == ["texto puro"]  # the plain text instead, never broken
    long_line = "Antes.\n\n" + "x" * (MAX_TEXT + 1) + "\n\nDepois."  # one line over a message
    assert [p.html for p in render_replies([Reply(text="puro", markdown=long_line)])] == ["puro"]
