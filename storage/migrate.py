"""Run the Alembic migrations from code: no alembic.ini, works from an installed package."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData
from sqlalchemy.engine import URL

import storage

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


SEARCH_OBJECTS = {"search", "ix_tickets_search"}
"""Full-text objects made by hand in the migrations, outside the tables' metadata."""
EXPRESSION_INDEXES = {"ix_tickets_queue"}
"""Indexes on an expression, which autogenerate cannot compare (each database spells the
expression its own way): checked by tests/integration/test_migrations.py on their own."""


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the hand-made full-text objects and the expression indexes out of autogenerate's
    comparison."""
    if type_ == "table" and name and name.startswith("tickets_fts"):
        return False
    if type_ == "index" and name in EXPRESSION_INDEXES:
        return False
    return not (reflected and compare_to is None and name in SEARCH_OBJECTS)


def target_metadata() -> MetaData:
    """The schema the migrations must produce: storage.tables plus every storage.*_tables."""
    for module in pkgutil.iter_modules(storage.__path__):
        if module.name == "tables" or module.name.endswith("_tables"):
            importlib.import_module(f"storage.{module.name}")
    from storage.tables import metadata

    return metadata


def alembic_config(url: str | URL | Engine) -> Config:
    """An Alembic config for this database, built in code."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if isinstance(url, Engine):
        cfg.attributes["engine"] = url
        url = url.url
    if isinstance(url, URL):
        url = url.render_as_string(hide_password=False)
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str | URL | Engine, revision: str = "head") -> None:
    """Bring the database's schema up to revision (the newest by default)."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | URL | Engine, revision: str) -> None:
    """Take the database's schema back to revision ("base" empties it)."""
    command.downgrade(alembic_config(url), revision)
