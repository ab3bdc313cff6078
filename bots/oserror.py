"""The system's reason for an OSError in LANGUAGE: its strerror is English (the C locale)."""

from __future__ import annotations

import errno

from core import i18n
from core.i18n import t


def os_reason(exc: OSError, language: str) -> str:
    """The catalog's words for the error's errno (oserror.EADDRINUSE…), else the system's."""
    name = errno.errorcode.get(exc.errno or 0, "")
    key = f"oserror.{name}"
    if name and i18n.has(key):
        return t(key, language)
    return exc.strerror or str(exc)
