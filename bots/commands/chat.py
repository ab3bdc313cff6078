"""`helpdesk chat --email EMAIL`: the customer conversation in the terminal, no token needed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bots.blobs import require_files_dir
from bots.clikit import container, fail, user_by_email


def chat(
    email: Annotated[str, typer.Option(
        "--email", metavar="EMAIL", help="E-mail do usuário (ex.: um do helpdesk demo).")],
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", metavar="PASTA", help="Onde salvar arquivos recebidos (ex.: o CSV exportado).")
    ] = Path("."),
) -> None:
    """Conversa com o bot no terminal, como no Telegram ou no Slack."""
    from bots.terminal.chat import TerminalChat

    box = container()
    try:
        require_files_dir(box.settings.files_dir, box.settings.language)
        user = box.desk.call(user_by_email, email)
        if user.id is None:
            fail("cli.user_without_id")
        if not user.active:  # the chat would greet a stranger and ask for an invite code
            fail("terminal.inactive", language=user.language or box.settings.language,
                 email=user.email)
        TerminalChat(box.desk, user.id, files_dir=box.settings.files_dir, out_dir=out_dir,
                     stdin=sys.stdin, stdout=sys.stdout,
                     language=user.language or box.settings.language).run()
    finally:
        box.close()


def register(app: typer.Typer) -> None:
    """Add the `chat` command."""
    app.command("chat")(chat)
