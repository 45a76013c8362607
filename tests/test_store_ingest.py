"""The store and the incremental ingest: counts, reloads, failures (both store drivers); SQLite's migrations."""
from __future__ import annotations

import datetime as dt
import sqlite3

import aiosqlite
import pytest

from bot.ingest import CorpusFolderError, CorpusLoader
from bot.store import SCHEMA_VERSION, SchemaTooNewError, Store, open_store
from bot.store.database import migrate

from .helpers import FRONT_MATTER_PAGE, SCRAPED_PAGE, copy_seeds


@pytest.fixture
def store(any_store):
    """Each store driver in turn."""
    return any_store


async def whole(store) -> bool:
    """SQLite's own integrity check; PostgreSQL keeps its constraints itself."""
    return await store.integrity_ok() if hasattr(store, "integrity_ok") else True


async def ids(store: Store) -> set[str]:
    return {r["id"] for r in await store.fetch_all("SELECT id FROM articles")}


async def test_seeds_load_with_counts_titles_and_stamps(store, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    report = await CorpusLoader(store, corpus).reload()
    assert (len(report.added), report.failed, report.removed) == (5, [], [])
    counts = await store.corpus_counts()
    assert counts.articles == 5 and counts.sentences > 80
    rows = await store.fetch_all("SELECT id, title, published, captured FROM articles ORDER BY id")
    assert sum(1 for r in rows if r["title"]) == 2
    stamped = [r for r in rows if r["captured"]]
    # A page's timestamp line is when it was saved, never a publication date.
    assert len(stamped) == 3 and all(r["captured"].startswith("2020-") and r["published"] is None for r in stamped)
    assert await whole(store)


async def test_reload_is_incremental(store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SCRAPED_PAGE, encoding="utf-8")
    (corpus / "b.txt").write_text(FRONT_MATTER_PAGE, encoding="utf-8")
    loader = CorpusLoader(store, corpus)
    first = await loader.reload()
    assert sorted(first.added) == ["a", "b"]

    again = await loader.reload()
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 2)

    (corpus / "b.txt").write_text(FRONT_MATTER_PAGE.replace("two years", "three years"), encoding="utf-8")
    (corpus / "c.md").write_text("---\ntitle: Third\n---\nA third article arrived today.\n", encoding="utf-8")
    (corpus / "a.txt").unlink()
    third = await loader.reload()
    assert (third.added, third.updated, third.removed) == (["c"], ["b"], ["a"])
    assert await ids(store) == {"b", "c"}
    body = (await store.article("b")).body
    assert "three years" in body and "two years" not in body
    # Nothing of the removed article is left behind, including in the full-text index.
    assert await store.fetch_all("SELECT * FROM sentences WHERE article_id = 'a'") == []
    assert await store.search("harbour") == []
    assert await store.search("three") != []


async def test_bad_files_are_reported_and_the_rest_loads(store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(FRONT_MATTER_PAGE, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "broken.txt").write_text("---\ntitle: [oops\n---\nText.\n", encoding="utf-8")
    (corpus / "latin.txt").write_bytes("Le caf\u00e9 a rouvert lundi.".encode("cp1252"))
    (corpus / "huge.txt").write_bytes(b"word " * (1_100_000))
    (corpus / "ignored.pdf").write_bytes(b"%PDF")
    report = await CorpusLoader(store, corpus).reload()
    failed = dict(report.failed)
    assert set(failed) == {"empty.txt", "binary.txt", "broken.txt", "huge.txt"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["binary.txt"]
    assert "front matter" in failed["broken.txt"] and "too large" in failed["huge.txt"]
    assert sorted(report.added) == ["good", "latin"]
    assert any(name == "latin.txt" and "cp1252" in note for name, note in report.notes)
    assert await ids(store) == {"good", "latin"}


async def test_failure_mid_write_leaves_the_previous_corpus_whole(store, store_driver, tmp_path, monkeypatch):
    corpus = copy_seeds(tmp_path / "corpus")
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    before = await store.corpus_counts()
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nA new closing paragraph was added.\n", encoding="utf-8")
    (corpus / "new.txt").write_text(FRONT_MATTER_PAGE, encoding="utf-8")

    import bot.store.corpus_writes as sqlite_writes
    import bot.store.postgres.corpus_writes as postgres_writes
    writes = sqlite_writes if store_driver == "sqlite" else postgres_writes

    async def explode(conn):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writes, "rebuild_people", explode)  # fails after the articles were written
    with pytest.raises(RuntimeError):
        await loader.reload()
    assert await store.corpus_counts() == before
    assert "new" not in await ids(store)
    assert await whole(store)

    monkeypatch.undo()
    report = await loader.reload()
    assert report.added == ["new"] and len(report.updated) == 1


async def test_missing_corpus_folder_is_a_clear_error(store, tmp_path):
    with pytest.raises(CorpusFolderError, match="does not exist"):
        await CorpusLoader(store, tmp_path / "nowhere").reload()


async def test_old_database_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, path, target=1)
        await conn.execute("INSERT INTO digest_subscriptions(guild_id, channel_id, post_time, timezone, created_at)"
                           " VALUES (1, 2, '08:00', 'UTC', '2026-01-01T08:00:00')")
    store = await open_store(path)
    try:
        row = await store.fetch_one("PRAGMA user_version")
        assert row[0] == SCHEMA_VERSION > 1
        sub = await store.subscription(1)
        assert sub.channel_id == 2 and sub.disabled_reason is None
        assert sub.created_at == dt.datetime(2026, 1, 1, 8, tzinfo=dt.timezone.utc)  # no offset stored: UTC
        await store.set_meta("k", "v")  # a table that only the newer schema has
        assert await store.meta("k") == "v"
    finally:
        await store.close()


async def test_a_capture_stamp_stored_as_published_by_an_older_bot_moves_to_captured(tmp_path):
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, path, target=5)
        await conn.execute(
            "INSERT INTO articles(id, path, content_hash, published, published_kind, body, ingested_at) VALUES "
            "('stamped', 'x', 'h', '2020-06-02T09:00+03:00', 'page_stamp', 'b', 'now'),"
            "('dated', 'y', 'h', '2016-10-13', 'front_matter', 'b', 'now')")
    store = await open_store(path)
    try:
        rows = {r["id"]: r for r in await store.fetch_all("SELECT id, published, captured FROM articles")}
        assert (rows["stamped"]["published"], rows["stamped"]["captured"]) == (None, "2020-06-02T09:00+03:00")
        assert (rows["dated"]["published"], rows["dated"]["captured"]) == ("2016-10-13", None)
    finally:
        await store.close()


async def test_database_from_a_newer_bot_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNewError, match="newer than this bot"):
        await open_store(path)


async def test_unusable_database_path_is_a_store_error(tmp_path):
    from bot.store import StoreError, open_store
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open"):
        await open_store(blocker / "bot.sqlite3")
