"""Data files shipped with core (catalog, coverage table, knowledge base) and their one loader."""

from __future__ import annotations

from importlib.resources import files


def read_text(*parts: str) -> str:
    """Return the text of a packaged data file, e.g. read_text("kb", "horario.md")."""
    resource = files(__name__).joinpath(*parts)
    return resource.read_text(encoding="utf-8")


def list_names(*parts: str, suffix: str = "") -> list[str]:
    """Return the sorted file names in a packaged data folder that end with suffix."""
    folder = files(__name__).joinpath(*parts)
    return sorted(
        entry.name for entry in folder.iterdir() if entry.is_file() and entry.name.endswith(suffix)
    )
