"""A refused setting said as one sentence in LANGUAGE, wherever the settings are built: our
validators raise catalog keys (settings.*), pydantic's common refusals have one each."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import i18n
from core.i18n import normalize_language, t


class SettingsRefused(ValueError):
    """A setting refused: its variable's `name`, the `reason` in LANGUAGE; str() is the line."""

    def __init__(self, name: str, reason: str, language: str) -> None:
        super().__init__(t("cli.settings_invalid", language, name=name, reason=reason))
        self.name, self.reason, self.language = name, reason, language


class _Language(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
    language: str = ""


def read_language(env_file: Any = ".env") -> str:
    """The LANGUAGE setting read alone, so a bad setting (LANGUAGE's own too) is told in it."""
    return normalize_language(_Language(_env_file=env_file).language.split(":")[0])


def refused(exc: ValidationError, values: dict[str, Any]) -> SettingsRefused:
    """The first refusal of a ValidationError, in the language the values or LANGUAGE name."""
    given = values.get("language")
    language = normalize_language(str(given).split(":")[0]) if given else \
        read_language(values.get("_env_file", ".env"))
    first = exc.errors()[0]
    name = ".".join(str(p) for p in first["loc"]).upper()
    return SettingsRefused(name, settings_reason(first, language), language)


def settings_reason(error: Any, language: str) -> str:
    """Why a setting is refused, in LANGUAGE: our validators raise a catalog key, pydantic's
    common refusals (not a number, out of range...) have one each; others say pydantic's."""
    ctx = error.get("ctx") or {}
    if error["type"] == "value_error":
        said = str(ctx.get("error", ""))
        return t(said, language) if said.startswith("settings.") and i18n.has(said) \
            else said or error["msg"]
    key = f"settings.error.{error['type']}"
    if not i18n.has(key):
        return str(error["msg"])
    # pydantic joins the choices with an English 'or', and says 2 as 2.0.
    shown = {k: f"{v:g}" if isinstance(v, float) else v if isinstance(v, int)
             else str(v).replace("' or '", "', '") for k, v in ctx.items()}
    return t(key, language, **shown)
