"""A message without markup goes as plain text: the same words on screen, a lighter request."""

from __future__ import annotations

import asyncio
import html
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, linked_carla, whole_intake


def test_a_text_without_tags_goes_plain_one_with_tags_or_escapes_as_html(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Telegram shows a text without tags or entities the same in HTML and plain mode, so such
    a text goes without parse_mode; a subject with < and & still goes as HTML (escaped), and
    the customer reads it as typed."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await whole_intake(carla, "Erro <caixa> & NF-e")
            sent = [c for c in world.api.calls if c.status == 200 and c.chat_id == CARLA
                    and c.method in ("sendMessage", "editMessageText")]
            plain = [c.params["text"] for c in sent if "parse_mode" not in c.params]
            marked = [c.params["text"] for c in sent if c.params.get("parse_mode") == "HTML"]
            assert len(plain) + len(marked) == len(sent)
            assert plain
            assert all("<" not in text and "&" not in text for text in plain)
            assert any("Qual o item?" in text for text in plain)
            assert any("Erro &lt;caixa&gt; &amp; NF-e" in text for text in marked)  # the summary
            registered = next(text for text in marked if "registrado" in text)
            assert "Erro <caixa> & NF-e" in html.unescape(registered)

    asyncio.run(story())
