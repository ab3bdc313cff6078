"""A sentence typed at a question with options, in the terminal chat: one of its words that an
option shares does not pick that option ("o caixa travou de novo" is no "Novos"); the
sentence is kept (offered as a new ticket, or for a field of the ticket being opened), and
short answers ("novos", "2", "aba novos") still pick their option."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import DRAFT, T0, carla_and_ana

from bots.runtime import Desk
from core.conversation.identity import terminal_key
from core.i18n import t
from core.services import intake

SENTENCE = "o caixa travou de novo"


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def _carla_with_a_ticket(desk: Desk) -> int:
    carla, _ = carla_and_ana(desk)
    desk.call(intake.open_ticket, carla.id, DRAFT)
    return carla.id or 0


def test_r3_a_sentence_at_qual_aba_opens_no_tab_and_is_offered_as_a_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """'o caixa travou de novo' at 'Qual aba?' showed the tab Novos ('novo'), the words gone."""
    carla = _carla_with_a_ticket(desk)
    shown = _chat(desk, carla, tmp_path, f"meus tickets\naba\n{SENTENCE}\n1\nsair\n")
    after = shown.split(f"> {SENTENCE}\n", 1)[1].split("\n> ", 1)[0]
    assert "aba Novos" not in after
    assert t("conv.typed.not_a_choice") in after
    assert f"“{SENTENCE}”" in after
    assert t("conv.typed.open") in after
    assert t("conv.intake.intro").split(".")[0] in shown.split("\n> 1\n", 1)[1]


@pytest.mark.parametrize("answer", ["novos", "2", "aba novos", "quero ver os novos"])
def test_r3_short_answers_at_qual_aba_still_pick_the_tab(
        desk: Desk, tmp_path: Path, answer: str) -> None:
    carla = _carla_with_a_ticket(desk)
    shown = _chat(desk, carla, tmp_path, f"meus tickets\naba\n{answer}\nsair\n")
    assert "aba Novos" in shown.split(f"> {answer}\n", 1)[1]


def test_r3_a_sentence_at_the_period_is_not_todo_o_periodo(desk: Desk, tmp_path: Path) -> None:
    """'o caixa travou todo o dia de novo' at the period picked 'todo o período'."""
    carla = _carla_with_a_ticket(desk)
    typed = "o caixa travou todo o dia de novo"
    shown = _chat(desk, carla, tmp_path, f"meus tickets\nperíodo\n{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert "todo o período: 1 ticket" not in after
    assert f"“{typed}”" in after


def test_r3_a_sentence_at_the_item_is_no_implementation_request(
        desk: Desk, tmp_path: Path) -> None:
    """'o caixa travou de novo' at 'Qual o item?' picked Solicitação de implementação (its
    alias 'novo'): the ticket would have gone to Em estimativa (R16). It is kept for the
    descrição, and its 'travou' names Suporte (a freeze is support's)."""
    carla = _carla_with_a_ticket(desk)
    shown = _chat(desk, carla, tmp_path, f"novo\n{SENTENCE}\nsair\n")
    after = shown.split(f"> {SENTENCE}\n", 1)[1]
    assert after.index("Qual o serviço") < after.index("> sair")
    with desk.store() as uow:
        state = uow.conversations.get(terminal_key(carla))
    assert state is not None
    draft = state.data["intake"]["draft"]
    assert draft.get("item_id") == "suporte"
    assert SENTENCE in (draft.get("descricao") or "")


def test_r5_a_sentence_at_the_summary_is_kept_for_a_field(desk: Desk, tmp_path: Path) -> None:
    """At 'Confira o seu ticket' a sentence was 'Não entendi', the words gone: it is kept and
    offered for the assunto or the descrição, as at Corrigir."""
    carla = _carla_with_a_ticket(desk)
    typed = "o caixa travou de novo hoje cedo"
    shown = _chat(desk, carla, tmp_path,
                  "novo\n1\n1\n1\nCaixa travando\nVendas > Pedidos: o caixa trava ao fechar a "
                  f"venda na versão 2026.11, pedido 4431\n1\npadrão\n{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert t("conv.error.choose") not in after
    assert f"“{typed}”" in after
    assert t("conv.intake.fix_use", field=t("field.descricao")) in after


@pytest.mark.parametrize("typed", ["ticket 202611/0001", "ticket 0001", "ticket 1"])
def test_r8_confira_o_numero_never_gives_the_number_typed_as_its_example(
        desk: Desk, tmp_path: Path, typed: str) -> None:
    """Carla typed this month's first number, another company's ticket: 'Confira o número
    (ex.: 202611/0001)' gave back the very number she typed as the example to follow."""
    from core.services import users

    carla, _ = carla_and_ana(desk)
    desk.call(users.add_company, "Loja Rival")
    rita = desk.call(users.add_user, name="Rita Rival", email="rita@example.com",
                     company_names=["Loja Rival"], trained=True)
    desk.call(intake.open_ticket, rita.id, DRAFT)  # 202611/0001, not Carla's to see
    shown = _chat(desk, carla.id or 0, tmp_path, f"{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert "(ex.: 202611/" in after
    assert "(ex.: 202611/0001)" not in after


def test_r11_new_typed_at_which_tab_in_english_is_the_tab_not_a_new_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """In English the tab Novos is 'New', also the word of the new-ticket command: typed at
    'Which tab?' it opened a ticket's intake. The option on screen wins; '/new' still opens."""
    from core.services import users

    carla = _carla_with_a_ticket(desk)
    desk.call(users.set_language, "carla@example.com", "en")
    shown = _chat(desk, carla, tmp_path, "tickets\ntab\nnew\n/new\nsair\n")
    after = shown.split("> new\n", 1)[1]
    assert "tab New" in after.split("> /new", 1)[0]
    assert t("conv.intake.intro", "en") in after.split("> /new", 1)[1]
