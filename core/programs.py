"""Files that run when opened (programs, scripts, disk images): refused from customers on
every channel (R4), so that no agent is one double-click away from one."""

from __future__ import annotations

from core.errors import InvalidInput

EXECUTABLE = frozenset({
    "exe", "com", "bat", "cmd", "scr", "pif", "cpl", "msi", "msp", "msc", "dll", "sys", "drv",
    "ocx", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "ps1", "psm1", "psd1", "jar", "lnk",
    "url", "reg", "inf", "scf", "gadget", "application", "appref-ms", "iso", "img", "vhd",
    "vhdx"})
"""Programs, scripts and disk images that run when opened on Windows (the team's machines)."""


def executable(name: str) -> bool:
    """Whether a file's name says it runs when opened ("setup.exe", "nota.pdf.js")."""
    stem, dot, ext = name.strip().rstrip(". ").rpartition(".")
    return bool(dot and stem) and ext.casefold() in EXECUTABLE


def refuse_program(name: str) -> None:
    """Refuse a file by its name when it is a program, saying which (InvalidInput)."""
    if executable(name):
        raise InvalidInput("conv.files.executable", names=name)
