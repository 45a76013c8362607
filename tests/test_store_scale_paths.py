"""The paths that keep reloads and answers fast on big corpora: batched worker ingest,
size+time skip on rescan, indexed autocomplete, filtered timelines, writes that take turns.
The tests taking `any_store` run on both store drivers; the rest test SQLite's own paths."""
from __future__ import annotations

import asyncio
import os

import pytest

from bot.ingest import CorpusLoader
from bot.store import CorpusCounts, open_store


def article(title: str, published: str, body: str) -> str:
    return f"---\ntitle: {title}\npublished: {published}\n---\n\n{body}\n"


def write_many(folder, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = article(f"Harbour report number {i}", f"2021-03-{1 + i % 28:02d}",
                       f"Officials in town {i} said on Monday that the ferry talks of 1998 had failed. "
                       f'"We will try again in spring," said Ada Quill, mayor of town {i}.')
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
async def store(tmp_path):
    s = await open_store(tmp_path / "db" / "bot.sqlite3")
    yield s
    await s.close()


async def test_worker_batches_store_the_same_corpus_as_one_process(tmp_path):
    corpus = tmp_path / "corpus"
    write_many(corpus, 80)  # above the pool threshold, several batches
    counts = []
    for workers in (2, 1):
        async with await open_store(tmp_path / f"db{workers}.sqlite3") as s:
            report = await CorpusLoader(s, corpus, workers=workers).reload()
            assert len(report.added) == 80 and report.failed == []
            counts.append(await s.corpus_counts())
    assert counts[0] == counts[1] and counts[0].quotes >= 80


async def test_every_new_article_has_a_label(any_store, tmp_path):
    store = any_store
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "titled.txt").write_text(article("Ferry deal signed", "2021-03-05", "The towns signed it on Friday."),
                                       encoding="utf-8")
    (corpus / "bare.txt").write_text("The council met on Tuesday to discuss the harbour fees again.\n",
                                     encoding="utf-8")
    await CorpusLoader(store, corpus).reload()
    assert (await store.article("titled")).head.label == "Ferry deal signed"
    assert (await store.article("bare")).head.label.startswith("The council met on Tuesday")


async def test_touched_file_is_unchanged_and_a_same_size_edit_is_not(any_store, tmp_path):
    store = any_store
    corpus = tmp_path / "corpus"
    write_many(corpus, 3)
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    path = corpus / "a001.txt"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched, same bytes
    touched = await loader.reload()
    assert (touched.updated, touched.unchanged) == ([], 3)
    remembered = (await store.corpus_files())["a001"]
    assert remembered.mtime_ns == stat.st_mtime_ns + 5_000_000_000  # the next scan need not read it

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("spring", "summer"), encoding="utf-8")  # same length, new bytes
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 9_000_000_000))
    edited = await loader.reload()
    assert edited.updated == ["a001"]
    assert "summer" in (await store.article("a001")).body


async def test_title_autocomplete_puts_labels_starting_with_the_text_first(any_store, tmp_path):
    store = any_store
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    titles = {"old": ("Harbour fees rise", "2020-01-01"), "new": ("Harbour fees fall", "2022-01-01"),
              "mid": ("New harbour opens", "2021-01-01"), "other": ("Ferry timetable", "2023-01-01")}
    for name, (title, day) in titles.items():
        (corpus / f"{name}.txt").write_text(article(title, day, "Some words about the town and its port."),
                                            encoding="utf-8")
    await CorpusLoader(store, corpus).reload()

    async def ids(text):
        return [r.id for r in await store.articles_by_title(text)]

    assert await ids("harbour") == ["new", "old", "mid"]  # starts-with newest first, then contains
    assert await ids("HA") == ["new", "old", "mid"]  # too short for trigrams: same answer
    assert await ids("arbour fe") == ["new", "old"]
    assert await ids("timet") == ["other"]
    assert await ids("oth") == ["other"]  # an id matches too
    assert await ids("50%") == []


async def test_timeline_filters_combine_years_and_topic(any_store, tmp_path):
    store = any_store
    corpus = tmp_path / "corpus"
    write_many(corpus, 2)
    await CorpusLoader(store, corpus).reload()
    assert {r.year for r in await store.dates(year=1998)} == {1998}
    assert await store.dates(start_year=2030) == []
    assert len(await store.dates(topic="ferry", start_year=1990, end_year=2000)) == 2
    assert await store.dates(topic="volcano", year=1998) == []


async def test_a_settings_write_waits_for_a_reload_instead_of_failing(store):
    async with store.corpus_changes() as batch:
        pending = asyncio.create_task(store.set_meta("digest_note", "kept"))
        await asyncio.sleep(0.05)
        assert not pending.done()  # it waits its turn
        await batch.remove([])
    await pending
    assert await store.meta("digest_note") == "kept"


async def test_search_and_topics_keep_the_best_matches_up_to_their_limit(any_store, tmp_path):
    store = any_store
    corpus = tmp_path / "corpus"
    write_many(corpus, 6)
    await CorpusLoader(store, corpus).reload()
    everything = await store.search("ferry")
    assert len(everything) == 6 and all("\x02" in r.snippet for r in everything)
    # Equal scores: the newest first.
    assert [r.article.id for r in await store.search("ferry", limit=2)] == ["a005", "a004"]
    assert len(await store.topic_sentences("ferry talks", limit=2)) == 2


async def trigger_names(store) -> set[str]:
    return {r[0] for r in await store.fetch_all("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


async def test_search_stays_in_step_whether_a_reload_reindexes_in_bulk_or_row_by_row(store, tmp_path):
    corpus = tmp_path / "corpus"
    write_many(corpus, 20)
    loader = CorpusLoader(store, corpus)
    triggers = await trigger_names(store)
    await loader.reload()  # everything new: bulk
    assert len(await store.search("spring")) == 20 and await trigger_names(store) == triggers

    for changed in (["a003"], ["a004", "a005", "a006", "a007", "a008"]):  # 5%: row by row; 25%: bulk
        for name in changed:
            path = corpus / f"{name}.txt"
            path.write_text(path.read_text(encoding="utf-8").replace("spring", "autumn"), encoding="utf-8")
        report = await loader.reload()
        assert sorted(report.updated) == changed
        assert {r.article.id for r in await store.search("autumn")} >= set(changed)
        assert not {r.article.id for r in await store.search("spring")} & set(changed)
        assert await store.articles_by_title("number 3") != []
        assert await trigger_names(store) == triggers


async def test_a_failed_bulk_reload_keeps_the_index_triggers(store, tmp_path, monkeypatch):
    import bot.store.corpus_writes as writes

    corpus = tmp_path / "corpus"
    write_many(corpus, 4)
    triggers = await trigger_names(store)

    async def explode(conn):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writes, "rebuild_people", explode)
    with pytest.raises(RuntimeError):
        await CorpusLoader(store, corpus).reload()
    assert await trigger_names(store) == triggers
    assert await store.corpus_counts() == CorpusCounts(articles=0, sentences=0, people=0, quotes=0, dates=0)


async def people_table(store) -> list[tuple]:
    return [tuple(r) for r in await store.fetch_all("SELECT name, role, quote_count FROM people ORDER BY name")]


async def test_a_corrected_article_updates_quote_counts_like_a_full_merge(store, tmp_path, monkeypatch):
    import bot.store.corpus_writes as writes
    from bot.store.corpus_writes import rebuild_people

    corpus = tmp_path / "corpus"
    write_many(corpus, 3)
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    before = {name: n for name, _, n in await people_table(store)}
    path = corpus / "a001.txt"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n")
                    + '\n\nLater the harbour master spoke. "The boats are ready," said Ada Quill.\n', encoding="utf-8")
    async def no_merge(conn):
        raise AssertionError("the same people came back: no merge needed")

    monkeypatch.setattr(writes, "rebuild_people", no_merge)
    report = await loader.reload()
    monkeypatch.undo()
    assert report.updated == ["a001"]
    quick = await people_table(store)
    assert {name: n for name, _, n in quick}["Ada Quill"] == before["Ada Quill"] + 1
    async with store.transaction() as conn:
        await rebuild_people(conn)
    assert await people_table(store) == quick


async def test_every_table_that_cascades_from_articles_is_reached_by_an_index(store):
    """A reload deletes the rows of each changed article from every child table: without an index on
    the child's article column, each delete (and each cascade) reads the whole table."""
    children = []
    for table in [r["name"] for r in await store.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")]:
        for fk in await store.fetch_all(f"PRAGMA foreign_key_list('{table}')"):
            if fk["table"] == "articles":
                children.append((table, fk["from"]))
    assert {t for t, _ in children} >= {"sentences", "quotes", "dates", "article_people", "article_bands"}
    for table, column in children:
        plan = " ".join(r["detail"] for r in await store.fetch_all(
            f"EXPLAIN QUERY PLAN DELETE FROM {table} WHERE {column} = 'x'"))
        assert plan.startswith("SEARCH") and "INDEX" in plan, (table, plan)


@pytest.mark.parametrize("plan", ["collect every match", "walk the quotes", "walk cut short"])
async def test_quotes_about_a_topic_are_the_same_whichever_plan_finds_them(store, tmp_path, monkeypatch, plan):
    from bot import answers
    from bot.store import corpus_queries

    if plan == "collect every match":
        monkeypatch.setattr(corpus_queries, "FEW_MATCHES", 10**9)
    else:  # a topic as common as the big corpora's: walk the person's quotes, newest first
        monkeypatch.setattr(corpus_queries, "FEW_MATCHES", 1)
        monkeypatch.setattr(corpus_queries, "MATCHES_PER_SEEK", 1 if plan == "walk the quotes" else 10**9)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(12):
        said = "harbour fees must fall" if i % 3 == 0 else "we will try again in spring"
        day = f"2021-03-{1 + (i * 5) % 28:02d}"
        (corpus / f"a{i:02d}.txt").write_text(article(
            f"Town report {i}", day, f"The harbour board met in town {i} on Monday.\n\n"
            f'"{said.capitalize()}," said Ada Quill, mayor of town {i}.\n\n'
            f'"The harbour is ours," said Ben Oar, a fisherman.'), encoding="utf-8")
    await CorpusLoader(store, corpus).reload()

    about = await answers.quotes_by(store, "Quill", topic="harbour")
    assert [(q.article.id, q.text) for q in about.quotes] == [
        ("a09", "Harbour fees must fall"), ("a03", "Harbour fees must fall"),
        ("a06", "Harbour fees must fall"), ("a00", "Harbour fees must fall")]  # newest first: the 18th, 16th, ...
    person = (await store.find_people("Ada Quill", limit=1))[0].id
    assert [q.article.id for q in await store.quotes_of(person, topic="harbour", limit=2)] == ["a09", "a03"]
    assert [q.article.id for q in await store.quotes_of(person, topic="spring", kind="direct", limit=3)] == [
        "a11", "a05", "a10"]
    assert await store.quotes_of(person, topic="fisherman") == []
    with pytest.raises(answers.NotFound):
        await answers.quotes_by(store, "Quill", topic="volcano")


# The events one of whose reporting sentences has every word of the topic, found through the index of
# every sentence (as `/dates topic:` found them before event_words): in timeline order.
_EVENTS_ABOUT_BY_EVERY_SENTENCE = (
    "SELECT e.id FROM events e WHERE e.id IN (SELECT ea.event_id FROM sentences_fts f "
    "JOIN sentences s ON s.id = f.rowid JOIN event_articles ea ON ea.article_id = s.article_id "
    "AND ea.sentence = s.idx WHERE sentences_fts MATCH ?) "
    "AND (? IS NULL OR e.year >= ?) AND (? IS NULL OR e.year <= ?) ORDER BY e.sort_key, e.rank LIMIT ?")


async def _topics_of_events(store) -> list[str]:
    words = sorted({w.strip('.,;:"\'()').lower() for r in await store.fetch_all(
        "SELECT sentence_text FROM events") for w in r[0].split()} - {""})
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])] + ["zzyzx"]


@pytest.mark.parametrize("plan", ["read by id", "walk in order"])
async def test_events_about_a_topic_are_those_of_its_sentences_whichever_plan_finds_them(
        store, tmp_path, monkeypatch, plan):
    import sys
    from pathlib import Path

    from bot.store import corpus_queries
    from bot.store.fts import words_query

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate  # bench/generate.py: the bench's own corpus generator

    monkeypatch.setattr(corpus_queries, "EVENT_MATCHES_READ_BY_ID", 10**9 if plan == "read by id" else 1)
    folder = generate.generate(40, tmp_path / "corpus", seed=6)
    await CorpusLoader(store, folder, workers=1).reload()
    found = 0
    for topic in await _topics_of_events(store):
        if words_query(topic) is None:  # no searchable word
            assert await store.events(topic=topic) == []
            continue
        for start, end, limit in ((None, None, 501), (None, None, 3), (1950, 2000, 501)):
            got = [e.id for e in await store.events(start_year=start, end_year=end, topic=topic, limit=limit)]
            expected = [r[0] for r in await store.fetch_all(
                _EVENTS_ABOUT_BY_EVERY_SENTENCE, (words_query(topic), start, start, end, end, limit))]
            assert got == expected, (topic, start, end, limit)
            found += bool(got)
    assert found > 100


@pytest.mark.parametrize("stale_events", [False, True])
async def test_an_upgraded_database_finds_the_events_of_a_topic(tmp_path, stale_events):
    """Migration 19 fills event_words from the events already stored; events built again after an
    upgrade (events_stale) have their words too."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate

    from bot import answers

    path = tmp_path / "db" / "bot.sqlite3"
    folder = generate.generate(20, tmp_path / "corpus", seed=8)
    async with await open_store(path) as store:
        await CorpusLoader(store, folder, workers=1).reload()
        topics = (await _topics_of_events(store))[:150]
        before = [await answers.timeline(store, topic=t) if await store.events(topic=t) else None for t in topics]
        async with store.transaction() as conn:  # as the database was before migration 19
            for trigger in ("report_ai", "report_ad", "sentence_ai", "sentence_ad"):
                await conn.execute(f"DROP TRIGGER event_words_{trigger}")
            await conn.execute("DROP TABLE event_words")
            await conn.execute("DROP VIEW event_sentences")
            await conn.execute("DROP INDEX articles_file_record")  # migration 20's
            await conn.execute("PRAGMA user_version = 18")
            if stale_events:
                await conn.execute("INSERT INTO meta(key, value) VALUES ('events_stale', '1')")
    async with await open_store(path) as store:
        after = [await answers.timeline(store, topic=t) if await store.events(topic=t) else None for t in topics]
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO event_words(event_words) VALUES ('integrity-check')")
    assert after == before and sum(a is not None for a in before) > 50
