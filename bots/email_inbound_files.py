"""A reply's files written aside before core decides on it, put in the store (FILES_DIR) only
once core added the reply: nothing of a refused reply stays on disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bots.blobs import blob_path, describe_bytes, kept
from core.models import Attachment


@dataclass
class Staged:
    """The attachments of a reply, and the files written aside for those not yet stored."""

    attachments: list[Attachment] = field(default_factory=list)
    pending: list[tuple[Path, Path]] = field(default_factory=list)
    """(file written aside, its place in the store)."""

    def publish(self) -> None:
        """Move the files into the store: called in the transaction that adds the reply, so a
        failure rolls it back (451: the mail server tries again). Called twice, no harm."""
        for aside, target in self.pending:
            if aside.exists():
                os.replace(aside, target)

    def discard(self) -> None:
        """Remove what was not published (a refusal, a duplicate, a failure)."""
        for aside, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                aside.unlink()
        self.pending = []


def stage(files_dir: str, files: list[tuple[str, bytes, str]]) -> Staged:
    """Describe the files as the store would, writing aside those it does not have yet."""
    staged = Staged()
    try:
        for name, content, kind in files:
            described = describe_bytes(name, content, kind)
            target = blob_path(files_dir, described.sha256)
            if not kept(target) and all(t != target for _, t in staged.pending):
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, aside = tempfile.mkstemp(dir=target.parent, prefix=".reply-")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                staged.pending.append((Path(aside), target))
            staged.attachments.append(described)
    except BaseException:
        staged.discard()
        raise
    return staged

