"""Settings: environment variables, .env files, secrets and the policy handed to core."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.settings import Settings, SettingsRefused
from core.models import Priority
from core.services import handling, sweeps


@pytest.fixture(autouse=True)
def _clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def test_r13_policy_carries_the_configured_prazos(monkeypatch: pytest.MonkeyPatch) -> None:
    """PRAZO_* and the other contract numbers reach core through Settings.policy()."""
    monkeypatch.setenv("PRAZO_PADRAO_DAYS", "3")
    monkeypatch.setenv("PRAZO_CRITICO_DAYS", "0.5")
    monkeypatch.setenv("AUTOCLOSE_DAYS", "10")
    monkeypatch.setenv("CURRENT_VERSION", "2027.01")
    monkeypatch.setenv("INVITE_MAX_FAILURES", "3")
    monkeypatch.setenv("INVITE_FAILURE_MINUTES", "60")
    policy = Settings().policy()
    assert policy.prazo_days == {Priority.STANDARD: 3.0, Priority.CRITICAL: 0.5}
    assert policy.autoclose_days == 10
    assert policy.current_version == "2027.01"
    assert (policy.invite_max_failures, policy.invite_failure_minutes) == (3, 60)


def test_dotenv_file_is_read_and_environment_wins(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A .env in the working directory configures; a real variable overrides it."""
    (tmp_path / ".env").write_text("HTTP_PORT=9000\nLANGUAGE=en\nSLACK_BOT_TOKEN=xoxb-1\n")
    monkeypatch.setenv("HTTP_PORT", "9100")
    settings = Settings()
    assert settings.http_port == 9100
    assert settings.language == "en"
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1"


def test_blank_values_copied_from_env_example_mean_unset(tmp_path: Path) -> None:
    """`TELEGRAM_BOT_TOKEN=` leaves Telegram off instead of an empty token."""
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=\nSMTP_URL=\nMAIL_FROM=  \n")
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.smtp() is None
    assert settings.mail_from is None


def test_secrets_never_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens, passwords and the database URL stay out of logs."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:SECRET")
    monkeypatch.setenv("SMTP_URL", "smtp://u:PASSWORD@mail:587")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:DBPASS@h/db")
    text = repr(Settings())
    assert "SECRET" not in text
    assert "PASSWORD" not in text
    assert "DBPASS" not in text
    assert "PASSWORD" not in repr(Settings().smtp())


@pytest.mark.parametrize(
    ("url", "host", "port", "user", "tls", "starttls"),
    [
        ("smtp://mail.local", "mail.local", 25, None, False, False),
        ("smtp://a%40b.com:pw@mail.local:2525?starttls=1", "mail.local", 2525, "a@b.com", False,
         True),
        ("smtps://u:p@mail.local", "mail.local", 465, "u", True, False),
    ],
)
def test_smtp_url_is_parsed(monkeypatch: pytest.MonkeyPatch, url: str, host: str, port: int,
                            user: str | None, tls: bool, starttls: bool) -> None:
    """SMTP_URL gives host, port, credentials and the TLS mode."""
    monkeypatch.setenv("SMTP_URL", url)
    smtp = Settings().smtp()
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.username, smtp.use_tls, smtp.start_tls) == (
        host, port, user, tls, starttls)


@pytest.mark.parametrize(("name", "value"), [("SMTP_URL", "http://mail"), ("LANGUAGE", "fr"),
                                             ("DB_WORKERS", "0"), ("LOG_LEVEL", "LOUD"),
                                             ("INVITE_MAX_FAILURES", "0"),
                                             ("INVITE_FAILURE_MINUTES", "0")])
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """A wrong setting fails at start-up, not later."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsRefused, match=f"^configuração inválida: {name}: "):
        Settings()


@pytest.mark.parametrize("url", ["mysql://u:SEGREDO@db/helpdesk", "helpdesk.db",
                                 "postgresql//u:SEGREDO@db/helpdesk"])
def test_a_database_url_of_no_known_kind_is_one_line_naming_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str) -> None:
    """A DATABASE_URL neither SQLite nor PostgreSQL stops any command with the variable's name
    and both forms, never the password; it was a traceback from SQLAlchemy."""
    import typer

    from bots.clikit import load_settings

    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(typer.Exit) as stopped:
        load_settings()
    assert stopped.value.exit_code == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("erro: configuração inválida: DATABASE_URL")
    assert "sqlite:///" in error
    assert "postgresql://" in error
    assert "SEGREDO" not in error


@pytest.mark.parametrize("url", ["sqlite:///helpdesk.db", "sqlite://", "postgres://u@h/db",
                                 "postgresql://u:p@h:5432/db", "postgresql+psycopg://u@h/db",
                                 "postgresql+psycopg2://u@h/db"])
def test_the_database_urls_the_readme_names_are_taken(monkeypatch: pytest.MonkeyPatch,
                                                      url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert Settings().database_url == url


def test_a_blank_value_of_a_setting_with_a_default_means_the_default(tmp_path: Path) -> None:
    """`HTTP_PORT=` or `DATABASE_URL=` (a value cleared in .env) is unset as the README and
    .env.example say, so the default holds; it was refused as 'Input should be a valid …'."""
    (tmp_path / ".env").write_text(
        "DATABASE_URL=\nLANGUAGE=\nHTTP_PORT=\nOUTBOX_POLL_SECONDS= \nTELEGRAM_API_URL=\n")
    settings = Settings()
    assert settings.database_url == "sqlite:///helpdesk.db"
    assert settings.language == "pt_BR"
    assert settings.http_port == 8080
    assert settings.outbox_poll_seconds == 0.5
    assert settings.telegram_api_url == "https://api.telegram.org"


@pytest.mark.parametrize(("name", "value"), [
    ("TELEGRAM_WEBHOOK_SECRET", "$(openssl rand -hex 32)"),  # copied into .env, not expanded
    ("TELEGRAM_WEBHOOK_SECRET", "com espaço"),
    ("TELEGRAM_WEBHOOK_SECRET", "x" * 257),
    ("TELEGRAM_WEBHOOK_URL", "http://helpdesk.example.com/telegram"),
    ("TELEGRAM_WEBHOOK_URL", "https://helpdesk.example.com:8080/telegram"),
])
def test_a_webhook_telegram_would_refuse_is_refused_at_start(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str,
        value: str) -> None:
    """Telegram takes an https URL on 443, 80, 88 or 8443 and a secret of 1-256 A-Z a-z 0-9 _ -;
    anything else was a BadRequest traceback from setWebhook once `helpdesk run` started."""
    import typer

    from bots.clikit import load_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(typer.Exit):
        load_settings()
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"erro: configuração inválida: {name}")
    assert "com espaço" not in error


def test_a_webhook_telegram_takes_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://helpdesk.example.com:8443/telegram")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "9f86d081884c7d65_9a2feaa0-c55ad015" * 7)
    settings = Settings()
    assert settings.telegram_webhook_url == "https://helpdesk.example.com:8443/telegram"


def test_a_local_bot_api_server_may_take_any_webhook_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """telegram-bot-api --local accepts http and any port: only the cloud's rules are checked."""
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:8080/telegram")
    assert Settings().telegram_webhook_url == "http://127.0.0.1:8080/telegram"


@pytest.mark.parametrize(("value", "language"), [("pt-BR", "pt_BR"), ("pt_br", "pt_BR"),
                                                 ("PT", "pt_BR"), ("en-US", "en"), ("EN", "en"),
                                                 ("pt_BR:pt:en", "pt_BR"), ("en_US:en", "en")])
def test_the_language_is_read_as_people_write_it(monkeypatch: pytest.MonkeyPatch, value: str,
                                                 language: str) -> None:
    """LANGUAGE=pt-BR (the tag as browsers and most tools write it) is Portuguese; it was
    refused with 'Input should be pt_BR or en'. GNU's LANGUAGE list, which a desktop session
    sets, reads by its first language."""
    monkeypatch.setenv("LANGUAGE", value)
    assert Settings().language == language


@pytest.mark.parametrize(("line", "asked"), [
    ("TELEGRAM_STEP_PROCESSES=0\n", False),  # as .env.example had it: no step processes
    ("TELEGRAM_STEP_PROCESSES=\n", False),
    ("", False),
    ("TELEGRAM_STEP_PROCESSES=2\n", True),
])
def test_only_a_telegram_step_processes_that_asks_for_some_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, asked: bool) -> None:
    """The retired setting stops `helpdesk run` (tests/e2e/test_run_half_configured.py) only
    when it asks for step processes; an .env copied from the old .env.example starts as before."""
    from bots.settings import step_processes_asked

    monkeypatch.delenv("TELEGRAM_STEP_PROCESSES", raising=False)
    (tmp_path / ".env").write_text(line)
    assert step_processes_asked() is asked
    assert Settings().telegram_chat_processes == 0


def test_r13_the_due_soon_window_is_a_setting(monkeypatch: pytest.MonkeyPatch, world) -> None:
    """DUE_WARNING_BUSINESS_MINUTES reaches the prazo sweep: at 240, a Padrão ticket taken on
    Monday 30/11 10:00 (due Saturday 10:00) is due soon on Friday after 14:00, not on Thursday
    as with the 600 it was fixed at; zero is refused, naming the variable."""
    monkeypatch.setenv("DUE_WARNING_BUSINESS_MINUTES", "240")
    world.policy = Settings().policy()
    assert world.policy.due_warning_business_minutes == 240
    world.now = datetime(2026, 11, 30, 13, tzinfo=UTC)
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    for local, expected in (((3, 16, 31), 0), ((4, 13, 30), 0), ((4, 14, 1), 1)):
        day, hour, minute = local
        world.now = datetime(2026, 12, day, hour + 3, minute, tzinfo=UTC)
        assert world.run(sweeps.run_all).due_soon == expected, local
    monkeypatch.setenv("DUE_WARNING_BUSINESS_MINUTES", "0")
    with pytest.raises(SettingsRefused, match="DUE_WARNING_BUSINESS_MINUTES: deve ser no mínimo 1"):
        Settings()


def test_r8_telegram_bot_username_is_kept_without_its_at(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """TELEGRAM_BOT_USERNAME as @BotFather shows it (@suporte_mercado_bot) or bare."""
    assert Settings().telegram_bot_username is None
    for value in ("@suporte_mercado_bot", "suporte_mercado_bot"):
        monkeypatch.setenv("TELEGRAM_BOT_USERNAME", value)
        assert Settings().telegram_bot_username == "suporte_mercado_bot"


def test_r23_services_email_reaches_core_and_must_be_an_address(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SERVICES_EMAIL (§12's services area) reaches core through Settings.policy(); unset, no
    address; one that is no e-mail address is refused at start, not when a charge goes."""
    assert Settings().policy().services_email == ""
    monkeypatch.setenv("SERVICES_EMAIL", "servicos@totall.com.br")
    assert Settings().policy().services_email == "servicos@totall.com.br"
    monkeypatch.setenv("SERVICES_EMAIL", "area de servicos")
    with pytest.raises(SettingsRefused, match="SERVICES_EMAIL: um endereço de e-mail"):
        Settings()


@pytest.mark.parametrize(("name", "value", "pt_br", "en"), [
    ("DATABASE_URL", "mysql://db/helpdesk",
     "use sqlite:///arquivo.db ou postgresql://usuario:senha@host:5432/banco",
     "use sqlite:///file.db or postgresql://user:password@host:5432/database"),
    ("HTTP_PORT", "oitenta", "deve ser um número inteiro", "must be a whole number"),
    ("OUTBOX_LEASE_SECONDS", "1", "deve ser no mínimo 2", "must be at least 2"),
    ("LOG_LEVEL", "ALTO", "deve ser um destes: 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'",
     "must be one of: 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'"),
    ("SMTP_URL", "http://mail", "SMTP_URL deve ter a forma smtp://usuario:senha@host:587?"
     "starttls=1 ou smtps://…", "SMTP_URL must look like smtp://user:pass@host:587?"
     "starttls=1 or smtps://…"),
    ("SERVICES_EMAIL", "area de servicos", "um endereço de e-mail, p.ex. "
     "servicos@empresa.com.br", "an e-mail address, e.g. services@company.com"),
    ("TELEGRAM_BOT_USERNAME", "t.me/suporte", "o @usuário do bot, como o @BotFather o mostra: 5 "
     "a 32 letras, números e _, p.ex. @suporte_mercado_bot", "the bot's @username as "
     "@BotFather shows it: 5 to 32 letters, digits and _, e.g. @acme_support_bot"),
])
def test_a_refused_setting_says_why_in_the_language(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str,
        value: str, pt_br: str, en: str) -> None:
    """The reason was pydantic's English ('Value error, use sqlite:///arquivo.db…', 'Input
    should be a valid integer, unable to parse string as an integer') in a pt-BR line, and
    our own Portuguese or English whatever LANGUAGE said."""
    import typer

    from bots.clikit import load_settings

    monkeypatch.setenv(name, value)
    for language, reason in (("pt_BR", pt_br), ("en", en)):
        monkeypatch.setenv("LANGUAGE", language)
        with pytest.raises(typer.Exit):
            load_settings()
        said = "configuração inválida" if language == "pt_BR" else "invalid setting"
        assert capsys.readouterr().err.strip().endswith(f"{said}: {name}: {reason}")


@pytest.mark.parametrize(("values", "env", "line"), [
    ({}, {"TELEGRAM_BOT_USERNAME": "t.me/suporte"},
     "configuração inválida: TELEGRAM_BOT_USERNAME: o @usuário do bot, como o @BotFather o "
     "mostra: 5 a 32 letras, números e _, p.ex. @suporte_mercado_bot"),
    ({}, {"OUTBOX_WORKERS": "0", "LANGUAGE": "en"},
     "invalid setting: OUTBOX_WORKERS: must be at least 1"),
    ({"language": "en", "http_port": "oitenta"}, {},
     "invalid setting: HTTP_PORT: must be a whole number"),
])
def test_settings_built_outside_load_settings_refuse_a_value_in_a_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: dict[str, str],
        env: dict[str, str], line: str) -> None:
    """bootstrap() with no settings, and the bench's Settings(...), said pydantic's refusal:
    'Value error, settings.bot_username_refused', 'Input should be greater than or equal to
    1'. Now a sentence in LANGUAGE (the values' own, else the environment's)."""
    from bots.bootstrap import bootstrap

    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    build = (lambda: Settings(_env_file=None, **values)) if values else bootstrap  # type: ignore[call-arg]
    with pytest.raises(SettingsRefused) as refused:
        build()
    assert str(refused.value) == line
