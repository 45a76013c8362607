"""Writing the corpus on PostgreSQL: one transaction per reload, derived data rebuilt inside it.

The write side of the SQLite driver (bot/store/corpus_writes.py), on asyncpg: a reload streams
batches of `ArticleRows` (built in the worker processes, driver-neutral) into one open
transaction; on leaving it, the corpus-wide data (outlet names, timeline events, people and
their quote counts) is brought up to date in the same transaction, then it commits. Readers, in
this process or any other, see the previous corpus until then; a failure or a killed process
leaves nothing of the reload behind.

Rows go in with COPY (`copy_records_to_table`), the fastest path asyncpg offers. The JSON
the workers encode for SQLite (summary, aliases, parts) becomes PostgreSQL arrays here, and
text goes through `bindable`: PostgreSQL refuses NUL in text, and asyncpg cannot encode a
lone surrogate.
"""
from __future__ import annotations

import asyncio
import json
import string
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import asyncpg

from ...corpus.outlets import outlet_names_by_group
from ..corpus import FileStats
from ..corpus_writes import ArticleRows, PreparedArticle, _merge_rows, article_rows
from ..database import bindable, utc_now
from ..events import changed_values, mentions_of_articles
from ..records import StoredFile
from . import copies
from .database import PostgresDatabase
from .events import rebuild_events, stored_mentions, values_of

_ARTICLE_COLUMNS = ("id", "path", "content_hash", "title", "published", "published_kind", "captured", "written_year",
                    "source", "body", "summary", "ingested_at", "file_size", "file_mtime_ns", "label", "host",
                    "source_given", "minhash")
_SUMMARY = _ARTICLE_COLUMNS.index("summary")


def _aliases_key(aliases: Sequence[str]) -> str:
    """Aliases as the workers encode them (json.dumps of the list): the key people rows balance by."""
    return json.dumps(list(aliases))


class PostgresCorpusBatch:
    """The changes of one reload, written as they come inside one open transaction (see CorpusBatch).

    It keeps the balance of people rows, quotes and date mentions that leave and arrive, so that
    `finish` redoes only what changed.
    """

    def __init__(self, conn: asyncpg.Connection, now: str, into_empty: bool = False):
        self.conn = conn
        self.now = now
        # Into an empty corpus every date value is new: no balance is kept, every value is built at the end
        # (see CorpusBatch).
        self.into_empty = into_empty
        self.changed = False
        self.people_balance: Counter[tuple] = Counter()  # (name, aliases JSON, role, kind): arrived - left
        self.quote_balance: Counter[str] = Counter()  # speaker: quotes arrived - left
        self.mentions_balance: Counter[tuple] = Counter()  # date mentions arrived - left
        self.switched: set[str] = set()  # articles that became a copy, or an original again
        self.known_shingles = copies.ShingleCache()

    async def remove(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        wanted = list(ids)
        rows = await self.conn.fetch("SELECT name, aliases, role, kind FROM article_people "
                                     "WHERE article_id = ANY($1::text[])", wanted)
        self.people_balance.subtract((r[0], _aliases_key(r[1]), r[2], r[3]) for r in rows)
        rows = await self.conn.fetch(
            "SELECT q.speaker, count(*) FROM quotes q JOIN articles a ON a.id = q.article_id "
            "WHERE q.speaker IS NOT NULL AND NOT q.repeat AND a.copy_of IS NULL "
            "AND q.article_id = ANY($1::text[]) GROUP BY q.speaker", wanted)
        self.quote_balance.subtract({r[0]: r[1] for r in rows})
        if not self.into_empty:
            self.mentions_balance.subtract(await stored_mentions(self.conn, wanted))
        await copies.promote_successors(self.conn, wanted, self.quote_balance, self.switched)
        # Sentences, people rows, quotes, dates and LSH keys go with their article (ON DELETE CASCADE).
        await self.conn.execute("DELETE FROM articles WHERE id = ANY($1::text[])", wanted)
        self.known_shingles.discard(wanted)
        self.changed = True

    async def record_file_stats(self, stats: Sequence[FileStats]) -> None:
        """(id, size, mtime_ns) of files whose bytes are unchanged but whose size or time on record is not."""
        if stats:
            await self.conn.executemany("UPDATE articles SET file_size = $2, file_mtime_ns = $3 WHERE id = $1",
                                        list(stats))

    async def insert(self, items: Sequence[ArticleRows]) -> None:
        if not items:
            return
        await _insert_rows(self.conn, items)
        self.people_balance.update(row[1:] for item in items for row in item.people)
        self.quote_balance.update(row[2] for item in items for row in item.quotes if row[2] is not None and not row[5])
        if not self.into_empty:
            self.mentions_balance.update(mentions_of_articles(items))
        for item in items:
            if item.shingles:
                self.known_shingles.put(item.id, item.shingles)
        await copies.join_copies(self.conn, [band for item in items for band in item.bands], self.quote_balance,
                                 self.switched, self.known_shingles)
        self.changed = True

    @property
    def people_changed(self) -> bool:
        return any(self.people_balance.values())

    async def finish(self) -> None:
        """Bring outlet names, timeline events and people up to date, then note when this ingest happened."""
        self.known_shingles.clear()  # the copy checks are done: free their memory before the events are built
        await unify_outlet_names(self.conn)
        if self.into_empty:
            values = {r[0] for r in await self.conn.fetch("SELECT DISTINCT value FROM dates")}
        else:
            values = changed_values(self.mentions_balance) | await values_of(self.conn, self.switched)
        await rebuild_events(self.conn, values)
        if self.people_changed:
            await rebuild_people(self.conn)
        else:
            await _adjust_quote_counts(self.conn, self.quote_balance)
        await self.conn.execute("INSERT INTO meta(key, value) VALUES ('last_ingest', $1) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", self.now)


async def _insert_rows(conn: asyncpg.Connection, items: Sequence[ArticleRows]) -> None:
    articles = []
    for item in items:
        row = list(bindable(item.article))
        row[_SUMMARY] = json.loads(row[_SUMMARY])
        articles.append(row)
    await conn.copy_records_to_table("articles", records=articles, columns=_ARTICLE_COLUMNS)
    await conn.copy_records_to_table("sentences", columns=("article_id", "idx", "paragraph", "text"),
                                     records=[bindable(row) for i in items for row in i.sentences])
    await conn.copy_records_to_table(
        "article_people", columns=("article_id", "name", "aliases", "role", "kind"),
        records=[bindable((a, name, _bindable_array(json.loads(aliases)), role, kind))
                 for i in items for a, name, aliases, role, kind in i.people])
    await conn.copy_records_to_table(
        "quotes", columns=("article_id", "sentence", "speaker", "kind", "text", "repeat", "parts", "published"),
        records=[bindable((a, sentence, speaker, kind, text, bool(repeat),
                           _bindable_array(json.loads(parts)) if parts is not None else None, published))
                 for i in items for a, sentence, speaker, kind, text, repeat, parts, published in i.quotes])
    await conn.copy_records_to_table(
        "dates", columns=("article_id", "sentence", "text", "value", "year", "month", "day"),
        records=[bindable(row) for i in items for row in i.dates])


def _bindable_array(values: list) -> tuple:
    return bindable(tuple(values))


async def unify_outlet_names(conn: asyncpg.Connection) -> None:
    """Every article of one outlet shows one source name (the rule: bot/corpus/outlets.py).

    The rule runs on the corpus's (host, given name, shown name) groups, a few hundred rows, and
    only the groups that show another name than the rule's are rewritten.
    """
    rows = await conn.fetch("SELECT host, source_given, source, count(*) FROM articles "
                            "GROUP BY host, source_given, source")
    counts: Counter[tuple] = Counter()
    for host, given, _, n in rows:
        counts[(host, given)] += n
    wanted = outlet_names_by_group(counts)
    changes = [(wanted.get((host, given), given), host, given, source) for host, given, source, _ in rows
               if wanted.get((host, given), given) != source]
    # `=` finds the rows by the outlet index; NULLs need `IS NULL`, so one statement per pattern of NULLs.
    by_shape: dict[tuple[bool, ...], list[tuple]] = {}
    for new, *old in changes:
        shape = tuple(value is None for value in old)
        by_shape.setdefault(shape, []).append((new, *(value for value in old if value is not None)))
    for shape, params in by_shape.items():
        tests, n = [], 2
        for column, is_null in zip(("host", "source_given", "source"), shape):
            if is_null:
                tests.append(f"{column} IS NULL")
            else:
                tests.append(f"{column} = ${n}")
                n += 1
        await conn.executemany(f"UPDATE articles SET source = $1 WHERE {' AND '.join(tests)}", params)


async def rebuild_people(conn: asyncpg.Connection) -> None:
    """Merge every article's people into one entry per person for the whole corpus (as the SQLite driver)."""
    found = [(r[0], _aliases_key(r[1]), r[2], r[3])
             for r in await conn.fetch("SELECT name, aliases, role, kind FROM article_people")]
    said = {r[0]: r[1] for r in await conn.fetch(
        "SELECT speaker, count(*) FROM quotes WHERE speaker IS NOT NULL AND NOT repeat "
        "AND article_id NOT IN (SELECT id FROM articles WHERE copy_of IS NOT NULL) GROUP BY speaker")}
    # Pure Python over every person of the corpus: off the event loop.
    canonical, persons, counts = await asyncio.to_thread(_merge_rows, found, said)
    await conn.execute("DELETE FROM person_names")
    await conn.execute("DELETE FROM people")
    # Names are unique without case: of two that differ only in case, the first is kept (INSERT OR IGNORE).
    chosen = list(persons.values())
    await conn.execute(
        "INSERT INTO people(name, role, quote_count, kind) "
        "SELECT name, role, quote_count, kind FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[]) "
        "WITH ORDINALITY AS p(name, role, quote_count, kind, n) ORDER BY n ON CONFLICT DO NOTHING",
        [p.name for p in chosen], [p.role for p in chosen], [counts[p.name] for p in chosen], [p.kind for p in chosen])
    ids = {r[1].lower(): r[0] for r in await conn.fetch("SELECT id, name FROM people")}
    # The names articles used decide whose quotes are whose (the last spelling wins, as INSERT OR REPLACE);
    # aliases only help lookups, where no article's name took the spelling (INSERT OR IGNORE).
    # Spellings are told apart as SQLite's NOCASE tells them: ASCII case ignored.
    names: dict[str, tuple[str, int]] = {}
    for name, p in canonical.items():
        names.pop(_nocase(name), None)
        names[_nocase(name)] = (name, ids[p.name.lower()])
    for p in persons.values():
        for alias in (p.name, *p.aliases):
            names.setdefault(_nocase(alias), (alias, ids[p.name.lower()]))
    # Python and PostgreSQL may fold a rare letter differently: a clash is skipped, not an error.
    # In this order: a person's other names are listed in the order they were written.
    await conn.execute("INSERT INTO person_names(name, person_id) SELECT name, person_id "
                       "FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS n(name, person_id, n) ORDER BY n "
                       "ON CONFLICT DO NOTHING", [bindable((n,))[0] for n, _ in names.values()],
                       [i for _, i in names.values()])


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _nocase(name: str) -> str:
    return name.translate(_ASCII_LOWER)


async def _adjust_quote_counts(conn: asyncpg.Connection, balance: Counter[str]) -> None:
    """The people are the same: only how often each was quoted moved."""
    changes = [(n, speaker) for speaker, n in balance.items() if n]
    if changes:
        await conn.executemany(
            "UPDATE people SET quote_count = quote_count + $1 "
            "WHERE id = (SELECT person_id FROM person_names WHERE lower(name) = lower($2))", changes)


class PostgresCorpusWrites(PostgresDatabase):
    """The corpus's write side on PostgreSQL: what the loader (bot/ingest.py) and adding a link use."""

    async def corpus_files(self) -> dict[str, StoredFile]:
        rows = await self.fetch_all("SELECT id, content_hash, file_size, file_mtime_ns FROM articles")
        return {r[0]: StoredFile(r[1], r[2], r[3]) for r in rows}

    async def record_file_stats(self, stats: Sequence[FileStats]) -> None:
        async with self.transaction() as conn:
            await PostgresCorpusBatch(conn, utc_now()).record_file_stats(stats)

    @asynccontextmanager
    async def corpus_changes(self, now: str | None = None, bulk: bool = False) -> AsyncIterator[PostgresCorpusBatch]:
        """One transaction for a whole reload: write batches into it; derived data is rebuilt at the end.

        Readers keep seeing the previous corpus until it commits; an exception rolls everything back.
        `bulk` is the SQLite driver's hint to rebuild its full-text indexes once; PostgreSQL keeps its
        generated tsvector and GIN index up to date row by row at no comparable cost, so it is ignored.
        """
        async with self.transaction() as conn:
            # A reload's tables grow under it, unseen by the planner's statistics: plan each statement for
            # the rows it has now (a plan cached while a table was empty would scan it whole), without JIT.
            await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off")
            into_empty = await conn.fetchval("SELECT 1 FROM articles LIMIT 1") is None
            batch = PostgresCorpusBatch(conn, now or utc_now(), into_empty)
            yield batch
            if batch.changed:
                await batch.finish()

    async def apply_corpus_changes(self, upserts: Sequence[PreparedArticle], removals: Sequence[str]) -> None:
        """Replace `upserts`, delete `removals` and rebuild the derived data, all or nothing."""
        async with self.corpus_changes() as batch:
            await batch.remove(list(removals) + [p.article.id for p in upserts])
            await batch.insert([article_rows(p, batch.now) for p in upserts])
