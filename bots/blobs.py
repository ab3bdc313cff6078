"""Files people send, stored once under FILES_DIR by their sha256 (content-addressed)."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path

from bots.oserror import os_reason
from core.errors import InvalidInput
from core.i18n import t
from core.models import Attachment

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NAME = 255
"""The longest file name stored (the attachments' column)."""


def blob_path(files_dir: str | Path, sha256: str) -> Path:
    """Where the content with this hash lives: FILES_DIR/ab/abcdef…"""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError("not a sha256 hex digest")
    return Path(files_dir) / sha256[:2] / sha256


def check_writable(files_dir: str | Path) -> None:
    """Make FILES_DIR if missing and write a file in it, so that an unusable one stops the start
    instead of the first attachment (OSError says why)."""
    folder = Path(files_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
    os.close(fd)
    os.unlink(probe)


def require_files_dir(files_dir: str | Path, language: str) -> None:
    """check_writable, or stop the command with one line naming FILES_DIR and its full path
    (`helpdesk run` and `helpdesk chat` alike)."""
    where = os.path.abspath(files_dir)
    try:
        check_writable(where)
    except OSError as exc:
        raise SystemExit(t("run.files_dir_unusable", language, path=where,
                           reason=os_reason(exc, language))) from None


def clean_name(filename: str) -> str:
    """A file name safe to store and show: no folders (either slash), no control characters."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable()).strip() or "arquivo"


def fit_name(name: str) -> str:
    """A name of at most MAX_NAME characters: a longer one loses the end of its stem, not its
    extension (one shorter than 20 characters)."""
    if len(name) <= MAX_NAME:
        return name
    stem, dot, ext = name.rpartition(".")
    return stem[: MAX_NAME - 1 - len(ext)] + dot + ext if dot and len(ext) < 20 \
        else name[:MAX_NAME]


def check_bytes(filename: str, content: bytes) -> None:
    """Refuse a file empty or over MAX_FILE_BYTES, as store_bytes would, writing nothing."""
    # imported here: core.conversation imports every flow, and `helpdesk --help` imports us
    from core.conversation.fmt import name_shown

    if not content:
        raise InvalidInput("error.file_empty", name=name_shown(filename))
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput("error.file_too_big", name=name_shown(filename),
                           max_mb=MAX_FILE_BYTES >> 20)


def store_bytes(files_dir: str | Path, filename: str, content: bytes,
                content_type: str | None = None) -> Attachment:
    """Keep the bytes (once per content) and describe them as an Attachment; an empty file
    is refused (nothing in it for the team to read)."""
    described = describe_bytes(filename, content, content_type)
    write_blob(blob_path(files_dir, described.sha256), content)
    return described


def write_blob(target: Path, content: bytes) -> None:
    """Put the content at its place in the store, once: a file already there is only kept."""
    if kept(target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a crash never leaves a half file under the final name (the
    # housekeeping removes a .part- a crash left: bots.blob_sweep).
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def kept(target: Path) -> bool:
    """Whether the stored file is there, its time set to now: the housekeeping spares a file
    stored again lately (no row may name it yet), however old its first copy."""
    try:
        os.utime(target)
    except OSError:  # missing, or not ours to touch: written again, the copy is new
        return False
    return True


def describe_bytes(filename: str, content: bytes, content_type: str | None = None
                   ) -> Attachment:
    """The Attachment store_bytes makes of the bytes, writing nothing."""
    check_bytes(filename, content)
    name = clean_name(filename)
    guessed = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Attachment(filename=fit_name(name), content_type=guessed, size=len(content),
                      sha256=hashlib.sha256(content).hexdigest())


def store_file(files_dir: str | Path, path: str | Path) -> Attachment:
    """Copy a local file into the store."""
    source = Path(path)
    if source.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput("error.file_too_big", name=source.name, max_mb=MAX_FILE_BYTES >> 20)
    return store_bytes(files_dir, source.name, source.read_bytes())
