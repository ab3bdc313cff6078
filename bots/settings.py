"""Every setting of the product, read once from the environment and an optional .env file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, SettingsConfigDict

from bots.email_token import ReplyAddress
from bots.settings_refused import SettingsRefused as SettingsRefused  # what Settings() raises
from bots.settings_refused import refused
from core.models import Priority
from core.policy import Policy

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
DATABASE_KINDS = re.compile(r"(sqlite|postgres|postgresql)(\+\w+)?://")
TELEGRAM_CLOUD = "https://api.telegram.org"
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")
"""One bare e-mail address (SERVICES_EMAIL, MAIL_REPLY_TO)."""
REPLY_SECRET_MIN = 16
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_PORTS = (None, 443, 80, 88, 8443)
"""What Telegram's setWebhook accepts (the secret's characters, the URL's ports)."""
BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
"""A bot's @username, without its @ (5 to 32 letters, digits and _)."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send e-mail, parsed from SMTP_URL."""

    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)
    use_tls: bool = False
    start_tls: bool = False


class Settings(BaseSettings):
    """The product's configuration; field order is the order of .env.example."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", validate_default=True
    )

    # Core
    database_url: str = Field("sqlite:///helpdesk.db", repr=False)
    language: Literal["pt_BR", "en"] = "pt_BR"
    files_dir: str = "files"
    current_version: str = "2026.11"
    prazo_padrao_days: float = Field(5, gt=0)
    prazo_critico_days: float = Field(1, gt=0)
    autoclose_days: int = Field(15, ge=1)
    first_response_business_minutes: int = Field(120, ge=1)
    first_response_critical_business_minutes: int = Field(30, ge=1)
    due_warning_business_minutes: int = Field(600, ge=1, le=10080)
    invite_ttl_hours: int = Field(72, ge=1)
    invite_max_failures: int = Field(5, ge=1, le=1000)
    invite_failure_minutes: int = Field(10, ge=1, le=10080)
    coordination_contact: str | None = Field(None, max_length=200)
    services_email: str | None = Field(None, max_length=254)
    support_phone: str | None = Field(None, max_length=60)
    services_email_wait_seconds: float = Field(10, ge=0, le=3600)
    log_level: LogLevel = "INFO"
    chat_log_file: str = Field("helpdesk-chat.log", min_length=1)
    # Process
    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=0, le=65535)
    db_workers: int | None = Field(None, ge=1, le=256)  # None: 2 on SQLite, 4 on PostgreSQL
    reference_cache_seconds: float = Field(5, ge=0, le=3600)
    outbox_workers: int = Field(4, ge=1, le=256)
    outbox_poll_seconds: float = Field(0.5, gt=0, le=60)
    outbox_lease_seconds: float = Field(60, ge=2, le=3600)
    outbox_retry_base_seconds: float = Field(2, gt=0, le=3600)
    outbox_retry_max_seconds: float = Field(900, gt=0, le=86400)
    outbox_give_up_hours: float = Field(72, gt=0)
    outbox_keep_days: float = Field(7, gt=0)
    sweep_interval_seconds: float = Field(60, ge=1, le=86400)
    # E-mail
    smtp_url: SecretStr | None = None
    mail_from: str | None = None
    mail_reply_to: str | None = Field(None, max_length=200)
    mail_reply_secret: SecretStr | None = None
    mail_inbound_listen: str | None = None
    mail_inbound_tls_cert: str | None = None
    mail_inbound_tls_key: str | None = None
    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_bot_username: str | None = None
    telegram_api_url: str = TELEGRAM_CLOUD
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_chat_processes: int = Field(0, ge=0, le=64)
    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_app_token: SecretStr | None = None
    slack_triage_channel: str | None = None
    slack_dev_channel: str | None = None

    def __init__(self, **values: Any) -> None:
        """Read the settings; a refused value raises SettingsRefused, one sentence in LANGUAGE
        (pydantic's own error said catalog keys or English wherever it was shown)."""
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise refused(exc, values) from None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """Treat `NAME=` (as copied from .env.example) like an unset variable: its default."""
        if isinstance(value, str) and not value.strip():
            raise PydanticUseDefault
        return value.strip() if isinstance(value, str) else value

    @field_validator("language", mode="before")
    @classmethod
    def _language_tag(cls, value: Any) -> Any:
        """pt-BR, pt_br, en-US, and GNU's LANGUAGE list ("pt_BR:pt:en", often set by the
        desktop) name the same two languages; anything else is refused as before."""
        if not isinstance(value, str):
            return value
        tag = value.split(":")[0].replace("-", "_").lower()
        if tag in ("pt", "pt_br"):
            return "pt_BR"
        return "en" if tag == "en" or tag.startswith("en_") else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _check_database(cls, value: str) -> str:
        if not DATABASE_KINDS.match(value):  # the URL itself may carry a password: not shown
            raise ValueError("settings.database_url_kind")
        return value

    @field_validator("services_email")
    @classmethod
    def _check_services_email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.fullmatch(value):
            raise ValueError("settings.services_email_address")
        return value

    @field_validator("telegram_chat_processes")
    @classmethod
    def _chats_share_the_database(cls, value: int, info: ValidationInfo) -> int:
        url = str(info.data.get("database_url") or "")
        if value and url.startswith("sqlite") and (
                url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:") or ":memory:" in url):
            raise ValueError("settings.chat_processes_shared_database")
        return value

    @field_validator("telegram_bot_username")
    @classmethod
    def _check_bot_username(cls, value: str | None) -> str | None:
        bare = value.removeprefix("@") if value is not None else None
        if bare is not None and not BOT_USERNAME.fullmatch(bare):
            raise ValueError("settings.bot_username_refused")
        return bare

    @field_validator("telegram_webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A local Bot API server in --local mode takes any URL: only the cloud's rules are known.
        cloud = str(info.data.get("telegram_api_url")).rstrip("/") == TELEGRAM_CLOUD
        if value is not None and cloud:
            parts = urlsplit(value)
            if parts.scheme != "https" or not parts.hostname or parts.port not in WEBHOOK_PORTS:
                raise ValueError("settings.webhook_url_refused")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("settings.webhook_secret_refused")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _parse_smtp(value.get_secret_value())
        return value

    @field_validator("mail_reply_to")
    @classmethod
    def _check_reply_to(cls, value: str | None) -> str | None:
        if value is not None and (not EMAIL.fullmatch(value) or "+" in value):
            raise ValueError("settings.mail_reply_to_address")
        return value

    @field_validator("mail_reply_secret")
    @classmethod
    def _check_reply_secret(cls, value: SecretStr | None, info: ValidationInfo
                            ) -> SecretStr | None:
        if info.data.get("mail_reply_to") and (
                value is None or len(value.get_secret_value()) < REPLY_SECRET_MIN):
            raise ValueError("settings.mail_reply_secret_needed")
        return value

    @field_validator("mail_inbound_listen")
    @classmethod
    def _check_inbound_listen(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        host, colon, port = value.rpartition(":")
        if not colon or not host or not port.isdigit() or int(port) > 65535:
            raise ValueError("settings.mail_inbound_listen_form")
        if not info.data.get("mail_reply_to"):
            raise ValueError("settings.mail_inbound_needs_reply_to")
        return value

    @field_validator("mail_inbound_tls_key")
    @classmethod
    def _check_inbound_tls(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value and not info.data.get("mail_inbound_tls_cert"):
            return value
        if not value or not info.data.get("mail_inbound_tls_cert"):
            raise ValueError("settings.mail_inbound_tls_pair")
        if not info.data.get("mail_inbound_listen"):
            raise ValueError("settings.mail_inbound_tls_needs_listen")
        return value

    def policy(self) -> Policy:
        """The contract's numbers for core, from these settings."""
        return Policy(
            prazo_days={
                Priority.STANDARD: self.prazo_padrao_days,
                Priority.CRITICAL: self.prazo_critico_days,
            },
            autoclose_days=self.autoclose_days,
            first_response_business_minutes=self.first_response_business_minutes,
            first_response_critical_business_minutes=(
                self.first_response_critical_business_minutes),
            due_warning_business_minutes=self.due_warning_business_minutes,
            current_version=self.current_version,
            invite_ttl_hours=self.invite_ttl_hours,
            invite_max_failures=self.invite_max_failures,
            invite_failure_minutes=self.invite_failure_minutes,
            coordination_contact=self.coordination_contact or "",
            services_email=self.services_email or "",
            support_phone=self.support_phone or "",
            language=self.language,
        )

    def smtp(self) -> SmtpConfig | None:
        """The parsed SMTP_URL, or None when e-mail is off."""
        return _parse_smtp(self.smtp_url.get_secret_value()) if self.smtp_url else None

    def reply_address(self) -> ReplyAddress | None:
        """MAIL_REPLY_TO and its secret, or None when replies by e-mail are off."""
        if not self.mail_reply_to or self.mail_reply_secret is None:
            return None
        return ReplyAddress(self.mail_reply_to, self.mail_reply_secret.get_secret_value().encode())

    def inbound_listen(self) -> tuple[str, int] | None:
        """MAIL_INBOUND_LISTEN as (host, port), or None when no receiver listens here."""
        if not self.mail_inbound_listen:
            return None
        host, _, port = self.mail_inbound_listen.rpartition(":")
        return host.strip("[]"), int(port)

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is a SQLite file (or memory)."""
        return self.database_url.startswith("sqlite")


class _Retired(BaseSettings):
    """TELEGRAM_STEP_PROCESSES, replaced by TELEGRAM_CHAT_PROCESSES: read (environment and .env)
    only so that `helpdesk run` refuses it rather than ignore it."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
    telegram_step_processes: str = ""


def step_processes_asked() -> bool:
    """Whether TELEGRAM_STEP_PROCESSES still asks for step processes (0 or blank, as
    .env.example had it, asks for none)."""
    return _Retired().telegram_step_processes.strip() not in ("", "0")


def setting_names() -> set[str]:
    """Every variable the settings read, lower case (the retired one too)."""
    return {*Settings.model_fields, *_Retired.model_fields}


def secret(value: SecretStr | None) -> str | None:
    """The plain text of an optional secret."""
    return value.get_secret_value() if value is not None else None


def _parse_smtp(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("settings.smtp_url_form")
    query = parse_qs(parts.query)
    use_tls = parts.scheme == "smtps"
    start_tls = not use_tls and query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes")
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 587 if start_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=start_tls,
    )
