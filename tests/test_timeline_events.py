"""Timeline events built at ingest: one entry per occasion across articles, kept up to date by reloads;
and search ranking every match. On both store drivers."""
from __future__ import annotations

import pytest

from bot import answers
from bot.answers import NotFound
from bot.ingest import CorpusLoader
from tests.conftest import acknowledge_errors


def article(title: str, published: str, body: str) -> str:
    return f"---\ntitle: {title}\npublished: {published}\n---\n\n{body}\n"


@pytest.fixture
def store(any_store):
    return any_store


def entry_blocks(description: str) -> list[str]:
    return [block for block in description.split("\n\n") if block.strip()]


async def test_dates_of_1956_show_the_joint_declaration_once_with_both_reports(world):
    mentions = [r for r in await world.bot.store.dates(year=1956) if r.value == "1956-10-19"]
    reporters = {r.article.id: (r.article.title or r.article.label) for r in mentions}
    assert len(reporters) == 2  # the bundled corpus: two articles report that day

    result = await world.member.slash(world.channel, "dates", year=1956)
    blocks = [b for b in entry_blocks(result.response.embeds[0].description) if b.startswith("**19 October 1956**")]
    assert len(blocks) == 1
    sources = blocks[0].split("\n")[-1]
    assert len(sources.split("; ")) == 2
    for title in reporters.values():
        assert title[:30] in sources

    on_day = await world.member.slash(world.channel, "onthisday", date="2030-10-19")
    assert sum(b.startswith("**19 October 1956**") for b in entry_blocks(on_day.response.embeds[0].description)) == 1
    acknowledge_errors(world.env)


async def test_events_follow_articles_added_changed_and_removed(store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "canal.txt").write_text(article(
        "Canal history", "2011-05-04",
        "The northern canal was opened to barges on 3 May 1911 after twelve years of digging. "
        "The old mill by the canal burned down on 9 June 1930."), encoding="utf-8")
    (corpus / "mill.txt").write_text(article(
        "Mill history", "2012-01-10",
        "A new school opened in the valley on 2 March 1925, the first in the district."), encoding="utf-8")
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    untouched = await store.fetch_all("SELECT id, value FROM events WHERE value = '1925-03-02'")
    assert len(untouched) == 1

    # Added: a second report of the canal's opening joins its event.
    (corpus / "barges.txt").write_text(article(
        "Barges return", "2021-05-03",
        "On May 3, 1911, the first barges passed through the northern canal, opened after years of digging."),
        encoding="utf-8")
    await loader.reload()
    canal = (await answers.timeline(store, year=1911)).entries
    assert [(e.when, sorted(a.id for a in e.articles)) for e in canal] == [("3 May 1911", ["barges", "canal"])]

    # Changed: the mill fire moves to another day; the old day has nothing left.
    path = corpus / "canal.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("9 June 1930", "12 July 1931"), encoding="utf-8")
    await loader.reload()
    with pytest.raises(NotFound):
        await answers.timeline(store, year=1930)
    assert [e.when for e in (await answers.timeline(store, year=1931)).entries] == ["12 July 1931"]

    # Removed: the canal's opening keeps only the report still in the corpus.
    (corpus / "barges.txt").unlink()
    await loader.reload()
    canal = (await answers.timeline(store, year=1911)).entries
    assert [[a.id for a in e.articles] for e in canal] == [["canal"]]

    # The school's event was never rebuilt: none of the changes touched its date.
    assert await store.fetch_all("SELECT id, value FROM events WHERE value = '1925-03-02'") == untouched

    # An edit that leaves an article's dates as they were rebuilds nothing.
    before = await store.fetch_all("SELECT * FROM events ORDER BY id")
    path = corpus / "mill.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe district later built a library next to it.\n",
                    encoding="utf-8")
    assert (await loader.reload()).updated
    assert [tuple(r) for r in await store.fetch_all("SELECT * FROM events ORDER BY id")] == [tuple(r) for r in before]


async def test_different_occasions_on_one_date_stay_apart(store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "museum.txt").write_text(article(
        "Museum", "2011-05-04", "The town museum opened its new glass wing to visitors on 3 May 1911."),
        encoding="utf-8")
    (corpus / "storm.txt").write_text(article(
        "Storm", "2012-02-01", "A violent storm sank two fishing boats off the southern cape on 3 May 1911."),
        encoding="utf-8")
    await CorpusLoader(store, corpus).reload()
    entries = (await answers.timeline(store, year=1911)).entries
    assert sorted([a.id for a in e.articles] for e in entries) == [["museum"], ["storm"]]


async def test_search_ranks_every_match_not_only_the_newest(store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_best.txt").write_text(article("Fares", "2001-01-01", "Ferry fares and ferry rules."),
                                       encoding="utf-8")
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    # Then more than 2,000 weaker matches, all ingested later (newer sentence rows).
    paragraphs = []
    for p in range(220):
        paragraphs.append(" ".join(
            f"Crossing {p * 10 + s} of the season took the ferry past the northern lighthouse with cargo and "
            f"passengers from the harbour town." for s in range(10)))
    (corpus / "b_log.txt").write_text(article("Crossing log", "2022-06-01", "\n\n".join(paragraphs)),
                                      encoding="utf-8")
    await loader.reload()
    assert len(await store.search("ferry", limit=3000)) > 2000

    hits = (await answers.search(store, "ferry")).hits
    assert hits[0].article.id == "a_best"
    assert "\x02" in hits[0].snippet
    # Topic summaries choose among the best-ranked sentences about the topic: it is among them.
    assert (await store.topic_sentences("ferry", limit=5))[0].article.id == "a_best"


async def test_the_digest_names_the_soonest_coming_dates_and_anniversaries(store, tmp_path):
    import datetime as dt

    from bot.render.pages import pages_for

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Four occasions on 4 June (of four years), three on 6 June, one on 3 June: more than the digest names.
    occasions = [("3 June 1990", "the harbour bridge opened"), ("4 June 1901", "the old lighthouse was lit"),
                 ("4 June 1932", "the ferry company was founded"), ("4 June 1950", "a great flood hit the docks"),
                 ("4 June 1977", "the fish market burned down"), ("6 June 1944", "troops landed on the beaches"),
                 ("6 June 1961", "the town hall was rebuilt"), ("6 June 1999", "the new marina was finished")]
    for i, (when, what) in enumerate(occasions):
        (corpus / f"d{i}.txt").write_text(article(f"Local history {i}", "2020-01-15", f"On {when}, {what}."),
                                          encoding="utf-8")
    await CorpusLoader(store, corpus).reload()

    digest = await answers.digest(store, dt.date(2024, 6, 3), since="2099-01-01T00:00:00+00:00")
    assert [e.value for e in digest.on_this_day] == ["1990-06-03"]
    assert [e.value for e in digest.coming] == ["1901-06-04", "1932-06-04", "1950-06-04", "1977-06-04", "1944-06-06"]
    text = "\n".join(page.description for page in pages_for(digest))
    coming = text.split("Coming anniversaries")[1]
    assert "the old lighthouse was lit" in coming and "troops landed on the beaches" in coming
    assert "the town hall was rebuilt" not in coming  # the sixth coming date: only five are named
    # The full list is still there for /onthisday and the coming dates themselves.
    assert len(await answers.coming_dates(store, dt.date(2024, 6, 3))) == 7
