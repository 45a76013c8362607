"""ISO-with-X date values in words: `1956-10-19` -> `19 October 1956`."""
from __future__ import annotations

import calendar

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
