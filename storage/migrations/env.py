"""Alembic environment: our engine, our metadata, batch mode on SQLite."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.pool import NullPool

from storage.engine import make_engine, normalize_url
from storage.migrate import include_object, target_metadata

config = context.config
metadata = target_metadata()

def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("DATABASE_URL")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: set DATABASE_URL or pass a URL to storage.migrate")
    return str(url)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )


def run_offline() -> None:
    """Print the SQL instead of running it."""
    context.configure(
        url=normalize_url(_url()),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the given connection, or on a new engine for the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    given = config.attributes.get("engine")
    engine = given or make_engine(_url(), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if given is None:
            engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
