"""One story, many outlets: an edited wire copy is one article in every answer, listing both outlets
(on both store drivers)."""
from __future__ import annotations

import datetime as dt
import hashlib

import aiosqlite
import pytest

from bot import answers
from bot.export import export_document
from bot.ingest import CorpusLoader, prepare_file
from bot.nlp.near_duplicates import are_copies, band_keys, may_be_copies, shingles, signature
from bot.render.pages import pages_for
from bot.store import Store, article_rows, open_store
from bot.store.database import migrate
from bot.store.schema import MIGRATIONS

from .helpers import copy_seeds

WIRE_PARAGRAPHS = [
    "Fishing crews from the port of Larsvik will be allowed back into the northern banks from next spring, "
    "the regional fisheries board decided on Tuesday after a year of talks with the coastal villages.",
    "The board voted seven to two to lift the ban that closed the banks in March, when a survey found "
    "cod stocks at their lowest level in two decades.",
    "\"We have listened to the crews and to the scientists, and this plan answers both,\" said Henrik Dahl, "
    "chairman of the fisheries board.",
    "Under the plan, each boat may land no more than four tonnes a week, and inspectors will board "
    "one vessel in ten at random to check the catch and the size of the nets.",
    "Village councils along the coast had warned that the ban would empty their harbours, and several "
    "families have already sold their boats to buyers in the south.",
    "\"The ban cost us a whole season, but we can live with these limits,\" said Sigrid Moen, who speaks "
    "for the Larsvik crews' association.",
    "Scientists at the marine institute said the stocks had recovered faster than expected after a mild "
    "winter, though they cautioned that one good year does not make a trend.",
    "The board will review the limits in September, when the autumn survey of the banks is complete, "
    "and may tighten them again if the numbers fall.",
]

OTHER_STORY = [
    "The fisheries board of Larsvik faced angry protests on Thursday as dozens of crews sailed into the "
    "harbour to demand compensation for the months they lost to the ban on the northern banks.",
    "Protesters blocked the ferry pier for three hours and unfurled banners criticising the board's "
    "chairman, whom they blame for the delays in paying the promised support.",
    "\"Nobody has seen a single krone of the money we were promised last spring,\" said Sigrid Moen, who "
    "speaks for the Larsvik crews' association.",
    "Police said the protest was peaceful and that no arrests were made, although the ferry to the islands "
    "left with a long delay and several passengers missed connections on the mainland.",
    "The board said payments would begin next month once the regional government signs off on the budget, "
    "a step officials expect before the end of the year.",
    "Henrik Dahl, chairman of the board, said he understood the anger of the crews and would meet their "
    "representatives next week to agree on a timetable for the payments.",
]


def front_matter(title: str, published: str, source: str) -> str:
    return f"---\ntitle: '{title}'\npublished: {published}\nsource: {source}\n---\n"


def original_text() -> str:
    return front_matter("Larsvik crews may fish the northern banks again", "2024-05-14", "Reuters") + \
        "\n\n".join(WIRE_PARAGRAPHS) + "\n"


def edited_copy_text(published: str = "2024-05-15", source: str = "Kyodo") -> str:
    """The wire story as another outlet ran it: own headline and byline, a paragraph dropped, one added."""
    paragraphs = WIRE_PARAGRAPHS[:4] + WIRE_PARAGRAPHS[5:]
    paragraphs.insert(6, "The decision follows similar moves by fisheries boards further up the coast, "
                         "where bans were lifted earlier this year.")
    return (front_matter("Ban lifted: northern banks reopen to Larsvik boats", published, source)
            + f"By a staff writer, {source}\n\n" + "\n\n".join(paragraphs)
            + f"\n\nCopyright {source}. All rights reserved. This material may not be republished.\n")


def other_story_text() -> str:
    return front_matter("Larsvik crews protest over unpaid support", "2024-05-16", "Harbour Post") + \
        "\n\n".join(OTHER_STORY) + "\n"


@pytest.fixture
def store(any_store):
    """Each store driver in turn."""
    return any_store


def write(folder, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


async def copy_of(store: Store) -> dict[str, str | None]:
    document = await export_document(store)
    return {a["id"]: a["copy_of"] for a in document["articles"]}


async def quote_counts(store: Store) -> dict[str, int]:
    return {e.name: e.quote_count for e in (await answers.experts(store)).experts}


def test_an_edited_copy_matches_and_a_different_story_on_the_topic_does_not():
    original, copy, other = shingles(original_text()), shingles(edited_copy_text()), shingles(other_story_text())
    assert are_copies(original, copy)
    assert set(band_keys(signature(original))) & set(band_keys(signature(copy)))
    assert may_be_copies(signature(original), len(original), signature(copy), len(copy))
    assert not are_copies(original, other) and not are_copies(copy, other)
    assert not are_copies(shingles("Too short to tell."), shingles("Too short to tell."))


async def test_an_edited_wire_copy_is_one_article_listing_both_outlets(store, tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus, "wire.txt", original_text())
    write(corpus, "other.txt", other_story_text())
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    counts_before = await quote_counts(store)
    assert counts_before.get("Henrik Dahl", 0) >= 1

    write(corpus, "copy.txt", edited_copy_text())
    await loader.reload()
    assert await copy_of(store) == {"wire": None, "other": None, "copy": "wire"}
    # Quotes are counted once, however many outlets ran them.
    assert await quote_counts(store) == counts_before
    quotes = await answers.quotes_by(store, "Henrik Dahl")
    quoted_in = {q.article.id for q in quotes.quotes}
    assert "wire" in quoted_in and "copy" not in quoted_in

    hits = (await answers.search(store, "inspectors")).hits
    assert [h.article.id for h in hits] == ["wire"]
    corpus_summary = await answers.summary(store, sentences=5)
    assert "copy" not in {line.article.id for line in corpus_summary.lines}
    topic_summary = await answers.summary(store, topic="cod stocks", sentences=3)
    assert {line.article.id for line in topic_summary.lines} == {"wire"}
    choices = await answers.article_choices(store, "")
    assert sorted(c.value for c in choices) == ["other", "wire"]

    timeline = await answers.timeline(store)
    assert timeline.entries
    assert all("copy" not in {a.id for a in e.articles} for e in timeline.entries)
    digest = await answers.digest(store, dt.date(2024, 5, 20))
    assert sorted(a.id for a in digest.new_articles) == ["other", "wire"]
    quote = await answers.quote_of_the_day(store, dt.date(2024, 5, 20), guild_id=None)
    assert quote is None or quote.article.id != "copy"

    about = await answers.summary(store, article="wire")
    assert [a.source for a in about.also_carried_by] == ["Kyodo"]
    page = pages_for(await answers.article(store, "wire"))[0]
    assert "Also carried by: Kyodo (2024-05-15)" in page.description
    about_copy = await answers.article(store, "copy")
    assert [a.source for a in about_copy.also_carried_by] == ["Reuters"]


async def timeline_sources(store) -> set[str]:
    return {a.id for e in (await answers.timeline(store)).entries for a in e.articles}


async def test_the_earliest_published_carrier_is_the_original(store, tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus, "wire.txt", original_text())
    write(corpus, "copy.txt", edited_copy_text())
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    counts = await quote_counts(store)
    write(corpus, "early.txt", edited_copy_text(published="2024-05-13", source="Nordic Press"))
    await loader.reload()
    assert await copy_of(store) == {"early": None, "wire": "early", "copy": "early"}
    assert await quote_counts(store) == counts
    # The events of the story's dates are now reported by the new original alone.
    assert await timeline_sources(store) == {"early"}
    about = await answers.article(store, "early")
    assert [a.source for a in about.also_carried_by] == ["Reuters", "Kyodo"]


async def test_removing_or_rewriting_the_original_promotes_the_copy(store, store_driver, tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus, "wire.txt", original_text())
    write(corpus, "copy.txt", edited_copy_text())
    write(corpus, "late.txt", edited_copy_text(published="2024-05-20", source="Baltic Times"))
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    counts = await quote_counts(store)
    assert await copy_of(store) == {"wire": None, "copy": "wire", "late": "wire"}

    (corpus / "wire.txt").unlink()
    await loader.reload()
    assert await copy_of(store) == {"copy": None, "late": "copy"}
    assert await quote_counts(store) == counts
    assert await timeline_sources(store) == {"copy"}
    assert [h.article.id for h in (await answers.search(store, "inspectors")).hits] == ["copy"]

    # The original comes back as another story altogether: it leads nothing, the copy keeps the lead.
    write(corpus, "wire.txt", other_story_text().replace("2024-05-16", "2024-05-01"))
    await loader.reload()
    assert await copy_of(store) == {"wire": None, "copy": None, "late": "copy"}
    if store_driver == "sqlite":
        assert await store.integrity_ok()


async def test_an_article_rewritten_inside_one_reload_is_compared_as_it_now_reads(store, tmp_path):
    """A reload keeps the shingles of the bodies it wrote and checked at hand: one it rewrites must be
    checked against its new body, not the one it had earlier in the same reload."""
    corpus = tmp_path / "corpus"
    write(corpus / "first", "wire.txt", original_text())
    write(corpus / "first", "copy.txt", edited_copy_text())
    write(corpus / "second", "wire.txt", other_story_text())
    write(corpus / "second", "echo.txt", front_matter("Protest in Larsvik harbour", "2024-05-18", "Coast Radio")
          + "\n\n".join(OTHER_STORY[:5]) + "\n\nCoast Radio. All rights reserved.\n")

    def rows(folder: str, name: str):
        return article_rows(prepare_file(str(corpus / folder / f"{name}.txt")), "2026-01-01T00:00:00+00:00")

    async with store.corpus_changes() as batch:
        await batch.insert([rows("first", "wire")])
        await batch.insert([rows("first", "copy")])  # checked against the wire story's body
        await batch.remove(["wire"])
        await batch.insert([rows("second", "wire")])  # the same id, now the protest story
        await batch.insert([rows("second", "echo")])  # a copy of the protest story
    assert await copy_of(store) == {"copy": None, "echo": "wire", "wire": None}


async def test_the_seeds_are_all_originals(store, tmp_path):
    await CorpusLoader(store, copy_seeds(tmp_path / "corpus")).reload()
    assert set((await copy_of(store)).values()) == {None}


async def test_a_database_from_before_copies_marks_them_on_the_next_reload(tmp_path):
    """The migration cannot compute signatures in SQL: it makes the next reload read every file again."""
    corpus = tmp_path / "corpus"
    write(corpus, "wire.txt", original_text())
    write(corpus, "copy.txt", edited_copy_text())
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        before_copies = next(i for i, sql in enumerate(MIGRATIONS) if "copy_of" in sql)
        await migrate(conn, path, target=before_copies)
        for name in ("wire", "copy"):  # as an older bot stored them: unchanged files, no signatures
            file = corpus / f"{name}.txt"
            stat = file.stat()
            await conn.execute(
                "INSERT INTO articles(id, path, content_hash, body, ingested_at, file_size, file_mtime_ns) "
                "VALUES (?, ?, ?, ?, '2024-05-01T00:00:00+00:00', ?, ?)",
                (name, str(file), hashlib.sha256(file.read_bytes()).hexdigest(), file.read_text(), stat.st_size,
                 stat.st_mtime_ns))
    store = await open_store(path)
    try:
        report = await CorpusLoader(store, corpus).reload()
        assert sorted(report.updated) == ["copy", "wire"]
        assert await copy_of(store) == {"wire": None, "copy": "wire"}
    finally:
        await store.close()
