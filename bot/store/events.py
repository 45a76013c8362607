"""Timeline events kept in step with the date mentions, inside the transaction that changes them.

The events of a date value depend only on the mentions of that value (see
bot/nlp/timeline.py), so a change rebuilds the events of the values the changed
articles mention, before and after the change, and leaves every other event alone.
"""
from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

import aiosqlite

from ..nlp.dates import year_of
from ..nlp.timeline import TimelineEvent, TimelineMention, build_timeline, event_sort_key, normalise_value

# Mentions clustered per query: bounds the memory of a full rebuild (every value of the corpus).
# A value mentioned more often than this still comes whole: its events need all its mentions.
MENTIONS_PER_QUERY = 20_000
# The articles whose mentions make events: originals. A wire copy's reports are its original's
# (bot/store/copies.py); when an article becomes a copy or an original again, its mentions leave
# or join the events of its dates (CorpusBatch.mentions_balance).
_TAKES_PART = "a.copy_of IS NULL"

# Every mention in a sentence that mentions one of the values: the other dates of a sentence
# tell whether its "1956" only repeats the year of its own "October 19, 1956".
_MENTIONS_OF_VALUES = f"""
    WITH hit AS (SELECT DISTINCT article_id, sentence FROM dates
                 WHERE value IN (SELECT value FROM json_each(:values)))
    SELECT d.article_id, d.sentence, d.text, d.value, s.text AS sentence_text,
           coalesce(a.published, a.captured) AS reported,
           coalesce(CAST(substr(coalesce(a.published, a.captured), 1, 4) AS INTEGER), a.written_year) AS article_year
    FROM hit JOIN dates d ON d.article_id = hit.article_id AND d.sentence = hit.sentence
    JOIN articles a ON a.id = d.article_id
    JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence
    WHERE {_TAKES_PART}
    ORDER BY reported IS NULL, reported, d.article_id, d.sentence, d.id
"""


def month_day(value: str) -> tuple[int | None, int | None]:
    """Month and day of the start of an ISO-with-X value, None where unknown."""
    parts = value.split("/")[0].split("-")
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
    return month, day


# A mention as far as events care: (value, article, sentence index, date text, sentence text,
# published, captured, written year). An article edited elsewhere gives the same ones back.
Mention = tuple


async def stored_mentions(conn: aiosqlite.Connection, ids: Iterable[str], originals_only: bool = False) -> list[Mention]:
    """The date mentions of the stored articles `ids` (`originals_only`: of those that are not copies)."""
    only = f" AND {_TAKES_PART}" if originals_only else ""
    async with conn.execute(
            "SELECT d.value, d.article_id, d.sentence, d.text, s.text, a.published, a.captured, a.written_year "
            "FROM dates d JOIN articles a ON a.id = d.article_id "
            "JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence "
            "WHERE d.article_id IN (SELECT value FROM json_each(?))" + only, (json.dumps(list(ids)),)) as cur:
        return [tuple(r) for r in await cur.fetchall()]


def mentions_of_articles(items) -> list[Mention]:
    """The date mentions of articles about to be stored (corpus_writes.ArticleRows)."""
    out = []
    for item in items:
        sentences = {row[1]: row[3] for row in item.sentences}
        published, captured, written_year = item.article[4], item.article[6], item.article[7]
        for _, sentence, text, value, *_ in item.dates:
            out.append((value, item.id, sentence, text, sentences.get(sentence), published, captured, written_year))
    return out


def changed_values(balance: Counter) -> set[str]:
    """The values whose mentions arrived or left (a balance of mentions arrived - left)."""
    return {mention[0] for mention, n in balance.items() if n}


async def all_values(conn: aiosqlite.Connection) -> set[str]:
    async with conn.execute("SELECT DISTINCT value FROM dates") as cur:
        return {r[0] for r in await cur.fetchall()}


async def rebuild_events(conn: aiosqlite.Connection, values: Collection[str]) -> None:
    """Replace the events of these date values (as stored in `dates`) with ones built from their mentions now."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for value in values:
        by_key[normalise_value(value)].append(value)
    async with conn.execute("SELECT coalesce(max(id), 0) FROM events") as cur:
        next_id = (await cur.fetchone())[0] + 1
    for chunk in await _chunks(conn, by_key):
        await _delete_events(conn, chunk)
        raw = [v for key in chunk for v in by_key[key]]
        async with conn.execute(_MENTIONS_OF_VALUES, {"values": json.dumps(raw)}) as cur:
            rows = [tuple(r) for r in await cur.fetchall()]
        # Clustering is pure Python over possibly many mentions: off the event loop.
        events, sources = await asyncio.to_thread(_event_rows, rows, set(chunk), next_id)
        await conn.executemany(
            "INSERT INTO events(id, value, year, month, day, sort_key, rank, label, article_id, sentence, "
            "sentence_text, reports, first_reported) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", events)
        await conn.executemany(
            "INSERT INTO event_articles(event_id, position, article_id, sentence) VALUES (?,?,?,?)", sources)
        next_id += len(events)


async def _chunks(conn: aiosqlite.Connection, by_key: dict[str, list[str]]) -> list[list[str]]:
    """The normalised values in groups of about MENTIONS_PER_QUERY mentions."""
    async with conn.execute("SELECT value, count(*) FROM dates WHERE value IN (SELECT value FROM json_each(?)) "
                            "GROUP BY value", (json.dumps([v for raw in by_key.values() for v in raw]),)) as cur:
        counts = {r[0]: r[1] for r in await cur.fetchall()}
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


async def _delete_events(conn: aiosqlite.Connection, keys: list[str]) -> None:
    wanted = json.dumps(keys)
    await conn.execute("DELETE FROM event_articles WHERE event_id IN (SELECT id FROM events "
                       "WHERE value IN (SELECT value FROM json_each(?)))", (wanted,))
    await conn.execute("DELETE FROM events WHERE value IN (SELECT value FROM json_each(?))", (wanted,))


def _event_rows(rows: list[tuple], keys: set[str], first_id: int) -> tuple[list[tuple], list[tuple]]:
    """(events rows, event_articles rows) for the events of `keys` among these mention rows."""
    reported = {}
    mentions = []
    for article_id, sentence, text, value, sentence_text, when, article_year in rows:
        reported.setdefault(article_id, when)
        mentions.append(TimelineMention(article_id=article_id, article_title=None, value=value, text=text,
                                        sentence=sentence_text, sentence_idx=sentence, article_year=article_year))
    events, sources = [], []
    rank, previous = 0, None
    for event_id, event in enumerate(build_timeline(mentions, values=keys), start=first_id):
        rank = rank + 1 if event.value == previous else 0
        previous = event.value
        events.append(_event_row(event_id, event, rank, reported[event.articles[0]]))
        sources.extend(_source_rows(event_id, event))
    return events, sources


def _event_row(event_id: int, event: TimelineEvent, rank: int, first_reported: str | None) -> tuple:
    month, day = month_day(event.value)
    best = event.source
    return (event_id, event.value, year_of(event.value), month, day, event_sort_key(event.value), rank, event.label,
            best.article_id, best.sentence_idx, best.sentence, len(event.reports), first_reported)


def _source_rows(event_id: int, event: TimelineEvent) -> list[tuple]:
    """Each reporting article with its sentence; the clearest sentence stands for its own article."""
    best = event.source
    return [(event_id, position, m.article_id, best.sentence_idx if m.article_id == best.article_id else m.sentence_idx)
            for position, m in enumerate(event.reports)]
