"""What customers really type, in the terminal chat: a till that froze is no company stopped
(R12), a sentence is no tab (R5), a sentence naming a profile action offers it (R11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import DRAFT, T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from core.conversation.identity import terminal_key
from core.i18n import label
from core.models import CriticalReason
from core.services import intake

TO_PRIORITY = ("novo\n1\n1\n1\nCaixa travando\nVendas > Pedidos: o caixa trava ao fechar a "
               "venda na versão 2026.11, pedido 4431\n1\n")
"""A ticket typed up to its priority question."""


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def _draft(desk: Desk, user_id: int) -> dict[str, Any]:
    with desk.store() as uow:
        state = uow.conversations.get(terminal_key(user_id))
    assert state is not None
    return dict(state.data["intake"]["draft"])


def test_r12_a_till_that_froze_again_is_not_a_stopped_company(
        desk: Desk, tmp_path: Path) -> None:
    """'o caixa travou de novo' at the priority question set Crítico — Empresa ou área
    parada: one till is not the company. The reason is asked (Manter Padrão among the
    answers) and the sentence joins the descrição, said so."""
    carla, _ = carla_and_ana(desk)
    typed = "o caixa travou de novo"
    shown = _chat(desk, carla.id or 0, tmp_path, f"{TO_PRIORITY}{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert t("conv.intake.ask_motivo") in after
    assert t("conv.intake.priority_keep_standard") in after
    assert f"“{typed}”" in after
    draft = _draft(desk, carla.id or 0)
    assert draft["critical_reason"] is None
    assert draft["priority"] != "critico"
    assert typed in draft["descricao"]
    assert "pedido 4431" in draft["descricao"]


@pytest.mark.parametrize("typed", ["o caixa parou", "urgente, o caixa travou",
                                   "todos os dias o caixa trava", "não está parado"])
def test_r12_one_machine_stopped_has_the_reason_asked(
        desk: Desk, tmp_path: Path, typed: str) -> None:
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"{TO_PRIORITY}{typed}\nsair\n")
    assert t("conv.intake.ask_motivo") in shown.split(f"> {typed}\n", 1)[1]
    assert _draft(desk, carla.id or 0)["critical_reason"] is None


@pytest.mark.parametrize("typed", ["a loja parou", "parou tudo, ninguém vende",
                                   "todos os caixas travaram", "está parado"])
def test_r12_the_company_or_an_area_stopped_is_still_critical(
        desk: Desk, tmp_path: Path, typed: str) -> None:
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"{TO_PRIORITY}{typed}\nsair\n")
    assert label("critical_reason", CriticalReason.AREA_STOPPED, "pt_BR") in \
        shown.split(f"> {typed}\n", 1)[1]
    assert _draft(desk, carla.id or 0)["critical_reason"] == "area_parada"


def test_r12_the_till_that_froze_then_manter_padrao_is_padrao(
        desk: Desk, tmp_path: Path) -> None:
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{TO_PRIORITY}o caixa travou de novo\nmanter padrão\nsair\n")
    assert t("conv.intake.register") in shown.split("> manter padrão\n", 1)[1]
    draft = _draft(desk, carla.id or 0)
    assert (draft["priority"], draft["critical_reason"]) == ("padrao", None)


def _carla_with_a_ticket(desk: Desk) -> int:
    carla, _ = carla_and_ana(desk)
    desk.call(intake.open_ticket, carla.id, DRAFT)
    return carla.id or 0


@pytest.mark.parametrize("typed", ["travou de novo", "deu erro de novo", "parou de novo"])
def test_r5_a_sentence_at_qual_aba_that_names_no_tab_opens_none(
        desk: Desk, tmp_path: Path, typed: str) -> None:
    """'travou de novo' at 'Qual aba?' (one word shared with 'Novos', one other) showed the
    tab Novos: no tab is named, the sentence is not lost."""
    carla = _carla_with_a_ticket(desk)
    shown = _chat(desk, carla, tmp_path, f"meus tickets\naba\n{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert "aba Novos" not in after
    assert f"“{typed}”" in after or t("conv.error.choose") in after


@pytest.mark.parametrize(("typed", "action", "question"), [
    ("o telefone da loja mudou ontem a tarde", "conv.profile.change_phone",
     "conv.profile.ask_phone"),
    ("troquei de e-mail semana passada", "conv.profile.change_email", None),
    ("prefiro conversar em inglês daqui pra frente", "conv.profile.change_language",
     "conv.profile.ask_language"),
])
def test_r11_a_sentence_at_the_profile_naming_one_action_offers_it(
        desk: Desk, tmp_path: Path, typed: str, action: str, question: str | None) -> None:
    """'o telefone da loja mudou ontem a tarde' at the profile got the new-ticket offer: it
    names Alterar telefone, said so, and the phone's question follows."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"perfil\n{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert t("conv.typed.open") not in after
    assert t("conv.profile.understood", action=t(action)) in after
    assert t(question or "conv.profile.ask_email", email="carla@example.com") in after


def test_r11_a_sentence_at_the_profile_with_the_new_phone_keeps_it(
        desk: Desk, tmp_path: Path) -> None:
    carla, _ = carla_and_ana(desk)
    typed = "o telefone da loja mudou para (11) 4002-8922"
    _chat(desk, carla.id or 0, tmp_path, f"perfil\n{typed}\nsair\n")
    with desk.store() as uow:
        user = uow.users.get(carla.id or 0)
    assert user is not None
    assert "40028922" in "".join(ch for ch in user.phone or "" if ch.isdecimal())


def test_r11_a_problem_with_the_phone_at_the_profile_is_still_offered_as_a_ticket(
        desk: Desk, tmp_path: Path) -> None:
    carla, _ = carla_and_ana(desk)
    typed = "o telefone do suporte não atende desde ontem"
    shown = _chat(desk, carla.id or 0, tmp_path, f"perfil\n{typed}\nsair\n")
    assert t("conv.profile.ask_phone") not in shown.split(f"> {typed}\n", 1)[1]
