"""A reload that edits, removes and adds articles leaves what a fresh ingest of the final files leaves.

Edited articles are replaced in place (bot/store/corpus_writes.py): their unchanged sentences
keep their rows and full-text entries, their unchanged band keys stay. The export, the
sentences, the band keys and the full-text indexes must all be as a fresh ingest makes them.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from bot.export import dumps, export_document
from bot import answers, ingest
from bot.answers import NotFound
from bot.ingest import CorpusLoader
from bot.store import SqliteStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402  (bench/generate.py: the bench's own corpus generator)


def edit_files(folder: Path, rng: random.Random) -> None:
    """A day's changes: sentences appended (as the bench's 1% reload), one changed in the middle, one
    paragraph dropped, one split in two, a title changed, a file removed, a wire copy of an edited article added."""
    files = sorted(folder.glob("*.txt"))
    generate.touch_fraction(folder, 0.15, seed=rng.randrange(100))
    changed = rng.sample(files, 7)
    for path in changed[:2]:  # a sentence in the middle reworded
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        k = len(paragraphs) // 2
        paragraphs[k] = paragraphs[k].replace(" the ", " a ", 1) + " Officials declined to comment."
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    for path in changed[2:4]:  # a paragraph dropped: every later sentence moves up
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        del paragraphs[len(paragraphs) // 2]
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    for path in changed[4:5]:  # a paragraph split in two: the same sentences, later ones in other paragraphs
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        k = next(k for k in range(len(paragraphs) // 2, len(paragraphs)) if ". " in paragraphs[k].strip())
        paragraphs[k] = paragraphs[k].replace(". ", ".\n\n", 1)
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    titled = [p for p in files if p.read_text(encoding="utf-8").startswith('---\ntitle: "') and p not in changed]
    titled[0].write_text(titled[0].read_text(encoding="utf-8").replace('title: "', 'title: "Corrected ', 1),
                         encoding="utf-8")
    (folder / "wire_copy.txt").write_text(changed[0].read_text(encoding="utf-8"), encoding="utf-8")
    changed[6].unlink()


async def state(store) -> tuple:
    document = dumps(await export_document(store))
    sentences = [tuple(r) for r in await store.fetch_all(
        "SELECT article_id, idx, paragraph, text FROM sentences ORDER BY article_id, idx")]
    bands = [tuple(r) for r in await store.fetch_all("SELECT key, article_id FROM article_bands ORDER BY 1, 2")]
    # What searches find: every sentence by its words, every label by a piece of it.
    found = [tuple(r) for r in await store.fetch_all(
        "SELECT s.article_id, s.idx FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
        "WHERE sentences_fts MATCH 'said OR updated OR officials' ORDER BY 1, 2")]
    labels = [tuple(r) for r in await store.fetch_all(
        "SELECT a.id FROM articles_label_fts f JOIN articles a ON a.rowid = f.rowid "
        "WHERE articles_label_fts MATCH 'the' ORDER BY 1")]
    return document, sentences, bands, found, labels


async def integrity(store) -> None:
    async with store.transaction() as conn:
        for index in ("sentences_fts", "articles_label_fts", "event_words"):
            await conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")


async def event_topics(store) -> list[str]:
    """Every word of the sentences that report events, and each with the next word: topics a
    `/dates topic:` would find something for, and some it would not."""
    words = sorted({w.strip('.,;:"\'()').lower() for r in await store.fetch_all(
        "SELECT s.text FROM event_articles ea JOIN sentences s ON s.article_id = ea.article_id "
        "AND s.idx = ea.sentence") for w in r[0].split()} - {""})
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])] + ["officials declined", "zzyzx"]


async def topic_timelines(store, topics: list[str]) -> list:
    """What `/dates topic:` shows for each topic."""
    shown = []
    for topic in topics:
        try:
            shown.append(await answers.timeline(store, topic=topic))
        except NotFound:
            shown.append(None)
    return shown


@pytest.mark.parametrize("seed, bulk", [(1, False), (2, False), (3, True)])
async def test_a_reload_with_edits_equals_a_fresh_ingest(tmp_path, monkeypatch, seed, bulk):
    # Row by row (full-text entries kept up to date by triggers), or in bulk (indexes rebuilt at the end).
    monkeypatch.setattr(ingest, "BULK_SHARE", 0.0 if bulk else 1.0)
    folder = generate.generate(40, tmp_path / "corpus", seed=seed)
    rng = random.Random(seed)
    store = await SqliteStore.open(tmp_path / "reloaded.sqlite3")
    fresh = await SqliteStore.open(tmp_path / "fresh.sqlite3")
    try:
        loader = CorpusLoader(store, folder, workers=1)
        await loader.reload()
        edit_files(folder, rng)
        report = await loader.reload()
        assert len(report.updated) >= 8 and report.removed and report.added and not report.failed
        await CorpusLoader(fresh, folder, workers=1).reload()
        await integrity(store)
        reloaded, expected = await state(store), await state(fresh)
        assert reloaded[0] == expected[0]
        assert reloaded[1:] == expected[1:]
        assert expected[3] and expected[4]  # the searches find something
        topics = await event_topics(fresh)
        shown = await topic_timelines(fresh, topics)
        assert await topic_timelines(store, topics) == shown
        assert sum(answer is not None for answer in shown) > len(topics) // 4  # most find events
        assert shown[-1] is None  # a word in no sentence finds none
    finally:
        await store.close()
        await fresh.close()


async def test_changes_applied_outside_a_reload_equal_a_fresh_ingest(tmp_path):
    """apply_corpus_changes removes what it writes, stored or new, before writing it."""
    folder = generate.generate(12, tmp_path / "corpus", seed=4)
    store = await SqliteStore.open(tmp_path / "changed.sqlite3")
    fresh = await SqliteStore.open(tmp_path / "fresh.sqlite3")
    try:
        await CorpusLoader(store, folder, workers=1).reload()
        files = sorted(folder.glob("*.txt"))
        generate.touch_fraction(folder, 0.1, seed=5)
        (folder / "new_story.txt").write_text(files[3].read_text(encoding="utf-8").replace(" the ", " a "),
                                              encoding="utf-8")
        files[5].unlink()
        upserts = [ingest.prepare_file(str(p)) for p in sorted(folder.glob("*.txt"))]
        await store.apply_corpus_changes(upserts, [files[5].stem])
        await CorpusLoader(fresh, folder, workers=1).reload()
        await integrity(store)
        changed, expected = await state(store), await state(fresh)
        assert changed[0] == expected[0]
        assert changed[1:] == expected[1:]
        topics = await event_topics(fresh)
        assert await topic_timelines(store, topics) == await topic_timelines(fresh, topics)
    finally:
        await store.close()
        await fresh.close()
