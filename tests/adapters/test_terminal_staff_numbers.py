"""R12, R15: a number typed where an agent writes to the customer or to development names a
button, never the text sent. Ana typed '6' at 'Escreva a solução de contorno' (the page's
Ações da equipe a moment before) and the customer received the workaround '6'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import DRAFT, T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from core.services import intake


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


@pytest.mark.parametrize("option", ["conv.staff.send_workaround", "conv.staff.send_solution"])
def test_r12_a_menu_number_typed_as_the_solution_is_not_sent(
        desk: Desk, tmp_path: Path, option: str) -> None:
    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    page = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\nsair\n")
    [number] = [line.split(".")[0].strip() for line in page.splitlines()
                if line.strip().partition(". ")[2] == t(option)]
    shown = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\n{number}\n6\nsair\n")
    after = shown.split("> 6\n", 1)[1]
    assert after.startswith(t("conv.error.no_option_or_words.one", number=6)) \
        or after.startswith(t("conv.error.no_option_or_words", number=6, last=2)), after
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
        texts = [e.text for e in uow.entries.list(ticket.id or 0, include_internal=True)]
    assert "6" not in texts
    assert stored.workaround_at is None
    assert stored.status.value == "novo"



FORWARD = "slack.btn.dev"  # the action's label, shared with the Slack card's button


def _option(transcript: str, key: str) -> str:
    """The number of the last screen's option labelled t(key)."""
    return [line.split(".")[0].strip() for line in transcript.splitlines()
            if line.strip().partition(". ")[2] == t(key)][-1]


def test_r15_a_menu_number_typed_as_the_note_for_development_is_not_sent(
        desk: Desk, tmp_path: Path) -> None:
    """At 'Escreva uma observação para o desenvolvimento' (two buttons) '9' is no note."""
    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    page = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\nsair\n")
    actions = _option(page, "conv.staff.actions")
    menu = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\n{actions}\nsair\n")
    forward = _option(menu, FORWARD)
    shown = _chat(desk, ana.id or 0, tmp_path,
                  f"ticket {ticket.number}\n{actions}\n{forward}\n9\nsair\n")
    assert shown.split("> 9\n", 1)[1].startswith(
        t("conv.error.no_option_or_words", number=9, last=2))
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
        texts = [e.text for e in uow.entries.list(ticket.id or 0, include_internal=True)]
    assert "9" not in texts
    assert stored.status.value == "novo"


@pytest.mark.parametrize("typed", ["1", "0001", "#1"])
def test_r18_the_end_of_a_number_typed_at_the_duplicate_s_question_names_the_original(
        desk: Desk, tmp_path: Path, typed: str) -> None:
    """'O ticket … é duplicado de qual? … ou só o fim dele, como 0001': '0001' and '#1'
    named the original, while '1' was the question's Voltar button (its number in the
    terminal). Each names the original; the confirmation says what was understood, and
    Voltar is there."""
    carla, ana = carla_and_ana(desk)
    original = desk.call(intake.open_ticket, carla.id, DRAFT)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    page = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\nsair\n")
    actions = _option(page, "conv.staff.actions")
    menu = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\n{actions}\nsair\n")
    reject = _option(menu, "slack.btn.reject")
    shown = _chat(desk, ana.id or 0, tmp_path,
                  f"ticket {ticket.number}\n{actions}\n{reject}\n{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert t("conv.staff.duplicate_understood", typed=typed, original=original.number) \
        in after
    assert t("conv.staff.reject") in after
    assert t("conv.tramite.back") in after


def test_r18_the_whole_number_at_the_duplicate_s_question_is_not_said_back(
        desk: Desk, tmp_path: Path) -> None:
    carla, ana = carla_and_ana(desk)
    original = desk.call(intake.open_ticket, carla.id, DRAFT)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    page = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\nsair\n")
    actions = _option(page, "conv.staff.actions")
    menu = _chat(desk, ana.id or 0, tmp_path, f"ticket {ticket.number}\n{actions}\nsair\n")
    reject = _option(menu, "slack.btn.reject")
    shown = _chat(desk, ana.id or 0, tmp_path,
                  f"ticket {ticket.number}\n{actions}\n{reject}\n{original.number}\nsair\n")
    after = shown.split(f"> {original.number}\n", 1)[1]
    assert t("conv.staff.reject") in after
    assert "“" not in after.split("\n", 1)[0]


def test_r8_the_end_of_a_number_typed_at_the_listing_opens_that_ticket_not_an_option(
        desk: Desk, tmp_path: Path) -> None:
    """At the listing (newest first, numbered 1 to 5), Ana typed '0003' for ticket …/0003 and
    the terminal opened its third option, …/0004: the number's end is no option's number."""
    carla, ana = carla_and_ana(desk)
    tickets = [desk.call(intake.open_ticket, carla.id, DRAFT) for _ in range(6)]
    shown = _chat(desk, ana.id or 0, tmp_path, "tickets\n0003\nsair\n")
    after = shown.split("> 0003\n", 1)[1]
    listed = [line for line in after.splitlines() if " · " in line]
    assert after.startswith(f"Ticket {tickets[2].number}") \
        or [line.split(" · ")[0] for line in listed] == [tickets[2].number], after
    assert tickets[3].number not in after, after
