"""Timeline events kept up to date by reloads equal the events a rebuild from scratch gives.

Random corpora (seeded) go through random additions, edits, removals and wire copies; after every
reload the stored events are compared with those built from all the stored mentions at once. The
core of a date (timeline.CORE_MENTIONS) is made small here, so that dates have later mentions and
the updates in place (bot/store/events.py) run as well as the rebuilds, and so is the size from
which a date's rebuild is streamed.
"""
from __future__ import annotations

import json
import random
from collections import Counter, defaultdict

import pytest

from bot.ingest import CorpusLoader
from bot.nlp import timeline
from bot.store import SqliteStore
from bot.store import events as store_events

NOUNS = ["treaty", "declaration", "ferry", "canal", "strike", "summit", "flood", "bridge", "election", "harbour"]
VERBS = ["was signed", "opened", "ended", "began", "collapsed", "was announced", "resumed"]
PLACES = ["Moscow", "Tokyo", "Riga", "the valley", "the northern port", "Osaka", "the capital"]
FULL_DATES = ["19 October 1956", "3 May 1911", "12 July 1931", "October 19, 1956"]
YEARS = ["1956", "1911", "1960"]
MONTHS = ["November", "March"]
PUBLISHED = ["2011-05-04", "2012-01-10", "2012-01-10", "2015-03-11", "2016-10-19", "2020-06-01"]
FILLER = ("Officials said the talks would continue next week with new proposals from both sides, "
          "and observers in the region expected little change before the winter.")


def sentence(rng: random.Random) -> str:
    noun, verb, place = rng.choice(NOUNS), rng.choice(VERBS), rng.choice(PLACES)
    kind = rng.randrange(5)
    if kind == 0:
        return f"The {noun} {verb} on {rng.choice(FULL_DATES)} in {place}."
    if kind == 1:
        return f"In {rng.choice(YEARS)} the {noun} {verb} near {place}."
    if kind == 2:
        return f"The {noun} {verb} in {place} on {rng.choice(FULL_DATES)}, {rng.randrange(2, 90)} years ago."
    if kind == 3:
        return f"{rng.choice(MONTHS)} saw the {noun} in {place} as {rng.randrange(3, 40)} ships waited."
    return f"The {noun} of {rng.choice(YEARS)} is remembered in {place}."


def body(rng: random.Random) -> list[str]:
    return [sentence(rng) for _ in range(rng.randrange(2, 6))] + [FILLER]


def article_text(title: str, published: str, sentences: list[str]) -> str:
    return f"---\ntitle: {title}\npublished: {published}\n---\n\n" + "\n\n".join(sentences) + "\n"


class Corpus:
    """A folder of generated articles that random steps change."""

    def __init__(self, folder, rng: random.Random):
        self.folder, self.rng = folder, rng
        self.articles: dict[str, tuple[str, list[str]]] = {}  # name: (published, sentences)
        self.serial = 0

    def write(self, name: str) -> None:
        published, sentences = self.articles[name]
        (self.folder / f"{name}.txt").write_text(article_text(name.replace("_", " "), published, sentences),
                                                 encoding="utf-8")

    def add(self) -> None:
        self.serial += 1
        name = f"story_{self.serial:03d}"
        self.articles[name] = (self.rng.choice(PUBLISHED), body(self.rng))
        self.write(name)

    def copy(self) -> None:
        """A wire copy of a stored article: the same text under another name (and maybe another date)."""
        original = self.rng.choice(sorted(self.articles))
        self.serial += 1
        name = f"wire_{self.serial:03d}"
        published, sentences = self.articles[original]
        self.articles[name] = (self.rng.choice([published, *PUBLISHED]), list(sentences))
        self.write(name)

    def edit(self) -> None:
        name = self.rng.choice(sorted(self.articles))
        published, sentences = self.articles[name]
        change = self.rng.randrange(3)
        if change == 0:
            sentences = list(sentences)
            sentences[self.rng.randrange(len(sentences) - 1)] = sentence(self.rng)
        elif change == 1:
            sentences = [sentence(self.rng), *sentences]
        else:
            published = self.rng.choice(PUBLISHED)
        self.articles[name] = (published, sentences)
        self.write(name)

    def remove(self) -> None:
        name = self.rng.choice(sorted(self.articles))
        del self.articles[name]
        (self.folder / f"{name}.txt").unlink()

    def step(self) -> None:
        for _ in range(self.rng.randrange(1, 5)):
            action = self.rng.choices([self.add, self.copy, self.edit, self.remove], weights=[4, 2, 4, 2])[0]
            if action is not self.remove or len(self.articles) > 5:
                action()


async def stored_events(store) -> Counter:
    events = await store.fetch_all("SELECT * FROM events")
    sources = defaultdict(list)
    for row in await store.fetch_all("SELECT * FROM event_articles ORDER BY event_id, position"):
        sources[row["event_id"]].append((row["position"], row["article_id"], row["sentence"]))
    return Counter((tuple(e[k] for k in e.keys() if k != "id"), tuple(sources[e["id"]])) for e in events)


async def events_from_scratch(store) -> Counter:
    """What building every value's events from all its stored mentions gives."""
    keys = {timeline.normalise_value(r["value"]) for r in await store.fetch_all("SELECT DISTINCT value FROM dates")}
    raw = [r["value"] for r in await store.fetch_all("SELECT DISTINCT value FROM dates")]
    rows = [tuple(r) for r in await store.fetch_all(store_events._MENTIONS_OF_VALUES, {"values": json.dumps(raw)})]
    events, sources = store_events._event_rows(rows, keys, 1)
    by_event = defaultdict(list)
    for event_id, position, article_id, sentence_idx in sources:
        by_event[event_id].append((position, article_id, sentence_idx))
    return Counter((tuple(e[1:]), tuple(by_event[e[0]])) for e in events)


async def topics_find_the_events_of_their_sentences(store) -> None:
    """`/dates topic:` (event_words, kept up to date with the events) finds the events one of whose
    reporting sentences the index of every sentence finds."""
    async with store.transaction() as conn:
        await conn.execute("INSERT INTO event_words(event_words) VALUES ('integrity-check')")
    for topic in [*NOUNS, *PLACES, "officials", "signed treaty"]:
        expected = [r[0] for r in await store.fetch_all(
            "SELECT e.id FROM events e WHERE e.id IN (SELECT ea.event_id FROM sentences_fts f "
            "JOIN sentences s ON s.id = f.rowid JOIN event_articles ea ON ea.article_id = s.article_id "
            "AND ea.sentence = s.idx WHERE sentences_fts MATCH ?) ORDER BY e.sort_key, e.rank",
            (" AND ".join(f'"{w}"' for w in topic.split()),))]
        assert [e.id for e in await store.events(topic=topic)] == expected, topic


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_events_after_random_reloads_equal_a_rebuild_from_scratch(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(timeline, "CORE_MENTIONS", 4)
    # Dates with more mentions than this are rebuilt streamed, a few rows at a time.
    monkeypatch.setattr(store_events, "MENTIONS_PER_QUERY", 12)
    monkeypatch.setattr(store_events, "STREAMED_ROWS", 5)
    # A date's first mentions are found by a walk over the articles in order for the busier dates (of
    # these few articles), by a sort of all its mentions for the others.
    monkeypatch.setattr(store_events, "WALK_COST", 0.1)
    in_place = Counter()
    update = store_events._update_in_place

    async def counted(conn, key, changed):
        done = await update(conn, key, changed)
        in_place[done] += 1
        return done

    monkeypatch.setattr(store_events, "_update_in_place", counted)
    folder = tmp_path / "corpus"
    folder.mkdir()
    corpus = Corpus(folder, random.Random(seed))
    for _ in range(25):
        corpus.add()
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    try:
        loader = CorpusLoader(store, folder, workers=1)
        await loader.reload()
        for step in range(12):
            corpus.step()
            report = await loader.reload()
            assert not report.failed
            assert await stored_events(store) == await events_from_scratch(store), f"seed {seed}, step {step}"
            await topics_find_the_events_of_their_sentences(store)
        assert (await store.fetch_one("SELECT count(*) AS n FROM articles WHERE copy_of IS NOT NULL"))["n"] > 0
    finally:
        await store.close()
    # Both ways of keeping events were taken: in place, and a rebuild when a change reached a core.
    assert in_place[True] and in_place[False]


async def test_an_events_reports_rewritten_in_place_end_as_listed():
    """_rewrite_positions, over random reports leaving, arriving, moving and coming back, stores
    exactly the new list (position by position), and a report that comes back keeps its row."""
    import aiosqlite

    rng = random.Random(11)
    async with aiosqlite.connect(":memory:") as conn:
        await conn.execute("CREATE TABLE event_articles (event_id INTEGER NOT NULL, position INTEGER NOT NULL, "
                           "article_id TEXT NOT NULL, sentence INTEGER NOT NULL, PRIMARY KEY (event_id, position))")
        for event_id in range(300):
            before = [(f"a{n}", rng.randrange(3)) for n in rng.sample(range(60), rng.randrange(1, 40))]
            await conn.executemany("INSERT INTO event_articles VALUES (?, ?, ?, ?)",
                                   [(event_id, p, *row) for p, row in enumerate(before)])
            async with conn.execute("SELECT rowid, article_id, sentence FROM event_articles WHERE event_id = ?",
                                    (event_id,)) as cur:
                rowids = {(r[1], r[2]): r[0] for r in await cur.fetchall()}
            leaving = {row[0] for row in rng.sample(before, rng.randrange(len(before) + 1))}
            after = [(p, row) for p, row in enumerate(before) if row[0] not in leaving]
            returning = [row for row in before if row[0] in leaving and rng.random() < 0.5]
            new = [(f"b{n}", 0) for n in range(rng.randrange(4))]
            for row in returning + new:
                after.insert(rng.randrange(len(after) + 1), (None, row))
            wanted = [row for _, row in after]
            await store_events._rewrite_positions(conn, event_id, before, after)
            async with conn.execute("SELECT rowid, article_id, sentence FROM event_articles WHERE event_id = ? "
                                    "ORDER BY position", (event_id,)) as cur:
                stored = await cur.fetchall()
            assert [(r[1], r[2]) for r in stored] == wanted, event_id
            async with conn.execute("SELECT min(position), max(position) FROM event_articles WHERE event_id = ?",
                                    (event_id,)) as cur:
                assert tuple(await cur.fetchone()) in {(0, len(wanted) - 1), (None, None)}
            kept = {(r[1], r[2]): r[0] for r in stored if (r[1], r[2]) in rowids}
            assert kept == {row: rowids[row] for row in kept}  # staying and returning reports keep their rows
            assert set(kept) == {row for row in wanted if row in rowids}
