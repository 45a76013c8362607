"""The corpus written to PostgreSQL is the corpus SQLite stores: the same rows, the same derived data,
through the same reloads; a failed or killed reload leaves the previous corpus whole."""
from __future__ import annotations

import asyncio
import inspect
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest

from bot.ingest import CorpusLoader, prepare_file
from bot.store import CorpusChanges, CorpusStore, FeedState, SqliteStore, StoreWriteError
from bot.store.corpus_writes import article_rows
from bot.store.records import FeedPollState, StoredFeed
from bot.store.postgres import corpus_writes as pg_writes
from bot.store.postgres.corpus_writes import PostgresCorpusWrites
from bot.store.postgres.feed_state import PostgresFeedState

from .helpers import ROOT, copy_seeds
from .test_store_interface import _compared, operations
from .test_copies import edited_copy_text, original_text, other_story_text, write
from .test_crash_safety import _write_corpus


# What each table holds, as plain values both drivers give alike (arrays and JSON lists as lists,
# flags as booleans, people by name rather than by their generated ids).
_ARTICLES = ("SELECT id, content_hash, title, published, published_kind, captured, written_year, source, body, "
             "summary, file_size, file_mtime_ns, label, host, source_given, copy_of, minhash FROM articles")
_QUERIES = {
    "articles": _ARTICLES,
    "sentences": "SELECT article_id, idx, paragraph, text FROM sentences",
    "article_people": "SELECT article_id, name, aliases, role, kind FROM article_people",
    "quotes": "SELECT article_id, id, sentence, speaker, kind, text, repeat, parts, published FROM quotes",
    "dates": "SELECT article_id, id, sentence, text, value, year, month, day FROM dates",
    "people": "SELECT name, role, quote_count, kind FROM people",
    "person_names": "SELECT n.name, p.name FROM person_names n JOIN people p ON p.id = n.person_id",
    "article_bands": "SELECT key, article_id FROM article_bands",
    "events": "SELECT id, value, year, month, day, sort_key, rank, label, article_id, sentence, sentence_text, "
              "reports, first_reported FROM events",
    "event_articles": "SELECT event_id, position, article_id, sentence FROM event_articles",
}
_JSON_COLUMNS = {"articles": (9,), "article_people": (2,), "quotes": (7,)}
_FLAG_COLUMNS = {"quotes": (6,)}
_ORDINAL_COLUMN = {"quotes": 1, "dates": 1}  # ids: their order within an article counts, not their values


def _sort_key(row: tuple) -> tuple:
    """Rows in one order whatever NULLs and lists they hold."""
    return tuple((True, "") if v is None else (False, str(v) if isinstance(v, list) else v) for v in row)


def _plain(table: str, rows: list[tuple], from_sqlite: bool) -> list[tuple]:
    out = []
    for row in rows:
        row = list(row)
        for i in _JSON_COLUMNS.get(table, ()):
            if row[i] is not None:
                row[i] = json.loads(row[i]) if from_sqlite else list(row[i])
        for i in _FLAG_COLUMNS.get(table, ()):
            row[i] = bool(row[i])
        if table == "articles" and row[-1] is not None:
            row[-1] = bytes(row[-1])
        out.append(tuple(row))
    out.sort(key=_sort_key)
    ordinal = _ORDINAL_COLUMN.get(table)
    if ordinal is not None:  # keep the order, drop the generated numbers
        out = [r[:ordinal] + r[ordinal + 1:] for r in out]
    return out


def sqlite_contents(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {table: _plain(table, conn.execute(sql).fetchall(), True) for table, sql in _QUERIES.items()}
    finally:
        conn.close()


async def postgres_contents(dsn: str) -> dict[str, list[tuple]]:
    conn = await asyncpg.connect(dsn)
    try:
        return {table: _plain(table, [tuple(r) for r in await conn.fetch(sql)], False)
                for table, sql in _QUERIES.items()}
    finally:
        await conn.close()


WRITES = ("corpus_files", "record_file_stats", "corpus_changes", "apply_corpus_changes")


@pytest.mark.parametrize("protocol, driver, names", [
    (CorpusStore, PostgresCorpusWrites, WRITES), (FeedState, PostgresFeedState, None),
    (CorpusChanges, pg_writes.PostgresCorpusBatch, None)], ids=["corpus writes", "feeds", "a reload's changes"])
def test_the_postgres_write_side_has_the_shape_of_the_interface(protocol, driver, names):
    wanted = {name: signature for name, signature in operations(protocol).items() if names is None or name in names}
    assert set(wanted) >= set(names or ())
    offered = {name: getattr(driver, name, None) for name in wanted}
    assert {name: _compared(offered[name], inspect.signature(offered[name])) for name in wanted} == \
        {name: _compared(offered[name], signature) for name, signature in wanted.items()}


class BothDrivers:
    """One SQLite store and one PostgreSQL store, each reloading the same folder."""

    def __init__(self, sqlite_path: Path, dsn: str, corpus: Path):
        self.sqlite_path, self.dsn, self.corpus = sqlite_path, dsn, corpus

    async def __aenter__(self):
        self.sqlite = await SqliteStore.open(self.sqlite_path)
        self.postgres = await PostgresCorpusWrites.open(self.dsn)
        return self

    async def __aexit__(self, *exc):
        await self.sqlite.close()
        await self.postgres.close()

    async def reload(self):
        first = await CorpusLoader(self.sqlite, self.corpus, workers=1).reload()
        second = await CorpusLoader(self.postgres, self.corpus, workers=1).reload()
        assert (first.added, first.updated, first.removed) == (second.added, second.updated, second.removed)
        return second

    async def contents(self) -> tuple[dict, dict]:
        return sqlite_contents(self.sqlite_path), await postgres_contents(self.dsn)


def assert_same(sqlite_side: dict, postgres_side: dict) -> None:
    for table in _QUERIES:
        assert postgres_side[table] == sqlite_side[table], f"{table} differs between the drivers"


@pytest.fixture
async def pg_store(postgres_database):
    store = await PostgresCorpusWrites.open(postgres_database)
    yield store
    await store.close()


async def test_the_seeds_are_stored_as_sqlite_stores_them(postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    async with BothDrivers(tmp_path / "bot.sqlite3", postgres_database, corpus) as both:
        report = await both.reload()
        assert len(report.added) == 5 and report.failed == []
        on_sqlite, on_postgres = await both.contents()
    assert_same(on_sqlite, on_postgres)
    # Not two empty stores: every kind of row is there.
    assert all(on_postgres[table] for table in _QUERIES)
    assert len(on_postgres["articles"]) == 5 and len(on_postgres["quotes"]) > 10 and len(on_postgres["events"]) > 10


async def test_reloads_that_change_remove_and_copy_keep_both_drivers_alike(postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    write(corpus, "wire.txt", original_text())
    write(corpus, "copy.txt", edited_copy_text())
    write(corpus, "late.txt", edited_copy_text(published="2024-05-20", source="Baltic Times"))
    seed = sorted(corpus.glob("0*.txt"))[0]
    async with BothDrivers(tmp_path / "bot.sqlite3", postgres_database, corpus) as both:
        await both.reload()
        on_sqlite, on_postgres = await both.contents()
        assert_same(on_sqlite, on_postgres)
        copies = {r[0]: r[15] for r in on_postgres["articles"]}
        assert (copies["copy"], copies["late"], copies["wire"]) == ("wire", "wire", None)

        # The original leaves: the most senior copy leads; a seed is rewritten, another removed.
        (corpus / "wire.txt").unlink()
        seed.write_text(seed.read_text(encoding="utf-8").replace("Japan", "Nippon"), encoding="utf-8")
        sorted(corpus.glob("0*.txt"))[1].unlink()
        report = await both.reload()
        assert (len(report.updated), len(report.removed)) == (1, 2)
        on_sqlite, on_postgres = await both.contents()
        assert_same(on_sqlite, on_postgres)
        copies = {r[0]: r[15] for r in on_postgres["articles"]}
        assert (copies["copy"], copies["late"]) == (None, "copy") and "wire" not in copies
        assert any("Nippon" in r[3] for r in on_postgres["sentences"] if r[0] == seed.stem)

        # The original comes back as another story: it leads nothing.
        write(corpus, "wire.txt", other_story_text().replace("2024-05-16", "2024-05-01"))
        await both.reload()
        on_sqlite, on_postgres = await both.contents()
        assert_same(on_sqlite, on_postgres)
        copies = {r[0]: r[15] for r in on_postgres["articles"]}
        assert (copies["wire"], copies["copy"], copies["late"]) == (None, None, "copy")


async def test_changes_applied_outside_a_reload_are_stored_alike(postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    write(corpus, "wire.txt", original_text())
    async with BothDrivers(tmp_path / "bot.sqlite3", postgres_database, corpus) as both:
        await both.reload()
        seeds = sorted(corpus.glob("0*.txt"))
        copy = tmp_path / "copy.txt"
        copy.write_text(edited_copy_text(), encoding="utf-8")
        upserts = [prepare_file(str(copy)), prepare_file(str(seeds[0]))]
        for store in (both.sqlite, both.postgres):
            await store.apply_corpus_changes(upserts, [seeds[1].stem])
        on_sqlite, on_postgres = await both.contents()
    assert_same(on_sqlite, on_postgres)
    copies = {r[0]: r[15] for r in on_postgres["articles"]}
    assert copies["copy"] == "wire" and seeds[1].stem not in copies and seeds[0].stem in copies


async def counted_quotes(dsn: str) -> tuple[dict[str, int], dict[str, int]]:
    """Each person's stored quote count, and the quotes of originals credited to their names, counted afresh."""
    conn = await asyncpg.connect(dsn)
    try:
        stored = {r[0]: r[1] for r in await conn.fetch("SELECT name, quote_count FROM people")}
        counted = {r[0]: r[1] for r in await conn.fetch(
            "SELECT p.name, count(q.id) FROM people p JOIN person_names n ON n.person_id = p.id "
            "LEFT JOIN quotes q ON lower(q.speaker) = lower(n.name) AND NOT q.repeat "
            "AND q.article_id IN (SELECT id FROM articles WHERE copy_of IS NULL) GROUP BY p.name")}
        return stored, counted
    finally:
        await conn.close()


async def test_quote_counts_stay_true_through_corrections_copies_and_removals(pg_store, postgres_database, tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus, "wire.txt", original_text())
    write(corpus, "other.txt", other_story_text())
    loader = CorpusLoader(pg_store, corpus, workers=1)
    await loader.reload()
    stored, counted = await counted_quotes(postgres_database)
    assert stored == counted and stored["Sigrid Moen"] == 2

    # A correction that leaves the people as they were: only the counts are adjusted.
    write(corpus, "wire.txt", original_text().replace("seven to two", "eight to one"))
    await loader.reload()
    assert await counted_quotes(postgres_database) == (stored, counted)

    write(corpus, "copy.txt", edited_copy_text())  # a copy's quotes are its original's: counted once
    await loader.reload()
    assert await counted_quotes(postgres_database) == (stored, counted)

    (corpus / "wire.txt").unlink()  # the copy becomes the original and brings its quotes
    await loader.reload()
    assert await counted_quotes(postgres_database) == (stored, counted)

    (corpus / "other.txt").unlink()
    await loader.reload()
    stored, counted = await counted_quotes(postgres_database)
    assert stored == counted and stored["Sigrid Moen"] == 1


async def test_nul_and_lone_surrogates_in_text_are_cleaned_not_refused(pg_store, postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    loader = CorpusLoader(pg_store, corpus, workers=1)
    await loader.reload()
    rows = (await postgres_contents(postgres_database))["articles"]
    # The worker's rows of an article, with text no PostgreSQL column takes as it is.
    dirty = article_rows(prepare_file(str(next(corpus.glob("*.txt")))), "2026-01-01T00:00:00+00:00")
    dirty = type(dirty)(id=dirty.id, article=dirty.article[:3] + ("Title\x00 with \ud800 junk",) + dirty.article[4:],
                        sentences=tuple((a, i, p, t + "\x00") for a, i, p, t in dirty.sentences),
                        people=dirty.people, quotes=dirty.quotes, dates=dirty.dates, bands=dirty.bands)
    async with pg_store.corpus_changes() as batch:
        await batch.remove([dirty.id])
        await batch.insert([dirty])
    stored = {r[0]: r for r in (await postgres_contents(postgres_database))["articles"]}
    assert stored[dirty.id][2] == "Title with \ufffd junk"
    assert len(stored) == len(rows)


async def test_an_error_mid_reload_leaves_the_previous_corpus_whole(pg_store, postgres_database, tmp_path,
                                                                    monkeypatch):
    corpus = copy_seeds(tmp_path / "corpus")
    await CorpusLoader(pg_store, corpus, workers=1).reload()
    before = await postgres_contents(postgres_database)

    write(corpus, "wire.txt", original_text())
    write(corpus, "copy.txt", edited_copy_text())
    sorted(corpus.glob("0*.txt"))[0].unlink()

    async def broken(*args):
        raise RuntimeError("the events could not be built")

    monkeypatch.setattr(pg_writes, "rebuild_events", broken)
    with pytest.raises(RuntimeError):
        await CorpusLoader(pg_store, corpus, workers=1).reload()
    assert await postgres_contents(postgres_database) == before

    monkeypatch.undo()
    report = await CorpusLoader(pg_store, corpus, workers=1).reload()
    assert (sorted(report.added), len(report.removed)) == (["copy", "wire"], 1)


async def test_a_connection_lost_mid_reload_is_an_admin_error_and_keeps_nothing(pg_store, postgres_database,
                                                                               tmp_path, monkeypatch):
    corpus = copy_seeds(tmp_path / "corpus")
    await CorpusLoader(pg_store, corpus, workers=1).reload()
    before = await postgres_contents(postgres_database)
    write(corpus, "wire.txt", original_text())
    insert = pg_writes.PostgresCorpusBatch.insert

    async def insert_then_lose_the_connection(batch, items):
        await insert(batch, items)
        admin = await asyncpg.connect(postgres_database)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", batch.conn.get_server_pid())
        finally:
            await admin.close()

    monkeypatch.setattr(pg_writes.PostgresCorpusBatch, "insert", insert_then_lose_the_connection)
    with pytest.raises(StoreWriteError, match="Nothing was changed"):
        await CorpusLoader(pg_store, corpus, workers=1).reload()
    assert await postgres_contents(postgres_database) == before


async def test_a_read_only_database_refuses_the_reload_with_a_hint(postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    store = await PostgresCorpusWrites.open(postgres_database)  # migrated while writable
    await store.close()
    admin = await asyncpg.connect(postgres_database)
    try:
        name = await admin.fetchval("SELECT current_database()")
        await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    finally:
        await admin.close()
    store = await PostgresCorpusWrites.open(postgres_database)
    try:
        with pytest.raises(StoreWriteError, match="read-only"):
            await CorpusLoader(store, corpus, workers=1).reload()
        assert await store.corpus_files() == {}
    finally:
        await store.close()


# ---------------------------------------------------------------- a process killed during a reload

def _reload_command(dsn: str, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "tests.pg_reload", dsn, str(corpus)]


async def _writing(dsn: str) -> bool:
    """Whether another session holds a write lock on the sentences: a reload's transaction is writing."""
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(
            "SELECT count(*) > 0 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'sentences' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()")
    finally:
        await conn.close()


async def _kill_during_reload(dsn: str, corpus: Path, delay: float) -> bool:
    process = subprocess.Popen(_reload_command(dsn, corpus), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline and not await _writing(dsn):
            await asyncio.sleep(0.01)
        await asyncio.sleep(delay)
        alive = process.poll() is None and await _writing(dsn)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
    return alive


@pytest.mark.parametrize("delay", [0.0, 1.0])
async def test_a_killed_reload_leaves_the_corpus_whole_and_the_next_one_completes(postgres_database, tmp_path,
                                                                                  delay):
    first = copy_seeds(_write_corpus(tmp_path / "first", 20, seed=1))
    done = subprocess.run(_reload_command(postgres_database, first), cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    before = await postgres_contents(postgres_database)
    second = _write_corpus(tmp_path / "second", 600, seed=2, start=10)  # 10 ids shared, all changed

    assert await _kill_during_reload(postgres_database, second, delay), "the reload was writing when killed"
    assert await postgres_contents(postgres_database) == before

    done = subprocess.run(_reload_command(postgres_database, second), cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    after = await postgres_contents(postgres_database)
    assert {r[0] for r in after["articles"]} == {p.stem for p in second.glob("*.txt")}


# ---------------------------------------------------------------- feeds

async def test_feed_state_on_postgres(postgres_database):
    store = await PostgresFeedState.open(postgres_database)
    try:
        feed = StoredFeed("https://example.org/feed", "Example", 30, "islands", 7, "2026-01-01T00:00:00+00:00")
        assert await store.add_feed(feed) is True
        assert await store.add_feed(feed) is False
        assert await store.added_feeds() == [feed]
        assert await store.feed_state(feed.url) == FeedPollState(feed.url)
        state = FeedPollState(feed.url, etag='"x"', failures=2, next_attempt="2026-01-01T01:00:00+00:00")
        await store.save_feed_state(state)
        await store.save_feed_state(state)
        assert await store.feed_states() == {feed.url: state}
        await store.record_entry(feed.url, "e1", None, "failed", None, "timeout", "2026-01-01T00:00:00+00:00")
        await store.record_entry(feed.url, "e1", None, "failed", None, "timeout", "2026-01-01T00:10:00+00:00")
        await store.record_entry(feed.url, "e2", "2025", "ingested", "a1", None, "2026-01-01T00:00:00+00:00")
        seen = await store.seen_entries(feed.url)
        assert (seen["e1"].attempts, seen["e1"].outcome, seen["e2"].attempts) == (2, "failed", 1)
        assert await store.remove_feed(feed.url) is True
        assert await store.remove_feed(feed.url) is False
        assert await store.added_feeds() == [] and await store.feed_states() == {}
        assert await store.seen_entries(feed.url) == {}
    finally:
        await store.close()
