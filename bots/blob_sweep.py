"""FILES_DIR's housekeeping: the temporary files a crash left (.part-, .reply-), and the stored
files no row refers to (a reply whose commit failed after its files were moved in).

Safe with several instances on one FILES_DIR and database: a stored file is removed only when
older than ORPHAN_AGE (storing it again sets its time: bots.blobs.kept) and, once set aside
under a name of its own, found neither touched nor referenced; otherwise it is put back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

TEMP_PREFIXES = (".part-", ".reply-", ".probe-")
"""Files written before their rename or removal (bots.blobs, bots.email_inbound_files)."""
SETTING_ASIDE = ".sweep-"
"""A stored file being removed: one a crash left is put back (the next run judges it again)."""
TEMP_AGE = 24 * 3600.0
"""No write takes a day: a temporary file older than that was left by a crash."""
ORPHAN_AGE = 7 * 24 * 3600.0
"""Longer than a mail server retries a reply refused for a failed commit (it stores the same
files again) and than a conversation keeps a draft's files unanswered."""
LEFT_ASIDE = 3600.0
"""A file set aside this long ago was left by a sweep that crashed (it takes milliseconds)."""
MOST = 1000
"""Stored files removed in one run at the most (the rest at the next)."""
HEX = frozenset("0123456789abcdef")


class References(Protocol):
    """What the database refers to (storage.blob_refs.BlobRefs)."""

    def referenced(self) -> set[str]: ...

    def is_referenced(self, sha256: str) -> bool: ...


@dataclass
class FilesSwept:
    """What the sweep removed, as `jobs status` and `jobs run-once` name it."""

    files_temp_removed: int = 0
    files_unreferenced_removed: int = 0

    def counts(self) -> dict[str, int]:
        """The counts by their name (cli.jobs.<name>)."""
        return {"files_temp_removed": self.files_temp_removed,
                "files_unreferenced_removed": self.files_unreferenced_removed}


def sweep_files(files_dir: str | Path, refs: References, now: float | None = None
                ) -> FilesSwept:
    """Remove the old temporary files and the old stored files no row refers to."""
    root = Path(files_dir)
    swept = FilesSwept()
    if not root.is_dir():
        return swept
    at = time.time() if now is None else now
    old: list[Path] = []
    for folder in [root, *(Path(d.path) for d in _entries(root)
                           if d.is_dir(follow_symlinks=False) and _is_fan(d.name))]:
        for entry in _entries(folder):
            if not entry.is_file(follow_symlinks=False):
                continue
            try:
                found = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            age = at - found.st_mtime
            if entry.name.startswith(SETTING_ASIDE):
                if at - found.st_ctime > LEFT_ASIDE:  # set aside then: its sweep is gone
                    _put_back(Path(entry.path))
            elif entry.name.startswith(TEMP_PREFIXES):
                if age > TEMP_AGE and _unlink(Path(entry.path)):
                    swept.files_temp_removed += 1
            elif folder is not root and _is_blob(entry.name, folder) and age > ORPHAN_AGE:
                old.append(Path(entry.path))
    if old:
        named = refs.referenced()
        for path in old:
            if swept.files_unreferenced_removed >= MOST:
                break
            if path.name not in named and _remove_unreferenced(path, refs, at - ORPHAN_AGE):
                swept.files_unreferenced_removed += 1
    return swept


def _remove_unreferenced(path: Path, refs: References, cutoff: float) -> bool:
    """Set the file aside, then remove it unless it was stored again meanwhile or a row names
    it now; otherwise put it back. Whether it was removed."""
    aside = path.with_name(f"{SETTING_ASIDE}{path.name}-{secrets.token_hex(4)}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:  # another instance's sweep took it
        return False
    try:
        # Stored again before the rename: its time is new. After it, the store found no file
        # and wrote a new one in its place, which stays.
        if aside.stat().st_mtime >= cutoff or refs.is_referenced(path.name):
            os.replace(aside, path)
            return False
        aside.unlink()
        return True
    except FileNotFoundError:  # put back meanwhile (a sweep taking this one for a crash's)
        return False
    except BaseException:
        with contextlib.suppress(OSError):
            os.replace(aside, path)
        raise


def _put_back(aside: Path) -> None:
    """A file a crashed sweep set aside goes back to its place (same content by its name)."""
    name = aside.name.removeprefix(SETTING_ASIDE).rpartition("-")[0]
    if _is_blob(name, aside.parent):
        with contextlib.suppress(OSError):
            os.replace(aside, aside.with_name(name))


def _is_fan(name: str) -> bool:
    """Whether a folder of FILES_DIR is one of the store's (two hex digits)."""
    return len(name) == 2 and set(name) <= HEX


def _is_blob(name: str, folder: Path) -> bool:
    """Whether a name is a stored file's: a sha256, in the folder of its first two digits."""
    return len(name) == 64 and set(name) <= HEX and name[:2] == folder.name


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:  # another instance's sweep removed it
        return False
    return True


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """The folder's entries; none when it went meanwhile."""
    try:
        with os.scandir(folder) as found:
            return list(found)
    except FileNotFoundError:
        return []
