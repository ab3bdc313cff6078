"""Run the Alembic migrations from code: no alembic.ini, works from an installed package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.engine import URL

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
