"""`helpdesk chat --email` for an account that was deactivated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bots.settings import Settings
from core.i18n import t
from storage.sql import SqlStore

ROOT = Path(__file__).resolve().parents[2]
CARLA = "carla@mercadoexemplo.com.br"


def helpdesk(workdir: Path, *args: str, stdin: str | None = None
             ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(DATABASE_URL=f"sqlite:///{workdir / 'helpdesk.db'}", PYTHONPATH=str(ROOT),
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=workdir, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120, check=False)


def test_a_deactivated_account_is_told_so_and_the_chat_does_not_open(tmp_path: Path) -> None:
    """The chat opened as for a stranger: 'Não encontrei seu cadastro… envie o código de
    convite', and a code could not be redeemed in the terminal at all."""
    assert helpdesk(tmp_path, "demo").returncode == 0
    store = SqlStore(f"sqlite:///{tmp_path / 'helpdesk.db'}")
    try:
        with store() as uow:
            carla = uow.users.by_email(CARLA)
            assert carla is not None
            carla.active = False
            uow.users.update(carla)
            uow.commit()
    finally:
        store.dispose()
    result = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="oi\nsair\n")
    assert result.returncode == 1
    assert t("terminal.inactive", email=CARLA) in result.stderr
    assert "código de convite" not in result.stdout
