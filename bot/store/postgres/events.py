"""Timeline events on PostgreSQL, kept in step with the date mentions inside the transaction that changes them.

The same rule as the SQLite driver (bot/store/events.py, whose pure helpers this reuses): the
events of a date value depend only on the mentions of that value, so a change rebuilds the
events of the values the changed articles mention, before and after, and leaves every other
event alone. Text is ordered by code point (COLLATE "C"), as SQLite orders it, so both drivers
cluster the mentions in the same order and build the same events.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Collection, Iterable

import asyncpg

from ...nlp.timeline import normalise_value
from ..events import MENTIONS_PER_QUERY, Mention, _event_rows

# Every mention in a sentence that mentions one of the values, from originals only (see
# bot/store/events.py): the other dates of a sentence tell whether its "1956" repeats its own
# "October 19, 1956".
_MENTIONS_OF_VALUES = """
    WITH hit AS (SELECT DISTINCT article_id, sentence FROM dates WHERE value = ANY($1::text[]))
    SELECT d.article_id, d.sentence, d.text, d.value, s.text AS sentence_text,
           coalesce(a.published, a.captured) AS reported,
           coalesce(substring(coalesce(a.published, a.captured) from '^[0-9]{1,4}')::integer,
                    a.written_year) AS article_year
    FROM hit JOIN dates d ON d.article_id = hit.article_id AND d.sentence = hit.sentence
    JOIN articles a ON a.id = d.article_id
    JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence
    WHERE a.copy_of IS NULL
    ORDER BY coalesce(a.published, a.captured) IS NULL, coalesce(a.published, a.captured),
             d.article_id COLLATE "C", d.sentence, d.id
"""


async def stored_mentions(conn: asyncpg.Connection, ids: Iterable[str]) -> list[Mention]:
    """The date mentions of the stored articles `ids` (as events.mentions_of_articles gives new ones)."""
    rows = await conn.fetch(
        "SELECT d.value, d.article_id, d.sentence, d.text, s.text, a.published, a.captured, a.written_year "
        "FROM dates d JOIN articles a ON a.id = d.article_id "
        "JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence "
        "WHERE d.article_id = ANY($1::text[])", list(ids))
    return [tuple(r) for r in rows]


async def values_of(conn: asyncpg.Connection, ids: Collection[str]) -> set[str]:
    """The date values the articles `ids` mention."""
    if not ids:
        return set()
    rows = await conn.fetch("SELECT DISTINCT value FROM dates WHERE article_id = ANY($1::text[])", sorted(ids))
    return {r[0] for r in rows}


async def rebuild_events(conn: asyncpg.Connection, values: Collection[str]) -> None:
    """Replace the events of these date values with ones built from their mentions now."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for value in values:
        by_key[normalise_value(value)].append(value)
    next_id = await conn.fetchval("SELECT coalesce(max(id), 0) FROM events") + 1
    for chunk in await _chunks(conn, by_key):
        await conn.execute("DELETE FROM events WHERE value = ANY($1::text[])", chunk)  # event_articles cascade
        rows = [tuple(r) for r in await conn.fetch(_MENTIONS_OF_VALUES, [v for key in chunk for v in by_key[key]])]
        # Clustering is pure Python over possibly many mentions: off the event loop.
        events, sources = await asyncio.to_thread(_event_rows, rows, set(chunk), next_id)
        if events:
            await conn.copy_records_to_table(
                "events", records=events,
                columns=("id", "value", "year", "month", "day", "sort_key", "rank", "label", "article_id", "sentence",
                         "sentence_text", "reports", "first_reported"))
            await conn.copy_records_to_table("event_articles", records=sources,
                                             columns=("event_id", "position", "article_id", "sentence"))
        next_id += len(events)


async def _chunks(conn: asyncpg.Connection, by_key: dict[str, list[str]]) -> list[list[str]]:
    """The normalised values in groups of about MENTIONS_PER_QUERY mentions."""
    rows = await conn.fetch("SELECT value, count(*) FROM dates WHERE value = ANY($1::text[]) GROUP BY value",
                            [v for raw in by_key.values() for v in raw])
    counts = {r[0]: r[1] for r in rows}
    chunks: list[list[str]] = [[]]
    size = 0
    for key in sorted(by_key):
        n = sum(counts.get(v, 0) for v in by_key[key])
        if chunks[-1] and size + n > MENTIONS_PER_QUERY:
            chunks.append([])
            size = 0
        chunks[-1].append(key)
        size += n
    return [c for c in chunks if c]
