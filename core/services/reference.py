"""The support team's editable reference data: catalog and coverage table, with defaults."""

from __future__ import annotations

from core.catalog import Catalog, default_catalog
from core.coverage import CoverageTable, default_coverage
from core.ports import UnitOfWork

CATALOG_DOC = "catalog"
COVERAGE_DOC = "coverage"


def load_catalog(uow: UnitOfWork) -> Catalog:
    """The catalog the team saved, or the packaged default."""
    doc = uow.documents.get(CATALOG_DOC)
    return Catalog.model_validate(doc) if doc else default_catalog()


def save_catalog(uow: UnitOfWork, catalog: Catalog) -> None:
    """Replace the catalog (validated) for every new intake."""
    uow.documents.put(CATALOG_DOC, catalog.model_dump(mode="json"))


def load_coverage(uow: UnitOfWork) -> CoverageTable:
    """The coverage table the team saved, or the packaged default (R22)."""
    doc = uow.documents.get(COVERAGE_DOC)
    return CoverageTable.model_validate(doc) if doc else default_coverage()
