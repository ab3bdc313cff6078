"""`helpdesk chat` checks FILES_DIR at start as `helpdesk run` does: made if missing, one line
and status 1 if it cannot be made or written."""

from __future__ import annotations

from pathlib import Path

from test_terminal_chat import CARLA, demo, helpdesk


def test_a_files_dir_under_a_file_stops_the_chat_with_one_line(tmp_path: Path,
                                                              demo_dir: Path) -> None:
    """The chat opened, and the first attachment answered 'Arquivo não encontrado:
    a-file/files/33', blaming the customer's file."""
    demo(demo_dir, tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / ".env").write_text("FILES_DIR=a-file/files\n")
    result = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="oi\nsair\n", ok=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"erro: não consigo gravar anexos em FILES_DIR ({tmp_path}/a-file/files): parte do "
        "caminho não é uma pasta; aponte FILES_DIR para uma pasta em que o helpdesk possa "
        "escrever")
    assert "Olá" not in result.stdout
    (tmp_path / ".env").write_text("FILES_DIR=a-file/files\nLANGUAGE=en\n")
    result = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="sair\n", ok=False)
    assert result.stderr.strip() == (
        f"error: cannot write attachments to FILES_DIR ({tmp_path}/a-file/files): part of the "
        "path is not a folder; point FILES_DIR at a folder the helpdesk can write to")


def test_a_files_dir_missing_is_made_before_the_chat_opens(tmp_path: Path,
                                                           demo_dir: Path) -> None:
    demo(demo_dir, tmp_path)
    (tmp_path / ".env").write_text("FILES_DIR=new/files\n")
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="sair\n").stdout
    assert "Olá, Carla!" in out
    assert (tmp_path / "new" / "files").is_dir()
    assert list((tmp_path / "new" / "files").iterdir()) == []
