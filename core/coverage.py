"""The contract coverage table of the manual §12: ticket origins (R22) and billing (R23)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core import data
from core.errors import InvalidInput
from core.textmatch import contains, fold

UNKNOWN_ORIGIN = "error.unknown_choice"

# Where a keyword is found changes how much it says about the ticket.
ASSUNTO_WEIGHT = 3
LABELS_WEIGHT = 2
DESCRICAO_WEIGHT = 1

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=20)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=75)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Responsible(StrEnum):
    """Who answers for an origin under the contract."""

    TOTALL = "TOTALL"
    CLIENTE = "CLIENTE"


class Origin(BaseModel):
    """One line of the contract table: a motivo, who is responsible, and whether it is covered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    label: Label
    label_en: Label | None = None
    description: Text
    responsible: Responsible
    covered: bool
    keywords: tuple[Text, ...] = ()

    def shown(self, language: str) -> str:
        """The label in the reader's language (English when the table has one)."""
        return self.label_en if language == "en" and self.label_en else self.label

    @property
    def billable(self) -> bool:
        """Outside the contract, hence billable with prior authorization (R23)."""
        return billable_if(self)


def billable_if(origin: Origin) -> bool:
    """Say whether a ticket of this origin is billable: true when not covered (R23)."""
    return not origin.covered


class CoverageTable(BaseModel):
    """Every origin of the contract table, in display order, plus the suggestion defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default_origin: Slug
    implementation_origin: Slug
    origins: tuple[Origin, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CoverageTable:
        ids = [origin.id for origin in self.origins]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate origin id: {duplicates[0]!r}")
        for field in ("default_origin", "implementation_origin"):
            if getattr(self, field) not in ids:
                raise ValueError(f"{field} {getattr(self, field)!r} is not an origin id")
        return self

    def origin(self, origin_id: str) -> Origin:
        """Return an origin by id, or raise InvalidInput(error.unknown_choice)."""
        for origin in self.origins:
            if origin.id == origin_id:
                return origin
        raise InvalidInput(UNKNOWN_ORIGIN, level="origin", id=origin_id)

    def covered(self) -> list[Origin]:
        """Return the origins the monthly contract covers."""
        return [origin for origin in self.origins if origin.covered]

    def not_covered(self) -> list[Origin]:
        """Return the origins outside the contract (billable)."""
        return [origin for origin in self.origins if not origin.covered]

    def scores(self, labels: str, assunto: str, descricao: str) -> dict[str, int]:
        """Score each origin by its distinct keywords found in each field, weighted by field."""
        fields = (
            (fold(assunto), ASSUNTO_WEIGHT),
            (fold(labels), LABELS_WEIGHT),
            (fold(descricao), DESCRICAO_WEIGHT),
        )
        return {
            origin.id: sum(
                weight * sum(1 for kw in set(origin.keywords) if _holds(text, kw))
                for text, weight in fields
            )
            for origin in self.origins
        }

    def suggest(
        self,
        tipo_item_servico_labels: str,
        assunto: str,
        descricao: str,
        is_implementation: bool,
    ) -> Origin:
        """Suggest the ticket's origin from its texts; the agent confirms or changes it (R22)."""
        if is_implementation:
            return self.origin(self.implementation_origin)
        scores = self.scores(tipo_item_servico_labels, assunto, descricao)
        best = max(scores.values())
        if best == 0:
            return self.origin(self.default_origin)
        # Ties go to the origin listed first in the table.
        return next(origin for origin in self.origins if scores[origin.id] == best)


def _holds(folded: str, keyword: str) -> bool:
    """Whether a field holds a keyword, each of its parts when it has several ("relatorio* +
    atualiz*": a report and an update in the same field)."""
    return all(contains(folded, part.strip()) for part in keyword.split("+"))


def parse_coverage(text: str) -> CoverageTable:
    """Build a coverage table from its YAML text."""
    return CoverageTable.model_validate(yaml.safe_load(text))


@lru_cache(maxsize=1)
def default_coverage() -> CoverageTable:
    """Return the coverage table shipped in core/data/coverage.yaml."""
    return parse_coverage(data.read_text("coverage.yaml"))
