"""`helpdesk run` with settings that cannot work stops with one line naming the variable: a
channel configured by half (before it fails that channel's notifications for every instance as
'no sender'), a sender that is no e-mail address, a FILES_DIR it cannot write, an HTTP port
already taken."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from fakes.process import Running, clean_env, running, wait_for


def stopped_with(tmp_path: Path, **settings: str) -> str:
    """Start `helpdesk run`; the `erro:` (en: `error:`) line it exited 1 with (fail if it
    keeps running)."""
    env = clean_env(f"sqlite:///{tmp_path / 'helpdesk.db'}", **settings)
    proc = Running(env, tmp_path, "run")
    deadline = time.monotonic() + 60
    while proc.proc.poll() is None and time.monotonic() < deadline \
            and not running(proc.text()):
        time.sleep(0.1)
    alive = proc.proc.poll() is None
    code = proc.terminate()  # closes the log; a process already gone is only waited for
    if alive:
        pytest.fail(f"helpdesk run started anyway:\n{proc.text()}")
    log = proc.text()
    assert code == 1, log
    assert "Traceback" not in log
    (line,) = [x for x in log.splitlines() if x.startswith(("erro: ", "error: "))]
    return line


def test_a_slack_bot_token_without_a_way_to_receive_stops_the_start(tmp_path: Path) -> None:
    """SLACK_BOT_TOKEN alone logged 'Slack stays off' and ran on, failing the Slack rows."""
    line = stopped_with(tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_TRIAGE_CHANNEL="C1")
    assert "SLACK_SIGNING_SECRET" in line
    assert "SLACK_APP_TOKEN" in line
    assert "xoxb-1" not in line



def test_an_smtp_url_without_mail_from_stops_the_start(tmp_path: Path) -> None:
    """SMTP_URL alone logged 'e-mail stays off' and ran on, failing every e-mail row."""
    line = stopped_with(tmp_path, SMTP_URL="smtp://u:SENHA@127.0.0.1:2525")
    assert "MAIL_FROM" in line
    assert "SENHA" not in line


def test_a_mail_from_that_is_no_address_stops_the_start(tmp_path: Path) -> None:
    """MAIL_FROM=suporte started, and every e-mail then went out with a From no server takes."""
    line = stopped_with(tmp_path, SMTP_URL="smtp://u:SENHA@127.0.0.1:2525", MAIL_FROM="suporte")
    assert line.startswith("erro: MAIL_FROM")
    assert "suporte" in line
    assert "Suporte <suporte@exemplo.com.br>" in line
    assert "SENHA" not in line


def test_a_files_dir_that_cannot_be_made_stops_the_start(tmp_path: Path) -> None:
    """An unusable FILES_DIR was found only when the first customer sent an attachment."""
    (tmp_path / "files").write_text("not a folder")
    line = stopped_with(tmp_path, FILES_DIR="files")
    assert line.startswith("erro: não consigo gravar anexos em FILES_DIR")
    assert f"({tmp_path / 'files'}): existe um arquivo com esse nome, que não é uma pasta;" \
        in line  # was the system's English


def test_an_http_port_already_taken_names_http_host_and_port(tmp_path: Path) -> None:
    """Another program on HTTP_PORT (8080 is a common one) was an OSError traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = stopped_with(tmp_path, HTTP_PORT=str(port))
    assert "HTTP_PORT" in line
    assert f"127.0.0.1:{port}" in line
    assert line.endswith(": já em uso por outro programa"), line  # was the system's English


@pytest.mark.parametrize(("where", "language", "line"), [
    ("environment", "pt_BR", "erro: TELEGRAM_STEP_PROCESSES foi substituída por "
                             "TELEGRAM_CHAT_PROCESSES"),
    (".env", "en", "error: TELEGRAM_STEP_PROCESSES was replaced by TELEGRAM_CHAT_PROCESSES"),
])
def test_telegram_step_processes_still_set_stops_the_start(
        tmp_path: Path, where: str, language: str, line: str) -> None:
    """The step processes were retired for the chat processes: the setting, in the environment
    or in .env, would otherwise be ignored without a word and the bot run on one core."""
    settings = {"TELEGRAM_STEP_PROCESSES": "2", "LANGUAGE": language}
    if where == ".env":
        (tmp_path / ".env").write_text(
            "".join(f"{name}={value}\n" for name, value in settings.items()))
        settings = {}
    said = stopped_with(tmp_path, **settings)
    assert said.startswith(line), said
    assert "TELEGRAM_CHAT_PROCESSES=" in said  # what to set instead


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_slack_out_of_reach_in_socket_mode_says_so_in_one_line_and_a_stop_ends_it(
        tmp_path: Path, signal_name: str) -> None:
    """Slack out of reach (Socket Mode): the socket client retried every 10 s with an English
    traceback each time, and Ctrl-C (or SIGTERM) was not heard: the start waited for the socket
    forever. Each try is one line in LANGUAGE, and a stop ends the start at once."""
    import signal

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = clean_env(f"sqlite:///{tmp_path / 'helpdesk.db'}", SLACK_BOT_TOKEN="xoxb-1-2",
                    SLACK_APP_TOKEN="xapp-1-2", SLACK_API_URL=f"http://127.0.0.1:{port}/api/")
    run = Running(env, tmp_path, "run")
    unreachable = f"Slack fora de alcance em SLACK_API_URL (http://127.0.0.1:{port}/api/)"
    try:
        wait_for(lambda: unreachable in run.text() or run.proc.poll() is not None,
                 within=60, what="a first try")
        assert run.proc.poll() is None, run.text()
        run.proc.send_signal(getattr(signal, signal_name))
        code = run.proc.wait(15)
    finally:
        run.terminate()
    log = run.text()
    assert code == 0, log
    assert "Traceback" not in log, log
    assert "Retrying" not in log, log
    assert "SLACK_TRIAGE_CHANNEL não está definido" in log, log
    assert "`token` will be unused" not in log, log
    # What went wrong in Portuguese, aiohttp's English only on the detail line under it (it
    # followed the colon: 'ClientConnectorError: Cannot connect to host …').
    lines = log.splitlines()
    tries = [i for i, line in enumerate(lines) if unreachable in line]
    assert tries, log
    assert lines[tries[0]].endswith(
        "para o Socket Mode: a conexão foi recusada (nada atende nesse endereço e porta); "
        "confira a conexão desta máquina com a internet, o SLACK_API_URL e se um proxy ou "
        "firewall bloqueia o acesso; nova tentativa em 10 s"), lines[tries[0]]
    assert lines[tries[0] + 1].startswith("  detalhe: ClientConnectorError: Cannot connect to "
                                          f"host 127.0.0.1:{port}"), log
    assert f"o auth.test do Slack falhou na partida em SLACK_API_URL (http://127.0.0.1:{port}" \
           "/api/): a conexão foi recusada" in log, log
