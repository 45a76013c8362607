"""Writing the corpus: one transaction per reload, people rebuilt inside it.

A reload streams into its transaction: the loader writes articles in batches
as the worker processes finish them, so memory holds a few batches, not the
whole corpus. The rows of an article are built where it was prepared
(`article_rows`, in a worker), so the event loop only hands them on.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiosqlite

from ..corpus.article import ParsedArticle
from ..corpus.headline import headline
from ..corpus.outlets import outlet_names_by_group
from ..nlp.dates import year_of
from ..nlp.near_duplicates import band_keys, shingles, signature
from ..nlp.people import merge_people
from ..nlp.quote_repeats import repeated_quotes
from ..nlp.types import Analysis, Person
from . import copies
from .database import Database, StoreError, utc_now
from .events import all_values, mentions_of_articles, month_day, rebuild_events, stored_mentions, update_events
from .records import StoredFile

log = logging.getLogger(__name__)

# article_people rows read at a time when the people are rebuilt.
PEOPLE_ROWS = 5_000


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article ready to store: the cleaned text and what was extracted from it."""

    path: str
    article: ParsedArticle
    analysis: Analysis
    file_size: int | None = None  # as read, so the next reload can skip the file if it is unchanged
    file_mtime_ns: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """One article as the rows it becomes, built where it was prepared (a worker process)."""

    id: str
    article: tuple
    sentences: tuple[tuple, ...]
    people: tuple[tuple, ...]
    quotes: tuple[tuple, ...]
    dates: tuple[tuple, ...]
    bands: tuple[tuple[int, str], ...] = ()  # (LSH key, id): how copies of the story find it
    shingles: bytes = b""  # the body's, packed (copies.pack_shingles): a copy check need not hash it again


def article_rows(item: PreparedArticle, now: str) -> ArticleRows:
    a, an = item.article, item.analysis
    sentences, index = [], 0
    for p_no, paragraph in enumerate(a.paragraphs):
        for text in paragraph:
            sentences.append((a.id, index, p_no, text))
            index += 1
    repeats = repeated_quotes(an.quotes)
    body_shingles = shingles(a.body)
    body_signature = signature(body_shingles)
    dates = []
    for d in an.dates:
        month, day = month_day(d.value)
        dates.append((a.id, d.sentence, d.text, d.value, year_of(d.value), month, day))
    return ArticleRows(
        id=a.id,
        article=(a.id, item.path, a.content_hash, a.title, a.published, a.published_kind, a.captured, an.written_year, a.source,
                 a.body, json.dumps(list(an.summary)), now, item.file_size, item.file_mtime_ns, _label(a),
                 a.host, a.source, copies.pack_sketch(len(body_shingles), body_signature)),
        sentences=tuple(sentences),
        people=tuple((a.id, p.name, json.dumps(list(p.aliases)), p.role, p.kind) for p in _unique_people(an.people)),
        quotes=tuple((a.id, q.sentence, q.speaker, q.kind, q.text, i in repeats,
                      json.dumps(list(q.parts)) if q.parts else None, a.published)
                     for i, q in enumerate(an.quotes)),
        dates=tuple(dates),
        bands=tuple((key, a.id) for key in band_keys(body_signature)),
        shingles=copies.pack_shingles(body_shingles) if body_signature else b"",
    )


def _label(article: ParsedArticle) -> str:
    """What lists show for an article: its title, or a short headline made from its first sentence."""
    if article.title is not None:
        return article.title
    first = article.paragraphs[0][0] if article.paragraphs and article.paragraphs[0] else article.id
    return headline(first) or article.id


class CorpusBatch:
    """The changes of one reload, written as they come inside one open transaction.

    It also keeps the balance of people rows and quotes that leave and arrive: when
    the same people rows come back (an article corrected, not re-cast), the
    corpus-wide people need no new merge, only their quote counts adjusted.
    """

    def __init__(self, conn: aiosqlite.Connection, now: str, into_empty: bool = False):
        self.conn = conn
        self.now = now
        # Into an empty corpus every date value is new: its events are built once at the end, from all
        # mentions, and no balance is kept (it would hold every mention of the corpus with its sentence,
        # about 450 MB at 100,000 articles).
        self.into_empty = into_empty
        self.changed = False
        self.people_balance: Counter[tuple] = Counter()  # (name, aliases, role, kind): arrived - left
        # Into an empty corpus every people row arrives and none leaves: whether any did is all that counts
        # (the balance would hold every distinct row, about 20 MB at 100,000 articles).
        self.people_arrived = False
        self.quote_balance: Counter[str] = Counter()  # speaker: quotes arrived - left
        # The date mentions of originals that leave and arrive (only originals' mentions make events): an
        # article that becomes a copy takes its mentions away, one that becomes an original brings them.
        # The events of a value whose balance is not zero at the end are rebuilt; a copy promoted and then
        # demoted again in one reload (its original was edited) nets out.
        self.mentions_balance: Counter[tuple] = Counter()
        self.switched: set[str] = set()  # articles that became a copy, or an original again (copies.py)
        # Removed by the last remove(), but their articles row, sentences and band keys kept for the
        # insert() that follows to replace in place: an edited article mostly keeps its sentences, and
        # each sentence deleted and inserted again costs its full-text index entries twice.
        self.replacing: set[str] = set()
        self.known_shingles = copies.ShingleCache()

    async def remove(self, ids: Sequence[str]) -> None:
        """Take these articles out. Until the next call, their articles row, sentences and band keys stay
        (nothing reads them: copies.promote_successors has already handed on their groups), so that an
        insert() of the same ids right after replaces them in place; any other call deletes them first."""
        if not ids:
            return
        await self._drop_replacing()
        wanted = json.dumps(list(ids))
        async with self.conn.execute(
                "SELECT name, aliases, role, kind FROM article_people "
                "WHERE article_id IN (SELECT value FROM json_each(?))", (wanted,)) as cur:
            self.people_balance.subtract(tuple(r) for r in await cur.fetchall())
        async with self.conn.execute(
                "SELECT q.speaker, COUNT(*) FROM quotes q JOIN articles a ON a.id = q.article_id "
                "WHERE q.speaker IS NOT NULL AND NOT q.repeat AND a.copy_of IS NULL "
                "AND q.article_id IN (SELECT value FROM json_each(?)) GROUP BY q.speaker", (wanted,)) as cur:
            self.quote_balance.subtract({r[0]: r[1] for r in await cur.fetchall()})
        if not self.into_empty:
            self.mentions_balance.subtract(await stored_mentions(self.conn, ids, originals_only=True))
        promoted: set[str] = set()
        await copies.promote_successors(self.conn, ids, self.quote_balance, promoted)
        await self._switched(promoted, became_original=True)
        await _delete_children(self.conn, ids)
        async with self.conn.execute("SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                                     (wanted,)) as cur:
            self.replacing = {r[0] for r in await cur.fetchall()}  # the ids stored: others may be new
        self.known_shingles.discard(ids)
        self.changed = True

    async def _drop_replacing(self, keep: Collection[str] = ()) -> None:
        """Delete the rest of the removed articles that are not being replaced (`keep`)."""
        gone = self.replacing - set(keep)
        self.replacing = set()
        if gone:
            await _delete_articles(self.conn, sorted(gone))

    async def record_file_stats(self, stats: Sequence[tuple[str, int | None, int | None]]) -> None:
        """(id, size, mtime_ns) of files whose bytes are unchanged but whose size or time on record is not."""
        if stats:
            await self.conn.executemany("UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
                                        [(size, mtime, i) for i, size, mtime in stats])

    async def insert(self, items: Sequence[ArticleRows]) -> None:
        if not items:
            return
        replaced = self.replacing & {i.id for i in items}
        await self._drop_replacing(keep=replaced)
        kept_bands = await _insert_rows(self.conn, items, replaced)
        if self.into_empty:
            self.people_arrived = self.people_arrived or any(item.people for item in items)
        else:
            self.people_balance.update(row[1:] for item in items for row in item.people)
        self.quote_balance.update(row[2] for item in items for row in item.quotes if row[2] is not None and not row[5])
        if not self.into_empty:
            self.mentions_balance.update(mentions_of_articles(items))
        for item in items:
            if item.shingles:
                self.known_shingles.put(item.id, item.shingles)
        demoted: set[str] = set()
        await copies.join_copies(self.conn, [band for item in items for band in item.bands], self.quote_balance,
                                 demoted, self.known_shingles, stored=kept_bands)
        await self._switched(demoted, became_original=False)
        self.changed = True

    async def _switched(self, ids: set[str], became_original: bool) -> None:
        """Articles just promoted to originals bring their date mentions to the events; demoted ones take them."""
        if not ids:
            return
        self.switched |= ids
        if self.into_empty:
            return
        mentions = await stored_mentions(self.conn, ids)
        if became_original:
            self.mentions_balance.update(mentions)
        else:
            self.mentions_balance.subtract(mentions)

    @property
    def people_changed(self) -> bool:
        return self.people_arrived or any(self.people_balance.values())

    async def finish(self) -> None:
        """Bring the corpus-wide outlet names, people and timeline events up to date, then note when this
        ingest happened. Only the events of the date values whose mentions (of originals) changed are rebuilt."""
        await self._drop_replacing()
        self.known_shingles.clear()  # the copy checks are done: free their memory before the events are built
        await unify_outlet_names(self.conn)
        if self.into_empty:
            async with _event_words_rebuilt(self.conn):
                await rebuild_events(self.conn, await all_values(self.conn))
        else:
            await update_events(self.conn, self.mentions_balance)
        if self.people_changed:
            await rebuild_people(self.conn)
        else:
            await _adjust_quote_counts(self.conn, self.quote_balance)
        await self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('last_ingest', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (self.now,),
        )


async def unify_outlet_names(conn: aiosqlite.Connection) -> None:
    """Every article of one outlet shows one source name (the rule: bot/corpus/outlets.py).

    The rule runs on the corpus's (host, given name, shown name) groups, counted from the
    `articles_by_outlet` index (a few hundred rows, never the articles themselves), and only
    the groups that show another name than the rule's are rewritten.
    """
    async with conn.execute("SELECT host, source_given, source, COUNT(*) FROM articles "
                            "GROUP BY host, source_given, source") as cur:
        rows = await cur.fetchall()
    counts: Counter[tuple] = Counter()
    for host, given, _, n in rows:
        counts[(host, given)] += n
    wanted = outlet_names_by_group(counts)
    changes = [(wanted.get((host, given), given), host, given, source) for host, given, source, _ in rows
               if wanted.get((host, given), given) != source]
    if changes:
        await conn.executemany("UPDATE articles SET source = ? "
                               "WHERE host IS ? AND source_given IS ? AND source IS ?", changes)


async def _adjust_quote_counts(conn: aiosqlite.Connection, balance: Counter[str]) -> None:
    """The people are the same: only how often each was quoted moved."""
    changes = [(n, speaker) for speaker, n in balance.items() if n]
    if changes:
        await conn.executemany(
            "UPDATE people SET quote_count = quote_count + ? "
            "WHERE id = (SELECT person_id FROM person_names WHERE name = ?)", changes)


def _read_corpus_files(path) -> dict[str, StoredFile]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, content_hash, file_size, file_mtime_ns FROM articles").fetchall()
    finally:
        conn.close()
    return {r[0]: StoredFile(r[1], r[2], r[3]) for r in rows}


class CorpusWrites(Database):
    @classmethod
    async def open(cls, path):
        store = await super().open(path)
        try:
            await store._build_stale_events()
        except BaseException:
            await store.close()
            raise
        return store

    async def _build_stale_events(self) -> None:
        """After the upgrade that added events: build the events of every stored date mention, once."""
        if await self.fetch_one("SELECT 1 FROM meta WHERE key = 'events_stale'") is None:
            return
        log.info("building the timeline events of %s (once, after an upgrade)", self.path)
        try:
            async with self.transaction() as conn, _event_words_rebuilt(conn):
                await rebuild_events(conn, await all_values(conn))
                await conn.execute("DELETE FROM meta WHERE key = 'events_stale'")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot build the timeline events ({exc})") from exc

    async def corpus_hashes(self) -> dict[str, str]:
        rows = await self.fetch_all("SELECT id, content_hash FROM articles")
        return {r["id"]: r["content_hash"] for r in rows}

    async def corpus_files(self) -> dict[str, StoredFile]:
        # 100,000 rows: read as plain tuples on a connection of its own, in a thread, so neither
        # the reads nor the dict hold the event loop.
        return await asyncio.to_thread(_read_corpus_files, self.path)

    async def record_file_stats(self, stats: Sequence[tuple[str, int | None, int | None]]) -> None:
        async with self.transaction() as conn:
            await CorpusBatch(conn, utc_now()).record_file_stats(stats)

    @asynccontextmanager
    async def corpus_changes(self, now: str | None = None, bulk: bool = False) -> AsyncIterator[CorpusBatch]:
        """One transaction for a whole reload: write batches into it; people are rebuilt at the end.

        Readers keep seeing the previous corpus until it commits; an exception rolls everything back.
        `bulk`: the reload rewrites much of the corpus, so the full-text indexes are rebuilt once at
        the end instead of row by row (see `_bulk_indexing`).
        """
        async with self.transaction() as conn:
            async with conn.execute("SELECT 1 FROM articles LIMIT 1") as cur:
                into_empty = await cur.fetchone() is None
            batch = CorpusBatch(conn, now or utc_now(), into_empty)
            if bulk:
                async with _bulk_indexing(conn):
                    yield batch
            else:
                yield batch
            if batch.changed:
                await batch.finish()

    async def apply_corpus_changes(self, upserts: Sequence[PreparedArticle], removals: Sequence[str]) -> None:
        """Replace `upserts`, delete `removals` and rebuild people, all or nothing."""
        async with self.corpus_changes() as batch:
            await batch.remove(list(removals) + [p.article.id for p in upserts])
            await batch.insert([article_rows(p, batch.now) for p in upserts])


# The tables whose triggers keep full-text indexes in step, and those indexes (event_words is also kept
# by triggers on event_articles, which a bulk reload does not write: the events are built after it).
_INDEXED_TABLES = {"sentences": ("sentences_fts", "event_words"), "articles": ("articles_label_fts",)}


def _bulk_indexing(conn: aiosqlite.Connection):
    """Inside the open transaction: drop the index triggers, then rebuild the indexes and restore them.

    Row by row, the triggers cost about 0.7 ms of CPU per article written (most of the write
    path); a rebuild reindexes the whole table at about 0.06 ms per article.
    """
    return _indexes_rebuilt(conn, _INDEXED_TABLES, [index for indexes in _INDEXED_TABLES.values() for index in indexes])


def _event_words_rebuilt(conn: aiosqlite.Connection):
    """While every event is built anew: event_words rebuilt once at the end, not row by row by the
    triggers on event_articles (which cost about as much CPU again as building the events)."""
    return _indexes_rebuilt(conn, ["event_articles"], ["event_words"])


@asynccontextmanager
async def _indexes_rebuilt(conn: aiosqlite.Connection, tables: Collection[str],
                           indexes: Collection[str]) -> AsyncIterator[None]:
    """Drop the triggers on `tables`, then rebuild the full-text `indexes` and restore the triggers.
    DDL is transactional in SQLite, so readers never see the triggers gone, and a rollback restores them."""
    async with conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name IN (SELECT value FROM json_each(?))", (json.dumps(list(tables)),)) as cur:
        triggers = [(r[0], r[1]) for r in await cur.fetchall()]
    for name, _ in triggers:
        await conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for index in indexes:
        await conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    for _, sql in triggers:
        await conn.execute(sql)


async def _delete_children(conn: aiosqlite.Connection, ids: Sequence[str]) -> None:
    """Every row of these articles but their articles row, sentences and band keys (see CorpusBatch.remove)."""
    params = [(i,) for i in ids]
    for table in ("quotes", "dates", "article_people"):
        await conn.executemany(f"DELETE FROM {table} WHERE article_id = ?", params)


async def _delete_articles(conn: aiosqlite.Connection, ids: Sequence[str]) -> None:
    """The rest of removed articles (after `_delete_children`)."""
    params = [(i,) for i in ids]
    # Children first and explicitly, so the FTS delete trigger sees every sentence.
    for table in ("sentences", "article_bands"):
        await conn.executemany(f"DELETE FROM {table} WHERE article_id = ?", params)
    await conn.executemany("DELETE FROM articles WHERE id = ?", params)


_ARTICLE_COLUMNS = ("id", "path", "content_hash", "title", "published", "published_kind", "captured", "written_year",
                    "source", "body", "summary", "ingested_at", "file_size", "file_mtime_ns", "label", "host",
                    "source_given", "minhash")  # as ArticleRows.article gives them
_LABEL = _ARTICLE_COLUMNS.index("label")
# A replaced article is as a new one: every column rewritten, and an original until copies.join_copies
# says otherwise. The label apart: writing it, even unchanged, reindexes it (articles_label_au).
_REPLACE_ARTICLE = ("UPDATE articles SET "
                    + ", ".join(f"{c} = ?" for c in _ARTICLE_COLUMNS[1:] if c != "label")
                    + ", copy_of = NULL WHERE id = ?")


def _replacement(row: tuple) -> tuple:
    return (*(v for k, v in enumerate(row[1:], start=1) if k != _LABEL), row[0])


async def _insert_rows(conn: aiosqlite.Connection, items: Sequence[ArticleRows],
                       replaced: Collection[str] = ()) -> set[tuple[int, str]]:
    """Write the rows of `items`; those of `replaced` (whose articles row, sentences and band keys are still
    stored) in place: their sentences whose paragraph and text are the same are kept as they are. Returns
    the band keys of `items` that are stored already (copies.join_copies stores the others)."""
    kept_bands: set[tuple[int, str]] = set()
    await conn.executemany(
        f"INSERT INTO articles({', '.join(_ARTICLE_COLUMNS)}) VALUES ({','.join('?' * len(_ARTICLE_COLUMNS))})",
        [i.article for i in items if i.id not in replaced])
    sentences = [row for i in items if i.id not in replaced for row in i.sentences]
    if replaced:
        again = [i for i in items if i.id in replaced]
        await conn.executemany(_REPLACE_ARTICLE, [_replacement(i.article) for i in again])
        await conn.executemany("UPDATE articles SET label = ? WHERE id = ? AND label IS NOT ?",
                               [(i.article[_LABEL], i.id, i.article[_LABEL]) for i in again])
        async with conn.execute("SELECT id, article_id, idx, paragraph, text FROM sentences "
                                "WHERE article_id IN (SELECT value FROM json_each(?))",
                                (json.dumps(sorted(replaced)),)) as cur:
            stored = {(r[1], r[2]): (r[0], r[3], r[4]) for r in await cur.fetchall()}
        kept = set()
        for i in again:
            for row in i.sentences:
                old = stored.get(row[:2])
                if old is not None and old[1:] == row[2:]:
                    kept.add(old[0])
                else:
                    sentences.append(row)
        await conn.executemany("DELETE FROM sentences WHERE id = ?",
                               [(old[0],) for old in stored.values() if old[0] not in kept])
        kept_bands = await _drop_stale_bands(conn, again)
    await conn.executemany("INSERT INTO sentences(article_id, idx, paragraph, text) VALUES (?,?,?,?)", sentences)
    await conn.executemany("INSERT INTO article_people(article_id, name, aliases, role, kind) VALUES (?,?,?,?,?)",
                           [row for i in items for row in i.people])
    await conn.executemany("INSERT INTO quotes(article_id, sentence, speaker, kind, text, repeat, parts, published) "
                           "VALUES (?,?,?,?,?,?,?,?)",
                           [row for i in items for row in i.quotes])
    await conn.executemany(
        "INSERT INTO dates(article_id, sentence, text, value, year, month, day) VALUES (?,?,?,?,?,?,?)",
        [row for i in items for row in i.dates])
    return kept_bands


async def _drop_stale_bands(conn: aiosqlite.Connection, items: Sequence[ArticleRows]) -> set[tuple[int, str]]:
    """Delete the stored band keys of replaced articles that their new text no longer has; the ones it
    still has are returned."""
    async with conn.execute("SELECT key, article_id FROM article_bands WHERE article_id IN "
                            "(SELECT value FROM json_each(?))", (json.dumps(sorted(i.id for i in items)),)) as cur:
        stored = {tuple(r) for r in await cur.fetchall()}
    stale = stored - {band for i in items for band in i.bands}
    await conn.executemany("DELETE FROM article_bands WHERE key = ? AND article_id = ?", sorted(stale))
    return stored - stale


def _unique_people(people: Sequence[Person]) -> list[Person]:
    seen: dict[str, Person] = {}
    for p in people:
        seen.setdefault(p.name, p)
    return list(seen.values())


async def rebuild_people(conn: aiosqlite.Connection) -> None:
    """Merge every article's people into one entry per person for the whole corpus."""
    # Read a batch at a time: each row becomes a reference to one shared Person per distinct row
    # (a few thousand), where all rows at once held about 600 bytes each (240,000 rows at 100,000 articles).
    found: list[Person] = []
    made: dict[tuple, Person] = {}
    async with conn.execute("SELECT name, aliases, role, kind FROM article_people") as cur:
        while rows := await cur.fetchmany(PEOPLE_ROWS):
            found.extend(_people_of_rows(rows, made))
    # One pass over the quotes table (not the speaker index, which then fetches every quote row at
    # random), and the copies' ids from their partial index rather than each quote's article row.
    async with conn.execute(
            "SELECT speaker, COUNT(*) FROM quotes NOT INDEXED WHERE speaker IS NOT NULL AND NOT repeat "
            "AND article_id NOT IN (SELECT id FROM articles WHERE copy_of IS NOT NULL) GROUP BY speaker") as cur:
        said = {r[0]: r[1] for r in await cur.fetchall()}
    # Pure Python over every person of the corpus: off the event loop.
    canonical, persons, counts = await asyncio.to_thread(_merge_persons, found, said)
    await conn.execute("DELETE FROM person_names")
    await conn.execute("DELETE FROM people")
    await conn.executemany(
        "INSERT OR IGNORE INTO people(name, role, quote_count, kind) VALUES (?,?,?,?)",
        [(p.name, p.role, counts[p.name], p.kind) for p in persons.values()])
    async with conn.execute("SELECT id, name FROM people") as cur:
        ids = {r[1].lower(): r[0] for r in await cur.fetchall()}
    # The names articles used decide whose quotes are whose; aliases only help lookups.
    await conn.executemany("INSERT OR REPLACE INTO person_names(name, person_id) VALUES (?,?)",
                           [(name, ids[p.name.lower()]) for name, p in canonical.items()])
    await conn.executemany("INSERT OR IGNORE INTO person_names(name, person_id) VALUES (?,?)",
                           [(alias, ids[p.name.lower()]) for p in persons.values() for alias in (p.name, *p.aliases)])


def _people_of_rows(rows, made: dict[tuple, Person]) -> list[Person]:
    """article_people rows (name, aliases, role, kind) as Persons; `made`: each distinct row's, built once
    (most rows repeat a few hundred people)."""
    out = []
    for r in rows:
        key = (r[0], r[1], r[2], r[3])
        found = made.get(key)
        if found is None:
            found = made[key] = Person(key[0], tuple(json.loads(key[1])), key[2], key[3])
        out.append(found)
    return out


def _merge_rows(rows, said: dict[str, int]) -> tuple[dict[str, Person], dict[str, Person], Counter[str]]:
    return _merge_persons(_people_of_rows(rows, {}), said)


def _merge_persons(people: list[Person],
                   said: dict[str, int]) -> tuple[dict[str, Person], dict[str, Person], Counter[str]]:
    canonical = merge_people(people)
    counts: Counter[str] = Counter()
    for name, n in said.items():
        if name in canonical:
            counts[canonical[name].name] += n
    persons = {p.name: p for p in canonical.values()}
    return canonical, persons, counts
