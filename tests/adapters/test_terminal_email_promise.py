"""The chat promises an e-mail only when one will go (R5): an instance that sends e-mail is
live, this one sends it, or its rows wait for the run configured to; and the person has an
address. 'Enviamos a confirmação para carla@…' was said with no SMTP_URL anywhere."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_terminal_typed import T0, carla_and_ana

from bots.bootstrap import Container, bootstrap
from bots.runtime import utc_now
from bots.settings import Settings
from bots.terminal.chat import TerminalChat
from storage.outbox_sql import OutboxQueue

INTAKE = (
    "novo\nsuporte\n1\n1\nPedido não confirma\n"
    "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma.\n1\n1\n1\n")
PROMISE = "Enviamos a confirmação para carla@example.com"


def _container(sql_store: Any, **values: Any) -> Container:
    """`helpdesk chat`'s wiring over the store, these settings, the clock at business hours."""
    settings = Settings(_env_file=None, database_url="sqlite://",  # type: ignore[call-arg]
                        **values)
    return bootstrap(settings, store=sql_store, clock=lambda: T0)


@pytest.fixture
def bare(sql_store: Any) -> Iterator[Container]:
    """No SMTP_URL here."""
    box = _container(sql_store)
    yield box
    box.desk.close()


def _register(box: Container, tmp_path: Path) -> str:
    """Carla registers a ticket in the terminal chat: the transcript."""
    carla, _ = carla_and_ana(box.desk)
    out = io.StringIO()
    TerminalChat(box.desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(INTAKE + "contato\nperfil\nsair\n"), stdout=out).run()
    shown = out.getvalue()
    assert "registrado: Pedido não confirma" in shown, shown
    return shown


def _beat(box: Container, worker: str, *channels: str) -> None:
    """Another instance's heartbeat, serving these channels."""
    OutboxQueue(box.store.engine).beat(  # type: ignore[attr-defined]
        worker, set(channels), utc_now(), timedelta(seconds=60), "unserved: ")


def test_r5_with_no_instance_sending_e_mail_registering_promises_none(
        bare: Container, tmp_path: Path) -> None:
    """No SMTP_URL here, another instance live with Telegram and Slack only: the number and
    how to follow it, no 'Enviamos a confirmação'; contato and perfil promise no e-mail."""
    _beat(bare, "outra", "telegram", "slack")
    shown = _register(bare, tmp_path)
    assert "Enviamos" not in shown
    assert 'Para acompanhar, escreva "ticket ' in shown
    assert "a resposta de um atendente chega aqui." in shown
    assert "chega aqui e por e-mail" not in shown
    assert "é por ele que chegam as confirmações" not in shown


def test_r5_a_live_instance_that_sends_e_mail_makes_the_promise_true(
        bare: Container, tmp_path: Path) -> None:
    """This one has no SMTP_URL, another live instance sends e-mail: the confirmation goes."""
    _beat(bare, "outra", "email", "telegram")
    shown = _register(bare, tmp_path)
    assert PROMISE in shown
    assert "chega aqui e por e-mail" in shown
    assert "é por ele que chegam as confirmações" in shown


def test_r5_e_mail_configured_here_with_no_instance_live_is_kept_for_the_run_and_promised(
        sql_store: Any, tmp_path: Path) -> None:
    """SMTP_URL set here and no instance running: the row waits for the `helpdesk run` that
    will send it, so the promise holds; with a live instance that lacks e-mail, it would
    fail the row, so none is promised."""
    box = _container(sql_store, smtp_url="smtp://127.0.0.1:2525", mail_from="s@exemplo.com")
    try:
        assert PROMISE in _register(box, tmp_path)
    finally:
        box.desk.close()


def test_r5_e_mail_configured_here_but_a_live_instance_without_it_promises_none(
        sql_store: Any, tmp_path: Path) -> None:
    """The live instance would fail the e-mail row (no one serves e-mail): no promise."""
    box = _container(sql_store, smtp_url="smtp://127.0.0.1:2525", mail_from="s@exemplo.com")
    try:
        _beat(box, "outra", "telegram")
        assert "Enviamos" not in _register(box, tmp_path)
    finally:
        box.desk.close()
