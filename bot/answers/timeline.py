"""Answers about dates: the timeline, on-this-day anniversaries, coming dates.

They read the timeline events the store keeps up to date at ingest (bot/store/events.py):
no clustering happens at query time.
"""
from __future__ import annotations

import datetime as dt

from ..store import EventRecord, Store
from .articles import ref
from .types import NotFound, TimelineAnswer, TimelineEntry, UserError
from .when import describe_date

MIN_YEAR, MAX_YEAR = 1, 9999
MAX_EVENTS = 500
SOURCES_SHOWN = 3  # articles named per event, as pages show them; `reports` counts them all


def _check_year(name: str, value: int | None) -> None:
    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise UserError(f"{name} must be a year such as 1956.")


async def _entries(store: Store, events: list[EventRecord]) -> list[TimelineEntry]:
    sources: dict[int, list] = {e.id: [] for e in events}
    for source in await store.event_sources(list(sources), SOURCES_SHOWN):
        sources[source.event_id].append(ref(source.article))
    return [TimelineEntry(value=e.value, when=describe_date(e.value), sentence=e.sentence_text,
                          articles=tuple(sources[e.id]), reports=e.reports) for e in events]


async def timeline(store: Store, year: int | None = None, start: int | None = None, end: int | None = None,
                   topic: str | None = None) -> TimelineAnswer:
    for name, value in (("year", year), ("from", start), ("to", end)):
        _check_year(name, value)
    if start is not None and end is not None and start > end:
        raise UserError(f"from ({start}) is after to ({end}).")
    events = await store.events(year=year, start_year=start, end_year=end, topic=topic, limit=MAX_EVENTS + 1)
    if not events:
        raise NotFound("No dates match. Try a wider range, or no topic.")
    heading = "Timeline" + _filters(year, start, end, topic)
    entries = await _entries(store, events[:MAX_EVENTS])
    return TimelineAnswer(heading=heading, entries=tuple(entries), truncated=len(events) > MAX_EVENTS)


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


async def anniversaries(store: Store, today: dt.date, limit: int = MAX_EVENTS) -> tuple[TimelineEntry, ...]:
    """Timeline dates of other years on today's day and month (the digest shows none as nothing)."""
    return tuple(await _entries(store, await store.events_on(today.month, today.day, limit)))


async def coming_dates(store: Store, today: dt.date, days: int = 7, limit: int | None = None) -> list[TimelineEntry]:
    """Timeline dates (of any year) whose day and month fall in the next `days` days, soonest first;
    at most `limit` of them (None: up to MAX_EVENTS a day)."""
    entries: list[TimelineEntry] = []
    for offset in range(1, days + 1):
        wanted = MAX_EVENTS if limit is None else min(MAX_EVENTS, limit - len(entries))
        if wanted <= 0:
            break
        day = today + dt.timedelta(days=offset)
        entries.extend(await _entries(store, await store.events_on(day.month, day.day, wanted)))
    return entries
