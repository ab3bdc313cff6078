"""Options and choices named in both languages: either name is taken, the help shows LANGUAGE's.

`--faturaveis` and the tabs' `novos|em_estimativa|…` were Portuguese in English help, `--role
<customer|agent|coordinator>` English in Portuguese help, and the README's `--billable` was
refused. Each such option now has a name in each language, each choice a word in each."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import typer
from typer.core import TyperOption

from bots.settings_refused import read_language

OPTION_NAMES = {"--faturaveis": "--billable", "--mes": "--month", "--inativos": "--inactive",
                "--motivo": "--reason", "--confirmar": "--yes"}
"""The options named in Portuguese and in English (both taken): Portuguese name, English."""


def english(language: str) -> bool:
    """Whether LANGUAGE is English (else the help is in Portuguese)."""
    return language.startswith("en")


class Words:
    """A choice's values as each language writes them, taken in either (typer's `parser`)."""

    def __init__(self, words: Mapping[Enum, tuple[str, str]]) -> None:
        self.words = dict(words)
        """Each value's Portuguese word and English word."""

    def __call__(self, typed: Any) -> Enum:
        if isinstance(typed, Enum):
            return typed
        said = str(typed).strip().lower().replace("-", "_").replace(" ", "_")
        for value, names in self.words.items():
            if said == str(value.value) or said in names:
                return value
        # Said in LANGUAGE by bots.cliwords (cli.usage.not_one_of), its words LANGUAGE's.
        language = read_language()
        shown = ", ".join(f"'{self.word(v, language)}'" for v in self.words)
        raise typer.BadParameter(f"'{typed}' is not one of {shown}.")

    def word(self, value: Any, language: str) -> str:
        """The word of one value in this language."""
        for known, (pt, en) in self.words.items():
            if known == value:
                return en if english(language) else pt
        return str(value)

    def metavar(self, language: str) -> str:
        """The choice as the help lists it: <novos|em_estimativa|…> or <new|in_estimate|…>."""
        return "<" + "|".join(self.word(v, language) for v in self.words) + ">"


class NamedOption(TyperOption):
    """An option whose help shows only its names in LANGUAGE (all of them are taken) and its
    choice's default as LANGUAGE writes it."""

    shown: tuple[str, ...] = ()
    words: Words | None = None
    language: str = "pt_BR"

    def get_help_record(self, ctx: Any) -> tuple[str, str] | None:
        opts = self.opts
        self.opts = [o for o in opts if o in self.shown] or opts
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = opts

    def _extract_default_help_str(self, ctx: Any) -> Any:
        if self.words is not None and isinstance(self.default, Enum):
            return self.words.word(self.default, self.language)
        return super()._extract_default_help_str(ctx=ctx)


def localize_names(param: Any, language: str) -> None:
    """Show an option's names and a choice's words in LANGUAGE (bots.clikit.localize)."""
    if not isinstance(param, TyperOption):
        return
    info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
    words = getattr(info, "parser", None)
    opts = list(param.opts)
    hidden = {pt if english(language) else en for pt, en in OPTION_NAMES.items()
              if pt in opts and en in opts}
    if not hidden and not isinstance(words, Words):
        return
    param.__class__ = NamedOption
    assert isinstance(param, NamedOption)
    param.language = language
    param.shown = tuple(o for o in opts if o not in hidden)
    if isinstance(words, Words):
        param.words = words
        param.metavar = words.metavar(language)
