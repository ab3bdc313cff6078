"""Alembic migrations of the help desk's schema (run them with storage.migrate.upgrade)."""
