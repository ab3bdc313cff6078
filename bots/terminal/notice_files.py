"""The files of a trâmite a terminal notice tells of, copied where the chat saves what it
receives (--out-dir), as Telegram, Slack and the e-mail deliver them."""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.blobs import blob_path, clean_name
from bots.delivery.notice_files import entry_files, wanted
from bots.oserror import os_reason
from core.conversation.fmt import name_shown
from core.i18n import t
from core.services import terminal_notices
from core.services.context import Ctx


@dataclass(frozen=True)
class Notice:
    """A notice's text, its ticket's number and the files of the trâmite it tells of."""

    text: str
    number: str = ""
    files: list[dict[str, Any]] = field(default_factory=list)


def take(ctx: Ctx, user_id: int, language: str) -> list[Notice]:
    """The person's notices waiting (terminal_notices.take), with their trâmites' files."""
    return [Notice(text, str(msg.params.get("number") or ""),
                   entry_files(ctx, msg) if wanted(msg) else [])
            for text, msg in terminal_notices.take(ctx, user_id, language)]


def save(files_dir: str | Path, out_dir: Path, notice: Notice, language: str) -> list[str]:
    """Copy each file into out_dir, beside any of the same name (kept), and say where; one
    gone from FILES_DIR or that cannot be written is said instead."""
    lines = []
    for item in notice.files:
        said = {"name": name_shown(str(item["filename"])), "number": notice.number}
        source = blob_path(files_dir, str(item["sha256"]))
        if not source.is_file():
            lines.append(t("terminal.notice_file.gone", language, **said))
            continue
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            target = _free(out_dir / clean_name(str(item["filename"])), source)
            shutil.copyfile(source, target)
        except OSError as exc:
            lines.append(t("terminal.notice_file.not_saved", language, folder=str(out_dir),
                           reason=os_reason(exc, language), **said))
            continue
        lines.append(t("terminal.notice_file.saved", language, path=str(target), **said))
    return lines


def _free(target: Path, source: Path) -> Path:
    """The target, or 'name (2).ext', 'name (3).ext'… when a different file has its name; the
    same file saved before is written again in its place."""
    stem, suffix = target.stem, target.suffix
    n = 1
    while target.exists() and not _same(target, source):
        n += 1
        target = target.with_name(f"{stem} ({n}){suffix}")
    return target


def _same(one: Path, other: Path) -> bool:
    """Whether two files hold the same bytes (compared in chunks, not read whole)."""
    try:
        return filecmp.cmp(one, other, shallow=False)
    except OSError:
        return False
