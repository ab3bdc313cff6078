"""SQLAlchemy implementation of core's ports, for SQLite and PostgreSQL."""

from storage.sql.uow import SqlStore, SqlUnitOfWork

__all__ = ["SqlStore", "SqlUnitOfWork"]
