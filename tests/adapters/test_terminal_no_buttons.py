"""The terminal chat shows numbered options, no buttons: its texts say to type the option's
number or name, never to tap a button ("toque no botão"), in both languages; the chats with
buttons keep saying it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import DRAFT, T0, carla_and_ana

from bots.runtime import Desk
from core.i18n import NO_BUTTONS, catalog, t, without_buttons
from core.services import intake, users

BUTTON_WORDS = {"pt_BR": re.compile(r"\b(toque|tocar|toca|botão|botões|clique)\b", re.I),
                "en": re.compile(r"\b(tap|button|buttons|click)\b", re.I)}
WITH_BUTTONS_ONLY = ("conv.edited.", "conv.error.old_prompt")
"""Texts only a chat with buttons or edits ever shows (Telegram's edits, a stale button)."""


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_the_terminal_never_says_to_tap_a_button(desk: Desk, tmp_path: Path,
                                                 lang: str) -> None:
    """'Não há opção 9: digite um número de 1 a 7 ou toque no botão' in the terminal, which
    has no buttons; so 'toque em Concluir', 'Toque no botão ou digite a versão'."""
    carla, _ = carla_and_ana(desk)
    desk.call(intake.open_ticket, carla.id, DRAFT)
    if lang == "en":
        desk.call(users.set_language, "carla@example.com", "en")
    tickets, tab = ("meus tickets", "aba") if lang == "pt_BR" else ("my tickets", "tab")
    confused = "não entendi" if lang == "pt_BR" else "i don't understand"
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{tickets}\n{tab}\n9\n{confused}\nmenu\nnovo\n1\n1\n1\n"
                  "Caixa travando\nVendas > Pedidos: o caixa trava ao fechar a venda na versão "
                  "2026.11, pedido 4431\n1\nxyz\nsair\n")
    assert BUTTON_WORDS[lang].findall(shown) == []
    assert t("conv.error.choose_number", lang, number=9, last=7).split(":")[0] in shown
    assert t("conv.intake.ask_anexos", lang).split(".")[0] in shown


def test_a_chat_with_buttons_still_says_to_tap_one() -> None:
    assert "toque no botão" in t("conv.error.choose")
    with without_buttons():
        assert t("conv.error.choose") == t(f"conv.error.choose{NO_BUTTONS}")
        assert t("conv.error.choose_number", number=9, last=1, count=1) == \
            t(f"conv.error.choose_number.one{NO_BUTTONS}", number=9)
    assert "toque no botão" in t("conv.error.choose")


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_every_chat_text_that_names_a_button_has_a_text_for_the_terminal(lang: str) -> None:
    texts = catalog(lang)
    naming = [k for k, v in texts.items() if k.startswith("conv.")
              and not k.endswith(NO_BUTTONS) and not k.startswith(WITH_BUTTONS_ONLY)
              and BUTTON_WORDS[lang].search(v)]
    assert naming
    assert [k for k in naming if f"{k}{NO_BUTTONS}" not in texts] == []
    assert [k for k in texts if k.endswith(NO_BUTTONS)
            and BUTTON_WORDS[lang].search(texts[k])] == []
