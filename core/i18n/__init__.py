"""Message catalogs (pt-BR default, English) and the rendering of outbox notifications."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import yaml

DEFAULT = "pt_BR"
AGENT_TYPED = {"ticket.tramite": "text", "ticket.approval_requested": "solution",
               "ticket.workaround": "solution"}
"""The notices that carry words an agent typed for the customer, and their parameter."""
LANGUAGES = ("pt_BR", "en")
_TZ = "America/Sao_Paulo"
NO_BUTTONS = ".no_buttons"
"""The suffix of a text's variant for a chat without buttons (the terminal numbers its
options): "digite o número da opção" where the text says "toque no botão"."""
_buttonless: ContextVar[bool] = ContextVar("buttonless", default=False)


@contextmanager
def without_buttons(on: bool = True) -> Iterator[None]:
    """Texts rendered inside say their no-buttons variant where they have one."""
    token = _buttonless.set(on)
    try:
        yield
    finally:
        _buttonless.reset(token)


def normalize_language(value: str | None) -> str:
    """Map 'pt', 'pt-BR', 'en_US'... to a catalog we have; the default otherwise."""
    folded = (value or "").strip().lower().replace("-", "_")
    if folded.startswith("en"):
        return "en"
    return DEFAULT


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """Every text of one language, by dotted key."""
    raw = files(__name__).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    # The C loader (when PyYAML has it) parses the catalog ~10x faster on first use.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded = yaml.load(raw, Loader=loader) or {}  # noqa: S506 - a safe loader
    return {str(k): str(v) for k, v in loaded.items()}


class _Params(dict[str, Any]):
    """Format parameters where a missing one shows as {name} instead of failing."""

    def __missing__(self, key: str) -> str:
        return _Missing("{" + key + "}")


class _Missing(str):
    """A missing parameter, shown as {name} whatever format the text gives it."""

    def __format__(self, spec: str) -> str:
        return str(self)


class _Count(int):
    """A number that a text can write with its noun: {days:dia|dias} gives "1 dia", "5 dias";
    {n:_} groups its thousands with a no-break space ("1 000"), {n:,} with commas."""

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return int.__format__(self, spec).replace("_", "\u00a0")
        one, many = spec.split("|", 1)
        return f"{int(self)} {one if self == 1 else many}"


def has(key: str, lang: str | None = None) -> bool:
    """Whether the catalog has this key."""
    return key in catalog(normalize_language(lang))


def _lookup(key: str, lang: str) -> str | None:
    found = catalog(lang).get(key)
    return found if found is not None else catalog(DEFAULT).get(key)


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Render a catalog text; an unknown key falls back to pt-BR, then to the key itself.
    A count (or total) of 1 picks the key's singular form, `key.one`, when it has one; any
    other number takes its noun in the text itself, as in {days:dia|dias}. Inside
    without_buttons() a form's `.no_buttons` variant is taken where there is one. A parameter given
    also as `name_en` (a contract table's label) is that one in English."""
    lang = normalize_language(lang)
    if lang == "en":  # a value given in both languages ("origin", "origin_en"): in English
        params = {k: params.get(f"{k}_en") or v for k, v in params.items()}
    text = None
    for name in ([f"{key}.one"] if params.get("count", params.get("total")) == 1 else []) \
            + [key]:
        text = (catalog(lang).get(name + NO_BUTTONS) if _buttonless.get() else None) \
            or _lookup(name, lang)
        if text is not None:
            break
    text = text or key
    try:
        return text.format_map(_Params(
            {k: _Count(v) if type(v) is int else v for k, v in params.items()}))
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        return text


def local_time(value: datetime | str | None, tz: str = _TZ) -> datetime | None:
    """An aware datetime (or ISO string) in the support timezone."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if value is None or value.tzinfo is None:
        return None
    return value.astimezone(ZoneInfo(tz))


def when(value: datetime | str | None, lang: str | None = None, tz: str = _TZ) -> str:
    """A date and time as people read it, e.g. 24/11/2026 10:00."""
    local = local_time(value, tz)
    return t("fmt.datetime", lang, dt=local) if local else "—"


def label(group: str, value: object, lang: str | None = None) -> str:
    """The display name of an enum value, e.g. label('status', 'novo') -> 'Novo'."""
    raw = getattr(value, "value", value)
    key = f"{group}.{raw}"
    return t(key, lang) if has(key, DEFAULT) else str(raw)


def then_line(via: str | None, lang: str | None = None) -> str:
    """What becomes of the notices of a customer Telegram refuses (core.services.delivery)."""
    key = f"notify.then.{via}"
    return t(key if via and has(key) else "notify.then.unknown", lang)


def _derived(params: dict[str, Any], lang: str, tz: str) -> dict[str, Any]:
    """Add the display forms notification texts quote (labels, local dates, file lists)."""
    out = dict(params)
    for key in ("origin", "charge_origin"):  # the contract table's label in English
        if lang == "en" and params.get(f"{key}_en"):
            out[key] = params[f"{key}_en"]
    out.setdefault("assunto", "")
    out["actor"] = params.get("actor") or t("notify.system", lang)
    if "status" in params:
        out["status_label"] = label("status", params["status"], lang)
    if "priority" in params:
        out["priority_label"] = label("priority", params["priority"], lang)
    if "rating" in params:
        out["rating_label"] = label("rating", params["rating"], lang)
    if "covered" in params:
        out["covered_label"] = t("notify.covered" if params["covered"] else "notify.not_covered",
                                 lang)
    if "due_at" in params:
        out["due_label"] = when(params["due_at"], lang, tz)
    # A priority's notice queued before it named the prazo has none.
    out["due_line"] = t("notify.due_line", lang, due=out["due_label"]) \
        if params.get("due_at") else ""
    # An auto-close's days in the team's thread; rows queued before they were sent have none.
    out["waited_label"] = t("notify.waited_days", lang, days=params["days"]) \
        if isinstance(params.get("days"), int) else t("notify.waited_unknown", lang)
    # Rows queued before the approval request named its date have only the days.
    out["closes_when"] = t("notify.closes_when", lang, date=when(params["closes_at"], lang, tz)) \
        if params.get("closes_at") else ""
    # A reminder queued before it said since when has only the days.
    since = local_time(params.get("since"), tz)
    out["since_label"] = t("notify.since", lang, dt=since) if since else ""
    names = params.get("files") or []
    out["files_line"] = t("notify.files_line", lang, files=", ".join(map(str, names))) if names \
        else ""
    if "text" in params and not params["text"]:  # files alone: no empty line above them
        out["files_line"] = out["files_line"].lstrip("\n")
    quote, previous = params.get("quote"), params.get("previous")
    out["quote_line"] = "" if not quote else \
        t("notify.quote_changed_line" if previous else "notify.quote_line", lang, quote=quote,
          previous=previous)
    # An auto-close that approved the solution, not the charge never authorized (R21, R23).
    uncharged = {"origin": out.get("charge_origin") or ""} if params.get("uncharged") else None
    for side in ("customer", "team"):
        out[f"uncharged_{side}"] = "" if uncharged is None else \
            t(f"notify.uncharged_{side}", lang, **uncharged)
    out["charge_dropped_line"] = t("notify.charge_dropped_line", lang) \
        if params.get("charge_dropped") else ""  # a duplicate's charge, cancelled (R18, R23)
    # What becomes of a blocked customer's notices; lines recorded before it was said have none.
    out["then"] = then_line(params.get("via"), lang)
    # The customer's words given with a rating, on a line of their own (R20).
    out["comment_line"] = t("notify.comment_line", lang, comment=params["comment"]) \
        if params.get("comment") and params.get("rating") else ""
    for key in ("note", "comment", "reason", "package", "text", "solution"):
        out[key] = "" if params.get(key) is None else params[key]
    return out


def render_notification(kind: str, params: dict[str, Any], lang: str | None = None,
                        tz: str = _TZ) -> tuple[str, str]:
    """Subject and text of an outbox message; 'ticket.status' and 'card' pick their event."""
    language = normalize_language(lang or params.get("language"))
    values = _derived(params, language, tz)
    base = f"notify.{kind}"
    if kind in ("ticket.status", "card"):
        name = params.get("event")
        if name == "assigned" and params.get("assignee") and \
                params.get("assignee") == params.get("actor") and has(f"{base}.taken"):
            name = "taken"  # "Ana took the ticket", not "Ana handed the ticket to Ana"
        event = f"{base}.{name}"
        body_key = event if has(event) else f"{base}.other"
    else:
        body_key = f"{base}.text" if has(f"{base}.text") else "notify.other.text"
    subject_key = f"{base}.subject" if has(f"{base}.subject") else "notify.other.subject"
    values["kind"] = kind
    typed = AGENT_TYPED.get(kind)  # an agent's **bold** or [link](…) as a reader expects it
    if typed and values.get(typed) is not None:
        from core.markdown_text import agent_plain  # markdown-it: a notice's, not every text's

        values[typed] = agent_plain(str(values[typed]))
    subject = t(subject_key, language, **values)
    text = t(body_key, language, **values)
    return subject, text.strip()
