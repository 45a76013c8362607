"""Timeline events kept in step with the date mentions, inside the transaction that changes them.

The events of a date value depend only on the mentions of that value (see
bot/nlp/timeline.py), so a change touches the events of the values whose mentions
changed and leaves every other event alone. A value with more mentions than its
core (timeline.CORE_MENTIONS) is updated in place when every changed mention comes
after the core: the core decides everything but where each later mention goes, so
only the changed articles' own reports move (`update_events`). Otherwise the value's
events are rebuilt from all its mentions (`rebuild_events`); both give the same events.
"""
from __future__ import annotations

import asyncio
import json
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Collection, Iterable

import aiosqlite

from ..nlp.dates import year_of
from ..nlp import timeline
from ..nlp.timeline import (TimelineEvent, TimelineMention, ValueCore, ValueGrouping, build_timeline,
                            event_sort_key, events_of_values, kept_mentions, lone_event, normalise_value,
                            order_of_events)

# Values whose events are built per query, about this many mentions together (a value mentioned more
# often is alone in its query, and grouped as its rows come). Their rows are read STREAMED_ROWS at a
# time and only the mentions that make events are held until the values are grouped, one at a time.
MENTIONS_PER_QUERY = 20_000
STREAMED_ROWS = 5_000
# Grouping a busy value's core (timeline.CORE_MENTIONS mentions) costs 0.1 to 0.7 s of CPU (measured at
# 100,000 articles), and a reload that changes only later mentions of a value finds the very same core as
# the reload before: the cores last grouped are kept, by their mentions, for the reloads that follow in
# this process. A core holds 1 to 2 MB; a 1% reload of the bench touches about ten busy values.
KEPT_CORES = 16
_cores: OrderedDict[tuple, ValueCore] = OrderedDict()
# Finding a date's first mentions: what an original walked in order costs, in mentions sorted (measured).
WALK_COST = 2
# The articles whose mentions make events: originals. A wire copy's reports are its original's
# (bot/store/copies.py); when an article becomes a copy or an original again, its mentions leave
# or join the events of its dates (CorpusBatch.mentions_balance).
_TAKES_PART = "a.copy_of IS NULL"

# Every mention in a sentence that mentions one of the values: the other dates of a sentence
# tell whether its "1956" only repeats the year of its own "October 19, 1956". In the order that
# makes events: first reported first.
_MENTIONS = """
    WITH hit AS (SELECT DISTINCT article_id, sentence FROM dates
                 WHERE value IN (SELECT value FROM json_each(:values)){and_articles})
    SELECT d.article_id, d.sentence, d.text, d.value, s.text AS sentence_text,
           coalesce(a.published, a.captured) AS reported,
           coalesce(CAST(substr(coalesce(a.published, a.captured), 1, 4) AS INTEGER), a.written_year) AS article_year
    FROM hit JOIN dates d ON d.article_id = hit.article_id AND d.sentence = hit.sentence
    JOIN articles a ON a.id = d.article_id
    JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence
    WHERE {takes_part}
    ORDER BY reported IS NULL, reported, d.article_id, d.sentence, d.id
"""
_MENTIONS_OF_VALUES = _MENTIONS.format(and_articles="", takes_part=_TAKES_PART)
# The first `limit` of them: ordered before the sentences are read, which only the first need.
_FIRST_MENTIONS_OF_VALUES = f"""
    WITH hit AS (SELECT DISTINCT article_id, sentence FROM dates
                 WHERE value IN (SELECT value FROM json_each(:values))),
    first AS (SELECT d.article_id, d.sentence, d.text, d.value, d.id,
                     coalesce(a.published, a.captured) AS reported,
                     coalesce(CAST(substr(coalesce(a.published, a.captured), 1, 4) AS INTEGER), a.written_year)
                         AS article_year
              FROM hit JOIN dates d ON d.article_id = hit.article_id AND d.sentence = hit.sentence
              JOIN articles a ON a.id = d.article_id
              WHERE {_TAKES_PART}
              ORDER BY reported IS NULL, reported, d.article_id, d.sentence, d.id LIMIT :limit)
    SELECT f.article_id, f.sentence, f.text, f.value, s.text, f.reported, f.article_year
    FROM first f JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence
    ORDER BY f.reported IS NULL, f.reported, f.article_id, f.sentence, f.id
"""
# The same rows for a date mentioned in much of the corpus: the originals are walked in that order (an
# index) and each one's sentences that mention a value read, until `limit` rows; the sort above reads
# every mention first.
_FIRST_MENTIONS_BY_WALK = f"""
    WITH first AS (SELECT d.article_id, d.sentence, d.text, d.value, d.id,
                     coalesce(a.published, a.captured) AS reported,
                     coalesce(CAST(substr(coalesce(a.published, a.captured), 1, 4) AS INTEGER), a.written_year)
                         AS article_year
              FROM articles a INDEXED BY articles_in_report_order JOIN dates d ON d.article_id = a.id
              WHERE {_TAKES_PART} AND EXISTS (SELECT 1 FROM dates h WHERE h.article_id = d.article_id
                    AND h.sentence = d.sentence AND h.value IN (SELECT value FROM json_each(:values)))
              ORDER BY coalesce(a.published, a.captured) IS NULL, coalesce(a.published, a.captured), a.id,
                       d.sentence, d.id
              LIMIT :limit)
    SELECT f.article_id, f.sentence, f.text, f.value, s.text, f.reported, f.article_year
    FROM first f JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence
    ORDER BY f.reported IS NULL, f.reported, f.article_id, f.sentence, f.id
"""
_MENTIONS_IN_ARTICLES = _MENTIONS.format(
    and_articles=" AND article_id IN (SELECT value FROM json_each(:ids))", takes_part=_TAKES_PART)


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
    for chunk, busy in await _chunks(conn, by_key):
        await _delete_events(conn, chunk)
        raw = [v for key in chunk for v in by_key[key]]
        if busy:
            events, sources = await _streamed_event_rows(conn, chunk[0], raw, next_id)
        else:
            events, sources = await _chunk_event_rows(conn, chunk, raw, next_id)
        await _insert_events(conn, events, sources)
        next_id += len(events)


async def _insert_events(conn: aiosqlite.Connection, events: list[tuple], sources: list[tuple]) -> None:
    await conn.executemany(
        "INSERT INTO events(id, value, year, month, day, sort_key, rank, label, article_id, sentence, "
        "sentence_text, reports, first_reported) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", events)
    await conn.executemany(
        "INSERT INTO event_articles(event_id, position, article_id, sentence) VALUES (?,?,?,?)", sources)


async def _streamed_event_rows(conn: aiosqlite.Connection, key: str, raw: list[str],
                               first_id: int) -> tuple[list[tuple], list[tuple]]:
    """`_event_rows` for one value with too many mentions to hold at once: grouped as its rows come."""
    grouping = ValueGrouping(key)
    reported: dict[str, str | None] = {}

    def group(rows: list[tuple]) -> None:
        grouping.add(_kept_mentions_of_rows(rows, {key}, reported).get(key, []))

    await _each_batch(conn, raw, group)
    return await asyncio.to_thread(_rows_of_events, grouping.events(), reported, first_id)


async def _chunk_event_rows(conn: aiosqlite.Connection, keys: list[str], raw: list[str],
                            first_id: int) -> tuple[list[tuple], list[tuple]]:
    """`_event_rows` for the values `keys`: only the mentions that make events are held, not every row,
    and the values are grouped one at a time."""
    by_value: dict[str, list[TimelineMention]] = defaultdict(list)
    reported: dict[str, str | None] = {}

    def keep(rows: list[tuple]) -> None:
        for value, mentions in _kept_mentions_of_rows(rows, set(keys), reported).items():
            by_value[value].extend(mentions)

    await _each_batch(conn, raw, keep)
    return await asyncio.to_thread(lambda: _rows_of_events(events_of_values(by_value), reported, first_id))


async def _each_batch(conn: aiosqlite.Connection, raw: list[str], consume) -> None:
    """Hand the mention rows of these values (_MENTIONS) to `consume`, in a thread, about STREAMED_ROWS at a
    time and each article's rows in one batch (which of its dates are kept depends on its other dates)."""
    carry: list[tuple] = []
    async with conn.execute(_MENTIONS_OF_VALUES, {"values": json.dumps(raw)}) as cur:
        while True:
            batch = [tuple(r) for r in await cur.fetchmany(STREAMED_ROWS)]
            rows, carry = (carry + batch, []) if not batch else _whole_articles(carry + batch)
            if rows:
                # Clustering is pure Python over possibly many mentions: off the event loop.
                await asyncio.to_thread(consume, rows)
            if not batch:
                break


def _whole_articles(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(the rows of every article but the last, the last article's rows: they may go on in the next batch)."""
    split = len(rows)
    while split and rows[split - 1][0] == rows[-1][0]:
        split -= 1
    return rows[:split], rows[split:]


def _kept_mentions_of_rows(rows: list[tuple], keys: set[str],
                           reported: dict[str, str | None]) -> dict[str, list[TimelineMention]]:
    """`kept_mentions` of these rows (whole articles) for the values `keys`; notes when each article was reported."""
    mentions, seen = _timeline_mentions(rows)
    for article_id, when in seen.items():
        reported.setdefault(article_id, when)
    return kept_mentions(mentions, keys)


async def _chunks(conn: aiosqlite.Connection, by_key: dict[str, list[str]]) -> list[tuple[list[str], bool]]:
    """The normalised values in groups of about MENTIONS_PER_QUERY mentions; a value with more is
    alone in its group, marked busy (streamed)."""
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
    return [(c, len(c) == 1 and sum(counts.get(v, 0) for v in by_key[c[0]]) > MENTIONS_PER_QUERY)
            for c in chunks if c]


async def _delete_events(conn: aiosqlite.Connection, keys: list[str]) -> None:
    wanted = json.dumps(keys)
    await conn.execute("DELETE FROM event_articles WHERE event_id IN (SELECT id FROM events "
                       "WHERE value IN (SELECT value FROM json_each(?)))", (wanted,))
    await conn.execute("DELETE FROM events WHERE value IN (SELECT value FROM json_each(?))", (wanted,))


def _timeline_mentions(rows: list[tuple]) -> tuple[list[TimelineMention], dict[str, str | None]]:
    """The mentions of these rows (_MENTIONS), and when each article was reported."""
    reported = {}
    mentions = []
    for article_id, sentence, text, value, sentence_text, when, article_year in rows:
        reported.setdefault(article_id, when)
        mentions.append(TimelineMention(article_id=article_id, article_title=None, value=value, text=text,
                                        sentence=sentence_text, sentence_idx=sentence, article_year=article_year))
    return mentions, reported


def _event_rows(rows: list[tuple], keys: set[str], first_id: int) -> tuple[list[tuple], list[tuple]]:
    """(events rows, event_articles rows) for the events of `keys` among these mention rows."""
    mentions, reported = _timeline_mentions(rows)
    return _rows_of_events(build_timeline(mentions, values=keys), reported, first_id)


def _rows_of_events(timeline_events: list[TimelineEvent], reported: dict[str, str | None],
                    first_id: int) -> tuple[list[tuple], list[tuple]]:
    events, sources = [], []
    rank, previous = 0, None
    for event_id, event in enumerate(timeline_events, start=first_id):
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


# ---------------------------------------------------------------------------- updates in place
def _article_order(reported: str | None, article_id: str) -> tuple:
    """Where an article's mentions come in the order that makes events (as _MENTIONS sorts them)."""
    return reported is None, reported or "", article_id


def _reported(mention: Mention) -> str | None:
    published, captured = mention[5], mention[6]
    return published if published is not None else captured


async def update_events(conn: aiosqlite.Connection, balance: Counter) -> None:
    """Bring the events in step with a balance of mentions (arrived - left, see `changed_values`):
    in place where every change comes after a value's core, by a rebuild of the value otherwise."""
    changed: dict[str, list[Mention]] = defaultdict(list)
    for mention, n in balance.items():
        if n:
            changed[normalise_value(mention[0])].append(mention)
    rebuild = []
    for key in sorted(changed):
        if not await _update_in_place(conn, key, changed[key]):
            rebuild.extend({m[0] for m in changed[key]})
    await rebuild_events(conn, rebuild)


async def _update_in_place(conn: aiosqlite.Connection, key: str, changed: list[Mention]) -> bool:
    """Move the reports of the articles whose mentions of `key` changed; False (and possibly half done,
    for a rebuild to replace) when a change reaches into the value's core."""
    raw = sorted({m[0] for m in changed})
    first = await _first_mentions(conn, key, raw)
    if first is None:
        return False
    core_mentions, last = first
    # Before and after: an article whose date changed moves in the order.
    if any(_article_order(_reported(m), m[1]) <= last for m in changed):
        return False
    articles = {m[1] for m in changed}
    core = _core_of(key, core_mentions)
    stored = await _stored_events(conn, key)
    founded = {}  # (article, sentence, label) of each core event's chosen sentence: its index in the core
    for k, event in enumerate(core.events()):
        founded[(event.source.article_id, event.source.sentence_idx, event.label)] = k
    if len(founded) != len(core.clusters):
        return False
    core_ids: dict[int, int] = {}  # event id: core index
    for event_id, article_id, sentence, label, *_ in stored:
        k = founded.get((article_id, sentence, label))
        if k is not None:
            core_ids[event_id] = k
    if len(core_ids) != len(core.clusters):
        return False

    async with conn.execute(_MENTIONS_IN_ARTICLES, {"values": json.dumps(raw), "ids": json.dumps(sorted(articles))}) as cur:
        mentions, reported = _timeline_mentions([tuple(r) for r in await cur.fetchall()])
    if any(_article_order(when, a) <= last for a, when in reported.items()):
        return False
    joins: dict[int, dict[str, TimelineMention]] = defaultdict(dict)  # core index: article: its first mention
    lone = []
    for mention in kept_mentions(mentions, {key}).get(key, []):
        k = core.event_of_mention(mention)
        if k is None:
            lone.append(mention)
        else:
            joins[k].setdefault(mention.article_id, mention)

    # Out: the changed articles' own events and their reports of core events.
    leaving = [row[0] for row in stored if row[0] not in core_ids and row[1] in articles]
    await _delete_events_by_id(conn, leaving)
    async with conn.execute("SELECT DISTINCT event_id FROM event_articles WHERE article_id IN "
                            "(SELECT value FROM json_each(?))", (json.dumps(sorted(articles)),)) as cur:
        touched = {r[0] for r in await cur.fetchall()} & set(core_ids)
    # In: their reports now.
    index_of = {k: event_id for event_id, k in core_ids.items()}
    touched |= {index_of[k] for k in joins}
    for event_id in sorted(touched):
        arriving = joins.get(core_ids[event_id], {})
        await _move_reports(conn, event_id, set(articles), [
            (_article_order(reported[a], a), a, m.sentence_idx) for a, m in arriving.items()])
    await _insert_lone_events(conn, lone, reported)
    return await _rerank(conn, key, core_ids)


async def _first_mentions(conn: aiosqlite.Connection, key: str,
                          raw: list[str]) -> tuple[list[TimelineMention], tuple] | None:
    """The mentions of a value's core and where the last of them comes in order; None when the value has
    fewer mentions than a core (it is grouped whole: a rebuild is the update)."""
    limit = 2 * timeline.CORE_MENTIONS
    async with conn.execute("SELECT (SELECT count(*) FROM dates WHERE value IN (SELECT value FROM json_each(?))), "
                            "(SELECT count(*) FROM articles)", (json.dumps(raw),)) as cur:
        counted, corpus_size = await cur.fetchone()
    while True:
        # The walk reads about `corpus_size * limit / counted` articles (mentions spread over the corpus),
        # the sort every mention.
        walk = counted * counted > WALK_COST * corpus_size * limit
        query = _FIRST_MENTIONS_BY_WALK if walk else _FIRST_MENTIONS_OF_VALUES
        async with conn.execute(query, {"values": json.dumps(raw), "limit": limit}) as cur:
            rows = [tuple(r) for r in await cur.fetchall()]
        complete = len(rows) < limit
        if not complete:  # the last sentence may be cut short: its other dates matter
            cut = rows[-1][:2]
            while rows and rows[-1][:2] == cut:
                rows.pop()
        mentions, reported = _timeline_mentions(rows)
        kept = kept_mentions(mentions, {key}).get(key, [])
        if len(kept) >= timeline.CORE_MENTIONS:
            core = kept[:timeline.CORE_MENTIONS]
            last = core[-1].article_id
            return core, _article_order(reported[last], last)
        if complete:
            return None
        limit *= 4


def _core_of(key: str, core_mentions: list[TimelineMention]) -> ValueCore:
    """`ValueCore.of`, kept for the next reload (a ValueCore is a pure function of its value and mentions)."""
    remembered = (key, tuple(core_mentions))
    core = _cores.get(remembered)
    if core is None:
        core = _cores[remembered] = ValueCore.of(key, core_mentions)
        if len(_cores) > KEPT_CORES:
            _cores.popitem(last=False)
    else:
        _cores.move_to_end(remembered)
    return core


async def _stored_events(conn: aiosqlite.Connection, key: str) -> list[tuple]:
    async with conn.execute("SELECT id, article_id, sentence, label, reports, first_reported, rank "
                            "FROM events WHERE value = ?", (key,)) as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def _delete_events_by_id(conn: aiosqlite.Connection, ids: list[int]) -> None:
    wanted = json.dumps(ids)
    await conn.execute("DELETE FROM event_articles WHERE event_id IN (SELECT value FROM json_each(?))", (wanted,))
    await conn.execute("DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))", (wanted,))


async def _move_reports(conn: aiosqlite.Connection, event_id: int, leaving: set[str],
                        arriving: list[tuple[tuple, str, int]]) -> None:
    """The reports of a core event without the `leaving` articles' and with `arriving` ones
    ((order, article, sentence)), in order; only the positions that change are rewritten."""
    async with conn.execute("SELECT article_id, sentence FROM event_articles WHERE event_id = ? ORDER BY position",
                            (event_id,)) as cur:
        before = [tuple(r) for r in await cur.fetchall()]
    # (position before, or None for an arriving report; the report)
    after: list[tuple[int | None, tuple]] = [(p, row) for p, row in enumerate(before) if row[0] not in leaving]
    # The reports are in order already: each arriving one goes where a binary search over the
    # staying articles' order puts it (a few lookups, not the order of every report).
    for order, article_id, sentence in sorted(arriving):
        low, high = 0, len(after)
        while low < high:
            middle = (low + high) // 2
            if await _order_of_article(conn, after[middle][1][0]) < order:
                low = middle + 1
            else:
                high = middle
        after.insert(low, (None, (article_id, sentence)))
    await _rewrite_positions(conn, event_id, before, after)
    await conn.execute("UPDATE events SET reports = ? WHERE id = ?", (len(after), event_id))


async def _rewrite_positions(conn: aiosqlite.Connection, event_id: int, before: list[tuple],
                             after: list[tuple[int | None, tuple]]) -> None:
    """Store an event's reports `after` (see _move_reports) over `before`: the leaving reports are deleted,
    the arriving ones inserted, and the staying ones that move are shifted a run at a time.

    A busy event has tens of thousands of reports, and an article that leaves or arrives near the start
    moves every later one: a range UPDATE of their positions costs a fraction of deleting and inserting
    them again (about 0.35 s against 1.2 s or more for 70,000)."""
    staying = {p for p, _ in after if p is not None}
    arriving = {q: row for q, (p, row) in enumerate(after) if p is None}
    gone = {p for p in range(len(before)) if p not in staying}
    # A report that leaves and comes back (an edited article still reports the event in the same
    # sentence) keeps its row and moves like a staying one: a delete and an insert would also take
    # its sentence out of event_words and put it back (schema migration 19).
    gone_by_report = {before[p]: p for p in gone}
    for q, row in list(arriving.items()):
        p = gone_by_report.pop(row, None)
        if p is not None:
            gone.discard(p)
            del arriving[q]
            after[q] = (p, row)
    await conn.executemany("DELETE FROM event_articles WHERE event_id = ? AND position = ?",
                           [(event_id, p) for p in sorted(gone)])
    runs: list[list[int]] = []  # [first position before, last position before, shift]: a run that moves as one
    for q, (p, _) in enumerate(after):
        if p is None or p == q:
            continue
        if runs and runs[-1][2] == q - p and runs[-1][1] == p - 1:
            runs[-1][1] = p
        else:
            runs.append([p, p, q - p])
    if runs:
        # Through negative positions, so that no shifted report lands on one not shifted yet.
        await conn.executemany("UPDATE event_articles SET position = -1 - (position + ?) "
                               "WHERE event_id = ? AND position BETWEEN ? AND ?",
                               [(shift, event_id, first, last) for first, last, shift in runs])
        await conn.execute("UPDATE event_articles SET position = -1 - position WHERE event_id = ? AND position < 0",
                           (event_id,))
    await conn.executemany("INSERT INTO event_articles(event_id, position, article_id, sentence) VALUES (?,?,?,?)",
                           [(event_id, q, *row) for q, row in sorted(arriving.items())])


async def _order_of_article(conn: aiosqlite.Connection, article_id: str) -> tuple:
    async with conn.execute("SELECT coalesce(published, captured) FROM articles WHERE id = ?", (article_id,)) as cur:
        return _article_order((await cur.fetchone())[0], article_id)


async def _insert_lone_events(conn: aiosqlite.Connection, mentions: list[TimelineMention],
                              reported: dict[str, str | None]) -> None:
    """Later mentions that join no core event: an event each (ranked afterwards)."""
    async with conn.execute("SELECT coalesce(max(id), 0) FROM events") as cur:
        next_id = (await cur.fetchone())[0] + 1
    events, sources = [], []
    for event_id, mention in enumerate(mentions, start=next_id):
        event = lone_event(mention)
        events.append(_event_row(event_id, event, 0, reported[mention.article_id]))
        sources.extend(_source_rows(event_id, event))
    await _insert_events(conn, events, sources)


async def _rerank(conn: aiosqlite.Connection, key: str, core_ids: dict[int, int]) -> bool:
    """Rank the events of a value as a rebuild would; False when two later events of one sentence
    cannot be told apart in order (a rebuild orders them by their place in the sentence)."""
    stored = await _stored_events(conn, key)
    later = {}
    for event_id, article_id, sentence, label, _, first_reported, _ in stored:
        if event_id not in core_ids:
            if later.setdefault((article_id, sentence), label) != label:
                return False
    events = [(reports, 0, (core_ids[event_id],)) if event_id in core_ids
              else (reports, 1, (*_article_order(first_reported, article_id), sentence))
              for event_id, article_id, sentence, _, reports, first_reported, _ in stored]
    ranks = order_of_events(events)
    await conn.executemany("UPDATE events SET rank = ? WHERE id = ?",
                           [(rank, row[0]) for row, rank in zip(stored, ranks) if row[6] != rank])
    return True
