"""Dates for users: ISO-with-X values in words (`1956-10-19` -> `19 October 1956`), typed days read back."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from .types import UserError

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe_date(value: str) -> str:
    if "/" in value:
        start, end = value.split("/", 1)
        return f"{describe_date(start)} – {describe_date(end)}"
    parts = value.split("-")
    year = parts[0] if parts and parts[0].isdigit() else None
    if len(parts) >= 2 and parts[1].startswith("W"):
        return _week(parts, year)
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12 else None
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
    words = []
    if day:
        words.append(str(day))
    if month:
        words.append(calendar.month_name[month])
    if year:
        words.append(year)
    elif words:
        words.append("(year unknown)")
    return " ".join(words) or value


def _week(parts: list[str], year: str | None) -> str:
    weekday = parts[2] if len(parts) > 2 and parts[2].isdigit() else None
    week = parts[1][1:]
    text = WEEKDAYS[int(weekday) - 1] if weekday and 1 <= int(weekday) <= 7 else "a week"
    if week.isdigit():
        text += f" of week {int(week)}"
    return f"{text} {year}" if year else f"{text} (date unknown)"


def parse_day(text: str) -> dt.date:
    """A typed YYYY-MM-DD day; a UserError says what is wrong with anything else."""
    typed = text.strip()
    found = _ISO_DAY.fullmatch(typed)
    if found is None:
        raise UserError(f"{typed!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-15.")
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        raise UserError(f"{typed!r} has no month {month}; months go from 01 to 12.")
    if year < dt.MINYEAR:
        raise UserError(f"{typed!r} has no year 0; years start at 0001.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise UserError(_no_such_day(year, month, day, last))
    return dt.date(year, month, day)


def _no_such_day(year: int, month: int, day: int, last: int) -> str:
    name = f"{calendar.month_name[month]} {year}"
    if day == 0:
        return f"{name} has no day 0; days start at 01."
    return f"{name} has no {_ordinal(day)}; its last day is the {_ordinal(last)}."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
