"""Implementations of core's ports: in memory for tests, SQLAlchemy for real use."""
