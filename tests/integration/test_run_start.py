"""What `helpdesk run` checks at start, in process on a real SQLite file: the e-mail sender,
FILES_DIR, the HTTP port and the chat channels, with the one line it stops with (or warns) in the
desk's language."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.app import serve
from bots.bootstrap import bootstrap
from bots.mailfrom import is_sender
from bots.settings import Settings


def start_once(db_url: str, *, stop_after: float = 0, **values: Any) -> str | None:
    """Start `helpdesk run` with these settings and stop at once (or `stop_after` seconds
    into the start, for one that waits); the line it stopped with."""
    settings = Settings(_env_file=None, **{  # type: ignore[arg-type]
        "database_url": db_url, "http_host": "127.0.0.1", "http_port": 0,
        "sweep_interval_seconds": 3600, **values})
    container = bootstrap(settings)

    async def story() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(stop_after, stop.set)
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
    "a@exemplo.com, b@exemplo.com", "suporte@exemplo..com", "suporte@-exemplo.com",
    "suporte@" + "ç" * 64 + ".com.br"])  # a label no IDNA form holds
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
                    "parte do caminho não é uma pasta; aponte FILES_DIR para uma pasta em que o "
                    "helpdesk possa escrever")


def test_an_http_port_taken_is_said_in_the_desks_language(new_db_url: Callable[[str], str],
                                                          tmp_path: Path) -> None:
    """The HTTP_PORT line was pt-BR whatever LANGUAGE said."""
    url = new_db_url("sqlite")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lines = {lang: start_once(url, language=lang, http_port=port,
                                  files_dir=str(tmp_path / "files")) for lang in ("en", "pt_BR")}
    assert lines["en"] == (f"error: could not open the HTTP server on 127.0.0.1:{port} "
                           "(HTTP_HOST, HTTP_PORT): already in use by another program")
    assert lines["pt_BR"] == (f"erro: não foi possível abrir o servidor HTTP em 127.0.0.1:{port} "
                              "(HTTP_HOST, HTTP_PORT): já em uso por outro programa")


def test_a_channel_configured_by_half_is_said_in_the_desks_language(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """SLACK_BOT_TOKEN without a way to receive, TELEGRAM_WEBHOOK_URL without its secret: the
    lines were pt-BR whatever LANGUAGE said."""
    url, files = new_db_url("sqlite"), str(tmp_path / "files")
    assert start_once(url, language="en", files_dir=files, slack_bot_token="xoxb-1") == (
        "error: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (events over HTTP) or "
        "SLACK_APP_TOKEN (Socket Mode) is missing; set one of them, or remove SLACK_BOT_TOKEN "
        "to leave Slack off")
    assert start_once(url, files_dir=files, slack_bot_token="xoxb-1") == (
        "erro: SLACK_BOT_TOKEN está definido, mas falta SLACK_SIGNING_SECRET (eventos por HTTP) "
        "ou SLACK_APP_TOKEN (Socket Mode); defina um deles, ou apague SLACK_BOT_TOKEN para "
        "deixar o Slack desligado")
    webhook = {"telegram_bot_token": "123:abc",
               "telegram_webhook_url": "https://helpdesk.example.com/telegram"}
    assert start_once(url, language="en", files_dir=files, **webhook) == (
        "error: TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET (1 to 256 characters A-Z, "
        "a-z, 0-9, _ and -): without it anyone could send forged updates to /telegram")
    assert start_once(url, files_dir=files, **webhook) == (
        "erro: TELEGRAM_WEBHOOK_URL precisa de TELEGRAM_WEBHOOK_SECRET (1 a 256 caracteres A-Z, "
        "a-z, 0-9, _ e -): sem ele qualquer um poderia enviar atualizações falsas para /telegram")


def test_no_chat_channel_is_said_in_the_desks_language(new_db_url: Callable[[str], str],
                                                       tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    url, files = new_db_url("sqlite"), str(tmp_path / "files")
    with caplog.at_level(logging.WARNING, logger="bots.app"):
        assert start_once(url, language="en", files_dir=files) is None
    assert caplog.messages == [
        "No chat channel configured. Set TELEGRAM_BOT_TOKEN (customers, Telegram) and/or "
        "SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN (agents, Slack). To talk "
        "to the bot without either, use `helpdesk chat`. Still running: the outbox (e-mail off: "
        "set SMTP_URL and MAIL_FROM) and the periodic jobs."]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bots.app"):
        assert start_once(url, files_dir=files) is None
    assert caplog.messages == [
        "Nenhum canal de chat configurado. Defina TELEGRAM_BOT_TOKEN (clientes, Telegram) e/ou "
        "SLACK_BOT_TOKEN com SLACK_SIGNING_SECRET ou SLACK_APP_TOKEN (atendentes, Slack). Para "
        "conversar com o bot sem nenhum deles, use `helpdesk chat`. Seguem ativos: a caixa de "
        "saída (e-mail desligado: defina SMTP_URL e MAIL_FROM) e as rotinas periódicas."]


def test_an_http_host_that_is_no_name_says_why(new_db_url: Callable[[str], str],
                                               tmp_path: Path) -> None:
    """HTTP_HOST=nohost.invalid said '…(HTTP_HOST, HTTP_PORT): Unknown error -2'."""
    try:
        socket.getaddrinfo("nohost.invalid", 0)
    except socket.gaierror as exc:
        reason = exc.strerror
    else:  # pragma: no cover
        pytest.skip("this resolver answers for .invalid")
    line = start_once(new_db_url("sqlite"), http_host="nohost.invalid",
                      files_dir=str(tmp_path / "files"))
    assert line == ("erro: não foi possível abrir o servidor HTTP em nohost.invalid:0 "
                    f"(HTTP_HOST, HTTP_PORT): {reason}")
    assert "Unknown error" not in line


def smtputf8_lines(db_url: str, mail_from: str, *, smtputf8: bool | None,
                   caplog: pytest.LogCaptureFixture, **values: Any) -> list[str]:
    """Start `helpdesk run` with e-mail through a loopback SMTP server (None: one that is not
    listening) and stop at once; the warnings it logged about SMTPUTF8."""
    from fakes.smtp_server import FakeSMTP

    smtp = FakeSMTP(smtputf8=bool(smtputf8))

    async def story() -> None:
        await smtp.start()
        if smtputf8 is None:
            await smtp.stop()
        settings = Settings(_env_file=None, **{  # type: ignore[arg-type]
            "database_url": db_url, "http_host": "127.0.0.1", "http_port": 0,
            "sweep_interval_seconds": 3600, "smtp_url": smtp.url, "mail_from": mail_from,
            **values})
        container = bootstrap(settings)
        stop = asyncio.Event()
        stop.set()
        try:
            await serve(container, stop=stop)
        finally:
            container.close()
            await smtp.stop()

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bots.app"):
        asyncio.run(story())
    return [m for m in caplog.messages if "SMTPUTF8" in m]


def test_a_mail_from_beyond_ascii_before_the_at_is_warned_at_start_when_the_server_lacks_smtputf8(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """MAIL_FROM=sú@empresa.com.br started without a word; every e-mail then failed (4282121)
    on a server without SMTPUTF8. The start asks the server's EHLO once and says so."""
    url, files = new_db_url("sqlite"), str(tmp_path / "files")
    sender = "Suporte <sú@empresa.com.br>"
    [english] = smtputf8_lines(url, sender, smtputf8=False, caplog=caplog, language="en",
                               files_dir=files)
    assert english.startswith(
        "MAIL_FROM (Suporte <sú@empresa.com.br>) has letters beyond ASCII before the @ and the "
        "SMTP server at SMTP_URL (127.0.0.1:"), english
    assert english.endswith(
        ") does not offer SMTPUTF8: no e-mail will go out; set MAIL_FROM to an address with "
        "unaccented letters before the @ (e.g. support@example.com) or use a server with "
        "SMTPUTF8"), english
    [portuguese] = smtputf8_lines(url, sender, smtputf8=False, caplog=caplog, files_dir=files)
    assert portuguese.startswith(
        "MAIL_FROM (Suporte <sú@empresa.com.br>) tem letras fora do ASCII antes do @ e o "
        "servidor SMTP de SMTP_URL (127.0.0.1:"), portuguese
    assert portuguese.endswith(
        ") não oferece SMTPUTF8: nenhum e-mail vai sair; use em MAIL_FROM um endereço com letras "
        "sem acento antes do @ (ex.: suporte@empresa.com.br) ou um servidor com SMTPUTF8"), \
        portuguese
    assert "\n" not in english + portuguese


def test_no_smtputf8_warning_when_the_server_offers_it_or_mail_from_is_ascii(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    url, files = new_db_url("sqlite"), str(tmp_path / "files")
    assert smtputf8_lines(url, "sú@empresa.com.br", smtputf8=True, caplog=caplog,
                          files_dir=files) == []
    assert smtputf8_lines(url, "suporte@empresá.com.br", smtputf8=False, caplog=caplog,
                          files_dir=files) == []  # an accented domain goes in IDNA form


def test_a_server_out_of_reach_at_start_still_gets_the_smtputf8_requirement_said(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """The start goes on (e-mails wait in the outbox as ever), naming the requirement."""
    url, files = new_db_url("sqlite"), str(tmp_path / "files")
    [english] = smtputf8_lines(url, "sú@empresa.com.br", smtputf8=None, caplog=caplog,
                               language="en", files_dir=files)
    assert english.startswith(
        "MAIL_FROM (sú@empresa.com.br) has letters beyond ASCII before the @: e-mail goes out "
        "only through an SMTP server offering SMTPUTF8, and the one at SMTP_URL (127.0.0.1:"), \
        english
    assert ") could not be asked at start (" in english
    [portuguese] = smtputf8_lines(url, "sú@empresa.com.br", smtputf8=None, caplog=caplog,
                                  files_dir=files)
    assert portuguese.startswith(
        "MAIL_FROM (sú@empresa.com.br) tem letras fora do ASCII antes do @: o e-mail só sai por "
        "um servidor SMTP que ofereça SMTPUTF8, e o de SMTP_URL (127.0.0.1:"), portuguese
    assert ") não pôde ser consultado na partida (" in portuguese


@pytest.mark.parametrize(("language", "said"), [
    ("pt_BR", ["caixa de saída {w} iniciada (canais: email)", "servidor HTTP em http://{a}",
               "e-mail por 127.0.0.1:2525 com o remetente suporte@exemplo.com.br",
               "rotinas periódicas iniciadas: varreduras a cada 3600 s",
               "helpdesk em execução; pare com Ctrl-C ou SIGTERM", "parando",
               "caixa de saída {w} parada"]),
    ("en", ["outbox dispatcher {w} started (channels: email)", "HTTP server on http://{a}",
            "e-mail via 127.0.0.1:2525 as suporte@exemplo.com.br",
            "scheduler started: sweeps every 3600 s",
            "helpdesk running; stop with Ctrl-C or SIGTERM", "stopping",
            "outbox dispatcher {w} stopped"])])
def test_the_start_and_stop_lines_follow_the_language(
        new_db_url: Callable[[str], str], tmp_path: Path, caplog: pytest.LogCaptureFixture,
        language: str, said: list[str]) -> None:
    """The lines of a start and a stop were English on a pt-BR desk (the default), between
    Portuguese warnings."""
    with caplog.at_level(logging.INFO):
        assert start_once(new_db_url("sqlite"), language=language,
                          files_dir=str(tmp_path / "files"), smtp_url="smtp://127.0.0.1:2525",
                          mail_from="suporte@exemplo.com.br") is None
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO
             and r.name in ("bots.app", "bots.delivery.dispatcher", "bots.scheduler")]
    shapes = [re.sub(r"\S+:\d+:[0-9a-f]{8}", "{w}", re.sub(r"http://\S+ \(GET /healthz\)",
                                                            "http://{a}", line))
              for line in lines]
    assert shapes == said


def test_r23_services_email_with_no_instance_sending_e_mail_stops_the_start(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """SERVICES_EMAIL without SMTP_URL started, and every charge a customer authorized was an
    e-mail to the services area no instance would send (R23): with no instance sending e-mail
    in the last 24 h the start stops, saying so in LANGUAGE; when another instance sends it
    (instances may split the work) it starts, warning which one will."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import create_engine

    from storage.outbox_sql import OutboxQueue

    url, files = new_db_url("sqlite"), str(tmp_path / "files")
    area = "servicos@totall.com.br"
    # It waits for an instance starting with it (OUTBOX_LEASE_SECONDS at its least, 2 s).
    line = start_once(url, files_dir=files, services_email=area, outbox_lease_seconds=2,
                      stop_after=60)
    assert line is not None
    assert line.startswith(f"erro: SERVICES_EMAIL ({area}) está definido, mas esta instância "
                           "não envia e-mail (falta SMTP_URL)")
    assert "nenhuma outra enviou nas últimas 24 h" in line
    line = start_once(url, files_dir=files, services_email=area, language="en",
                      outbox_lease_seconds=2, stop_after=60)
    assert line is not None
    assert line.startswith(f"error: SERVICES_EMAIL ({area}) is set, but this instance sends no "
                           "e-mail (SMTP_URL is missing)")

    engine = create_engine(url)
    try:  # another instance, sending e-mail, beat two hours ago
        OutboxQueue(engine).beat("vm2:20:mail", ["email"], datetime.now(UTC) - timedelta(hours=2),
                                 timedelta(seconds=60), "-")
    finally:
        engine.dispose()
    with caplog.at_level(logging.WARNING, logger="bots.app"):
        assert start_once(url, files_dir=files, services_email=area) is None
    [said] = [m for m in caplog.messages if "SERVICES_EMAIL" in m]
    assert said.startswith(f"SERVICES_EMAIL ({area}) está definido, mas esta instância não envia")
    assert "vm2:20:mail" in said
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bots.app"):  # no SERVICES_EMAIL: nothing said
        assert start_once(url, files_dir=files) is None
    assert not [m for m in caplog.messages if "SERVICES_EMAIL" in m]
