"""Whether a database is at the newest migration, told without Alembic: importing Alembic and
running its upgrade was half of a `helpdesk user list` on a SQLite file already current."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"

_REVISION = re.compile(r"^revision\b[^=\n]*=\s*[\"']([^\"'\n]+)[\"']\s*$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"'\n]+)[\"']")


def _graph() -> tuple[set[str], set[str]] | None:
    """Every migration's revision and every revision some migration follows, read from the
    files' text; None when some file does not name its revisions plainly."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        if path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(text), _DOWN_REVISION.findall(text)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        parents.update(_QUOTED.findall(down[0]))
    return revisions, parents


def head() -> str | None:
    """The newest migration's revision, read from the migration files' text; None when some
    file does not name its revisions plainly or there is not one head (Alembic decides then)."""
    graph = _graph()
    if graph is None:
        return None
    revisions, parents = graph
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def unknown(recorded: set[str]) -> set[str]:
    """The revisions recorded that no migration of this code makes: a newer helpdesk's
    (nothing when the files do not tell)."""
    graph = _graph()
    return set() if graph is None else recorded - graph[0]


def sqlite_file_at_head(path: str) -> bool:
    """Whether the SQLite file records the newest migration and nothing else; any doubt (no
    file, no table, locked, another revision, an older or newer one) says no."""
    wanted = head()
    if wanted is None or not Path(path).is_file():
        return False
    try:
        uri = f"file:{quote(str(Path(path).absolute()))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=0)) as conn:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False
    return rows == [(wanted,)]


def recorded_revisions(conn: Connection) -> set[str]:
    """The revisions a database records as applied (none without Alembic's table)."""
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return set()
    return {str(r[0]) for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
