"""R7: the files of an agent's trâmite reach a customer in the terminal chat as they do in
Telegram, Slack and the e-mail: copied where the chat saves what it receives (--out-dir), each
named with its path."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_typed import DRAFT, T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.blobs import blob_path, store_bytes
from bots.runtime import Desk
from bots.terminal.chat import TerminalChat
from core.services import handling, intake, tramites, users

PRINT = b"\x89PNG\r\n\x1a\n" + b"tela" * 64


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def _chat(desk: Desk, user_id: int, files: Path, out: Path, typed: str = "sair\n",
          language: str = "pt_BR") -> str:
    """The transcript of a terminal session fed `typed`."""
    written = io.StringIO()
    TerminalChat(desk, user_id, files_dir=files, out_dir=out, stdin=io.StringIO(typed),
                 stdout=written, language=language).run()
    return written.getvalue()


def _answered_with_files(desk: Desk, files: Path, out: Path, names: dict[str, bytes],
                         language: str = "pt_BR") -> tuple[str, str]:
    """Carla, who talks in the terminal, gets Ana's answer with these files: the ticket's
    number and Carla's next session."""
    carla, ana = carla_and_ana(desk)
    if language != "pt_BR":
        desk.call(users.set_language, carla.email, language)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    _chat(desk, carla.id or 0, files, out, language=language)
    desk.call(handling.take, ana.id, ticket.id)
    stored = [store_bytes(files, name, content) for name, content in names.items()]
    desk.call(tramites.add_tramite, ana.id, ticket.id, "Segue o print e o log.", stored)
    return ticket.number, _chat(desk, carla.id or 0, files, out, language=language)


def test_r7_an_agents_files_in_a_terminal_notice_are_saved_and_named_with_their_path(
        desk: Desk, tmp_path: Path) -> None:
    """The notice named 'Anexos: erro.png, log.txt' and no way to open them."""
    out = tmp_path / "recebidos"
    number, shown = _answered_with_files(desk, tmp_path / "files", out,
                                         {"erro.png": PRINT, "log.txt": b"stack trace"})
    assert "Segue o print e o log." in shown
    for name, content in (("erro.png", PRINT), ("log.txt", b"stack trace")):
        assert (out / name).read_bytes() == content
        assert t("terminal.notice_file.saved", "pt_BR", name=name, number=number,
                 path=str(out / name)) in shown
    assert shown.index("Segue o print") < shown.index(str(out / "log.txt"))


def test_r7_a_file_of_the_same_name_in_the_folder_is_kept_and_the_new_one_saved_beside(
        desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "recebidos"
    out.mkdir()
    (out / "erro.png").write_bytes(b"o print da Carla")
    number, shown = _answered_with_files(desk, tmp_path / "files", out, {"erro.png": PRINT})
    assert (out / "erro.png").read_bytes() == b"o print da Carla"
    assert (out / "erro (2).png").read_bytes() == PRINT
    assert t("terminal.notice_file.saved", "pt_BR", name="erro.png", number=number,
             path=str(out / "erro (2).png")) in shown


def test_r7_a_file_no_longer_stored_is_said_and_the_notice_still_shown(
        desk: Desk, tmp_path: Path) -> None:
    files, out = tmp_path / "files", tmp_path / "recebidos"
    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    _chat(desk, carla.id or 0, files, out)
    desk.call(handling.take, ana.id, ticket.id)
    stored = store_bytes(files, "erro.png", PRINT)
    desk.call(tramites.add_tramite, ana.id, ticket.id, "Segue o print.", [stored])
    blob_path(files, stored.sha256).unlink()
    shown = _chat(desk, carla.id or 0, files, out)
    assert "Segue o print." in shown
    assert t("terminal.notice_file.gone", "pt_BR", name="erro.png",
             number=ticket.number) in shown
    assert not (out / "erro.png").exists()


def test_r7_the_saved_files_line_reads_in_english(desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "recebidos"
    number, shown = _answered_with_files(desk, tmp_path / "files", out, {"log.txt": b"trace"},
                                         language="en")
    assert t("terminal.notice_file.saved", "en", name="log.txt", number=number,
             path=str(out / "log.txt")) in shown
    assert "salvo em" not in shown
