"""Answers about dates: the timeline, on-this-day anniversaries, coming dates."""
from __future__ import annotations

import datetime as dt

from ..nlp.timeline import TimelineMention, build_timeline
from ..store import Store
from .articles import ref
from .types import NotFound, TimelineAnswer, TimelineEntry, UserError
from .when import describe_date

MIN_YEAR, MAX_YEAR = 1, 9999
MAX_EVENTS = 500


def _check_year(name: str, value: int | None) -> None:
    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise UserError(f"{name} must be a year such as 1956.")


def _entries(rows) -> list[TimelineEntry]:
    refs = {r["article_id"]: ref(r) for r in rows}
    mentions = [TimelineMention(article_id=r["article_id"], article_title=r["title"] or r["article_id"],
                                value=r["value"], text=r["text"], sentence=r["sentence"]) for r in rows]
    return [TimelineEntry(value=e.value, when=describe_date(e.value), sentence=e.sentence,
                          articles=tuple(refs[a] for a in e.articles)) for e in build_timeline(mentions)]


async def timeline(store: Store, year: int | None = None, start: int | None = None, end: int | None = None,
                   topic: str | None = None) -> TimelineAnswer:
    for name, value in (("year", year), ("from", start), ("to", end)):
        _check_year(name, value)
    if start is not None and end is not None and start > end:
        raise UserError(f"from ({start}) is after to ({end}).")
    rows = await store.dates(year=year, start_year=start, end_year=end, topic=topic)
    entries = _entries(rows)
    if not entries:
        raise NotFound("No dates match. Try a wider range, or no topic.")
    heading = "Timeline" + _filters(year, start, end, topic)
    return TimelineAnswer(heading=heading, entries=tuple(entries[:MAX_EVENTS]), truncated=len(entries) > MAX_EVENTS)


def _filters(year, start, end, topic) -> str:
    parts = []
    if year is not None:
        parts.append(str(year))
    elif start is not None or end is not None:
        parts.append(f"{start if start is not None else '…'}–{end if end is not None else '…'}")
    if topic:
        parts.append(f"about {topic!r}")
    return f" ({', '.join(parts)})" if parts else ""


async def on_this_day(store: Store, today: dt.date) -> TimelineAnswer:
    entries = await anniversaries(store, today)
    if not entries:
        raise NotFound(f"No date in the corpus falls on {today.day} {today:%B}.")
    return TimelineAnswer(heading=f"On this day, {today.day} {today:%B}", entries=entries)


async def anniversaries(store: Store, today: dt.date) -> tuple[TimelineEntry, ...]:
    """Timeline dates of other years on today's day and month (the digest shows none as nothing)."""
    return tuple(_entries(await store.dates_on(today.month, today.day))[:MAX_EVENTS])


async def coming_dates(store: Store, today: dt.date, days: int = 7) -> list[TimelineEntry]:
    """Timeline dates (of any year) whose day and month fall in the next `days` days, soonest first."""
    entries = []
    for offset in range(1, days + 1):
        day = today + dt.timedelta(days=offset)
        entries.extend(_entries(await store.dates_on(day.month, day.day)))
    return entries
