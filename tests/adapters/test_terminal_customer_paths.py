"""A demanding customer in the terminal chat: what is sent at a question is never lost."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from test_terminal_typed import DRAFT, T0, carla_and_ana

from bots.runtime import Desk
from bots.terminal.chat import TerminalChat
from core.i18n import t
from core.models import EntryKind, Status, Ticket


def _awaiting(desk: Desk) -> tuple[Any, Ticket]:
    """Carla, and her ticket answered by Ana and awaiting her approval (R19)."""
    from core.services import closing, handling, intake

    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(closing.request_approval, ana.id, ticket.id, "Rode isso.", origin_id="erro_sistema")
    return carla, ticket


def _chat(desk: Desk, user_id: int, tmp_path: Path, typed: str) -> str:
    """The transcript of a terminal session fed `typed`."""
    out = io.StringIO()
    TerminalChat(desk, user_id, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(typed), stdout=out).run()
    return out.getvalue()


def _print(tmp_path: Path) -> Path:
    shot = tmp_path / "tela.png"
    shot.write_bytes(b"\x89PNG ainda trava")
    return shot


def test_r19_a_print_sent_at_the_approval_question_then_decidir_depois_is_offered(
        sql_store: Any, tmp_path: Path) -> None:
    """Carla sent a print at the approval question ('Guardei o arquivo…'), then chose Decidir
    depois: the print was dropped. It is offered as the ticket's trâmite; Enviar sends it and
    the ticket still awaits her approval."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, ticket = _awaiting(desk)
        shown = _chat(desk, carla.id or 0, tmp_path,
                      f"1\n@{_print(tmp_path)}\n4\n1\nsair\n")
        after = shown.split("> 4\n", 1)[1]
        assert t("conv.closing.later_kept", number=ticket.number) in after
        assert "tela.png" in after
        with desk.store() as uow:
            files = uow.entries.attachments(ticket.id or 0)
            stored = uow.tickets.get(ticket.id or 0)
        assert [f.filename for f in files] == ["tela.png"]
        assert stored is not None
        assert stored.status == Status.AWAITING_APPROVAL
    finally:
        desk.close()


def test_r19_words_kept_at_the_approval_question_then_decidir_depois_are_offered(
        sql_store: Any, tmp_path: Path) -> None:
    """Words kept at the question ('vou testar amanhã no caixa 2') were dropped by Decidir
    depois; offered as the ticket's trâmite, Descartar drops them and nothing is sent."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, ticket = _awaiting(desk)
        shown = _chat(desk, carla.id or 0, tmp_path,
                      "1\nvou testar amanhã no caixa 2\n4\n2\nsair\n")
        after = shown.split("> 4\n", 1)[1]
        assert t("conv.closing.later_kept", number=ticket.number) in after
        assert "vou testar amanhã no caixa 2" in after
        assert t("conv.tramite.dropped") in after
        with desk.store() as uow:
            public = [e for e in uow.entries.list(ticket.id or 0, False)
                      if e.kind == EntryKind.PUBLIC and e.author_id == carla.id]
        assert public == []
    finally:
        desk.close()
