"""A calendar month ("2026-11"): the one words mean as of a day, its bounds in the team's time
zone and its name ("novembro de 2026"), for the listings (R8) and the coordinator's report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.i18n import t


def resolved(said: str, today: date) -> str:
    """The month ("2026-11") a value of named means on a day: a month without its year is the
    latest one not to come (in January 2027 "dezembro" is December 2026)."""
    if "-" in said:
        return said
    if said in ("this", "last"):
        back = int(said == "last")
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        return f"{year}-{month + 1:02d}"
    month = int(said)
    return f"{today.year - int(month > today.month)}-{month:02d}"


def bounds(month: str, tz: str) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in the team's time zone (as UTC)."""
    year, number = (int(part) for part in month.split("-"))
    zone = ZoneInfo(tz)
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def title(month: str, lang: str | None) -> str:
    """The month in words: "novembro de 2026", "November 2026"."""
    year, number = month.split("-")
    return t("conv.list.window_month", lang, month=t(f"month.{int(number)}", lang), year=year)

