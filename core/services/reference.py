"""The support team's editable reference data: catalog and coverage table, with defaults."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from pydantic import BaseModel

from core.catalog import Catalog, default_catalog
from core.coverage import CoverageTable, default_coverage
from core.ports import UnitOfWork

M = TypeVar("M", bound=BaseModel)

CATALOG_DOC = "catalog"
COVERAGE_DOC = "coverage"

_last: dict[str, tuple[dict, Any]] = {}
"""The last document validated under each name (models are frozen, so shared safely)."""


def _validated(name: str, doc: dict, model: type[M]) -> M:
    seen = _last.get(name)
    if seen is not None and seen[0] == doc:
        return cast(M, seen[1])
    value = model.model_validate(doc)
    _last[name] = (doc, value)
    return value


def load_catalog(uow: UnitOfWork) -> Catalog:
    """The catalog the team saved, or the packaged default."""
    doc = uow.documents.get(CATALOG_DOC)
    return _validated(CATALOG_DOC, doc, Catalog) if doc else default_catalog()


def save_catalog(uow: UnitOfWork, catalog: Catalog) -> None:
    """Replace the catalog (validated) for every new intake."""
    uow.documents.put(CATALOG_DOC, catalog.model_dump(mode="json"))


def load_coverage(uow: UnitOfWork) -> CoverageTable:
    """The coverage table the team saved, or the packaged default (R22)."""
    doc = uow.documents.get(COVERAGE_DOC)
    return _validated(COVERAGE_DOC, doc, CoverageTable) if doc else default_coverage()
