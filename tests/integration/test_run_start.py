"""What `helpdesk run` checks at start, in process on a real SQLite file: the e-mail sender and
FILES_DIR, with the one line it stops with in the desk's language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.app import serve
from bots.bootstrap import bootstrap
from bots.email import is_sender
from bots.settings import Settings


def start_once(db_url: str, **values: Any) -> str | None:
    """Start `helpdesk run` with these settings and stop at once; the line it stopped with."""
    settings = Settings(_env_file=None, database_url=db_url, http_host="127.0.0.1",  # type: ignore[call-arg]
                        http_port=0, sweep_interval_seconds=3600, **values)
    container = bootstrap(settings)

    async def story() -> None:
        stop = asyncio.Event()
        stop.set()
        await serve(container, stop=stop)

    try:
        asyncio.run(story())
    except SystemExit as stopped:
        return str(stopped.code)
    finally:
        container.close()
    return None


@pytest.mark.parametrize("sender", [
    "suporte@exemplo.com.br", "Suporte <suporte@exemplo.com.br>",
    "Suporte Técnico Exemplo <suporte@exemplo.com.br>", '"Suporte, TI" <ti@exemplo.com.br>',
    "<suporte@exemplo.com.br>", "helpdesk@localhost", "suporte@ação.com.br"])
def test_a_sender_with_or_without_a_name_is_an_address(sender: str) -> None:
    assert is_sender(sender)


@pytest.mark.parametrize("sender", [
    "suporte", "Suporte <suporte>", "suporte@", "@exemplo.com.br", "Suporte suporte@exemplo.com",
    "a@exemplo.com, b@exemplo.com", "suporte@exemplo..com", "suporte@-exemplo.com"])
def test_what_no_server_takes_as_from_is_not_an_address(sender: str) -> None:
    assert not is_sender(sender)


def test_the_mail_from_line_follows_the_language(new_db_url: Callable[[str], str],
                                                 tmp_path: Path) -> None:
    line = start_once(new_db_url("sqlite"), language="en", files_dir=str(tmp_path / "files"),
                      smtp_url="smtp://u:SENHA@127.0.0.1:2525", mail_from="Suporte <suporte>")
    assert line == ("error: MAIL_FROM is not an e-mail address (Suporte <suporte>); use e.g. "
                    "support@example.com or Support <support@example.com>")


def test_a_files_dir_missing_is_made_and_one_under_a_file_stops_the_start(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    url = new_db_url("sqlite")
    assert start_once(url, files_dir=str(tmp_path / "new" / "files")) is None
    assert (tmp_path / "new" / "files").is_dir()
    assert list((tmp_path / "new" / "files").iterdir()) == []  # the probe is gone
    (tmp_path / "a-file").write_text("not a folder")
    line = start_once(url, files_dir=str(tmp_path / "a-file" / "files"))
    assert line == (f"erro: não consigo gravar anexos em FILES_DIR ({tmp_path}/a-file/files): "
                    "Not a directory; aponte FILES_DIR para uma pasta em que o helpdesk possa "
                    "escrever")
