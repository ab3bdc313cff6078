"""typer's own words in LANGUAGE: its click (vendored, no gettext) writes a mistake on the command
line and the help's headings in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from typer._click import exceptions as click_errors

from core import i18n
from core.i18n import t

GENERIC = (
    (re.compile(r"No such command '(?P<name>.*)'\."), "cli.usage.no_such_command"),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)"), "cli.usage.extra_args"),
    (re.compile(r"Option '(?P<option>.*)' requires an argument\."), "cli.usage.needs_value"),
    (re.compile(r"Missing command\."), "cli.usage.missing_command"),
)
"""The mistakes click raises as a plain UsageError, by their English text."""
SIMILAR = re.compile(r" Did you mean (?P<names>.*)\?$")
"""typer's suggestion added to a mistake ("Did you mean 'company'?")."""

REASONS = (
    (re.compile(r"Input should be a valid integer.*"), "settings.error.int_parsing"),
    (re.compile(r"Input should be a valid number.*"), "settings.error.float_parsing"),
    (re.compile(r"(?P<value>'.*') is not one of (?P<choices>.*)\."), "cli.usage.not_one_of"),
    (re.compile(r"Input should be greater than or equal to (?P<ge>\S+)"),
     "settings.error.greater_than_equal"),
    (re.compile(r"Input should be less than or equal to (?P<le>\S+)"),
     "settings.error.less_than_equal"),
)
"""A value's refusal (pydantic's or click's words, through typer), by its English text."""

HELP_WORDS = {"Usage:": "cli.usage.usage", "[OPTIONS]": "cli.usage.options_metavar",
              "COMMAND [ARGS]...": "cli.usage.command_metavar", "Options:": "cli.usage.options",
              "Commands:": "cli.usage.commands", "Arguments:": "cli.usage.arguments",
              "Show this message and exit.": "cli.usage.help_option",
              "[required]": "cli.usage.required", "[default: ": "cli.usage.default"}
"""The help's own words, each replaced wherever it appears in a help text."""


def mistake_line(exc: click_errors.UsageError, language: str) -> str:
    """A mistake on the command line as one `erro:` line naming where the help is."""
    where = exc.ctx.command_path if exc.ctx is not None else "helpdesk"
    return t("cli.error", language, message=t("cli.usage.mistake", language,
                                              mistake=_mistake(exc, language), command=where))


def _mistake(exc: click_errors.UsageError, language: str) -> str:
    if isinstance(exc, click_errors.NoSuchOption):
        said = t("cli.usage.no_such_option", language, option=exc.option_name)
        if exc.possibilities:
            said += " " + t("cli.usage.did_you_mean", language,
                            options=", ".join(sorted(exc.possibilities)))
        return said
    if isinstance(exc, click_errors.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
        key = f"cli.usage.missing_{kind}"
        return t(key if i18n.has(key) else "cli.usage.missing_parameter", language,
                 name=_hint(exc))
    if isinstance(exc, click_errors.BadParameter):
        said = exc.message.removeprefix("Value error, ")  # pydantic's, before a validator's
        reason = next((t(key, language, **found.groupdict()) for pattern, key in REASONS
                       if (found := pattern.fullmatch(said))), said)
        return t("cli.usage.bad_value", language, name=_hint(exc), reason=reason)
    similar = SIMILAR.search(exc.message)  # typer's suggestion for a mistyped command
    message = exc.message[:similar.start()] if similar else exc.message
    for pattern, key in GENERIC:
        found = pattern.fullmatch(message)
        if found:
            said = t(key, language, **found.groupdict())
            if similar:
                said += " " + t("cli.usage.did_you_mean", language,
                                options=similar.group("names").replace("'", ""))
            return said
    return exc.message


def _hint(exc: click_errors.BadParameter) -> str:
    """The parameter as click names it ('ID', '--now')."""
    if exc.param_hint is not None:
        return click_errors._join_param_hints(exc.param_hint) or ""
    return exc.param.get_error_hint() if exc.param is not None else ""


def help_in(language: str, get_help: Callable[[Any], str]) -> Callable[[Any], str]:
    """A command's get_help whose text has the help's own words in LANGUAGE."""
    if language == "en":
        return get_help

    def localized(ctx: Any) -> str:
        text = get_help(ctx)
        for english, key in HELP_WORDS.items():
            text = text.replace(english, t(key, language))
        return text

    return localized
