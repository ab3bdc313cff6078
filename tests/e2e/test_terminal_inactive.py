"""`helpdesk chat --email` for an account that was deactivated."""

from __future__ import annotations

from pathlib import Path

from test_terminal_chat import CARLA, demo, helpdesk

from core.i18n import t
from storage.sql import SqlStore


def test_a_deactivated_account_is_told_so_and_the_chat_does_not_open(tmp_path: Path,
                                                                    demo_dir: Path) -> None:
    """The chat opened as for a stranger: 'Não encontrei seu cadastro… envie o código de
    convite', and a code could not be redeemed in the terminal at all."""
    demo(demo_dir, tmp_path)
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
    result = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="oi\nsair\n", ok=False)
    assert result.returncode == 1
    assert t("terminal.inactive", email=CARLA) in result.stderr
    assert "código de convite" not in result.stdout
