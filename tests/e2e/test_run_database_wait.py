"""`helpdesk run` on a PostgreSQL not up yet (both started at boot, the database still
starting): the start waits for it, one line per try, instead of ending with one line for a
service manager to restart; a database the server refuses still stops the start at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.databases import db_kinds
from fakes.process import Running, clean_env, helpdesk, wait_for
from fakes.tcp_forward import Forwarder
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.skipif("postgres" not in db_kinds(),
                                reason="HELPDESK_TEST_DB excludes PostgreSQL")


def late(db_url: str) -> tuple[Forwarder, str]:
    """A forwarder to the test server, not listening yet, and the URL through it (a password
    added: it must never be shown)."""
    url = make_url(db_url)
    fwd = Forwarder((url.host or "127.0.0.1", url.port or 5432))
    through = url.set(port=fwd.port, password="SEGREDO")
    return fwd, through.render_as_string(hide_password=False)


def waits(run: Running) -> list[str]:
    return [line for line in run.text().splitlines() if "DATABASE_URL" in line]


def test_a_postgresql_not_up_yet_is_waited_for(new_db_url: Callable[..., str],
                                               tmp_path: Path) -> None:
    """It ended with 'erro: não foi possível usar o banco de dados (DATABASE_URL): connection
    failed…', status 1."""
    fwd, url = late(new_db_url("postgres"))
    with fwd:
        run = Running(clean_env(url, FILES_DIR=str(tmp_path / "files")), tmp_path, "run")
        try:
            wait_for(lambda: len(waits(run)) >= 1 or run.proc.poll() is not None,
                     what="a first try")
            assert run.proc.poll() is None, run.text()
            fwd.start()
            run.wait_ready()
        finally:
            code = run.terminate()
    assert code == 0, run.text()
    first = waits(run)[0]
    assert f"PostgreSQL fora de alcance em DATABASE_URL (127.0.0.1:{fwd.port}/" in first
    # What went wrong and what to check in Portuguese; psycopg's English as a detail under it.
    assert ("): a conexão foi recusada (nada atende nesse endereço e porta); confira se o "
            "PostgreSQL está no ar, o endereço e a porta em DATABASE_URL e se um firewall "
            "bloqueia a conexão; tentativa 1, a próxima em 1 s") in first, first
    lines = run.text().splitlines()
    detail = lines[lines.index(first) + 1]
    assert detail.startswith("  detalhe: connection failed: "), detail
    assert "SEGREDO" not in run.text()
    assert "Traceback" not in run.text()


def test_a_stop_while_postgresql_is_out_of_reach_ends_the_start_cleanly(
        new_db_url: Callable[..., str], tmp_path: Path) -> None:
    """SIGTERM (a deploy, a service manager giving up) while it waits: status 0, no traceback;
    the lines follow LANGUAGE."""
    fwd, url = late(new_db_url("postgres"))
    run = Running(clean_env(url, LANGUAGE="en"), tmp_path, "run")
    try:
        wait_for(lambda: len(waits(run)) >= 1 or run.proc.poll() is not None,
                 what="a first try")
        assert run.proc.poll() is None, run.text()
    finally:
        code = run.terminate()
    assert code == 0, run.text()
    assert waits(run)[0].split(": ", 1)[1].startswith(
        f"PostgreSQL out of reach at DATABASE_URL (127.0.0.1:{fwd.port}/")
    assert "Traceback" not in run.text()


def test_a_database_the_server_refuses_still_stops_the_start(new_db_url: Callable[..., str],
                                                             tmp_path: Path) -> None:
    """No wait would create the database: one line, status 1, no try counted."""
    url = make_url(new_db_url("postgres")).set(database="helpdesk_no_such_db")
    done = helpdesk(clean_env(url.render_as_string(hide_password=False)), "run", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        'erro: não foi possível usar o banco de dados (DATABASE_URL): connection failed: '
        'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database '
        '"helpdesk_no_such_db" does not exist']
