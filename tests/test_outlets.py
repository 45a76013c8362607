"""Every article of one outlet shows one source name, however each article names it."""
from __future__ import annotations

import datetime as dt

from bot.console import Session, run_line
from bot.corpus.outlets import name_key, outlet_names, registrable_domain
from bot.ingest import CorpusLoader
from bot.store import open_store


def _page(title: str, site_name: str | None, url: str) -> str:
    meta = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    body = " ".join(f"The harbour board met on day {n} to discuss the ferry fares and the pier." for n in range(8))
    return (f'<html><head><title>{title}</title>{meta}<link rel="canonical" href="{url}"></head>'
            f"<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>")


def _text(title: str, source: str) -> str:
    return (f"---\ntitle: {title}\npublished: 2025-05-0{len(title) % 9 + 1}\nsource: {source}\n---\n{title}\n\n"
            "The harbour board met on Monday to discuss the ferry fares.\n")


def test_the_rule_on_names_and_hosts():
    assert registrable_domain("https://www.coastalwire.example.com/news/1") == "example.com"
    assert registrable_domain("https://news.coastal-wire.net/a") == "coastal-wire.net"
    assert name_key("The Coastal Wire News") == "coastal wire"
    shown = outlet_names([("a", "coastal-wire.net", "Coastal Wire"), ("b", "coastal-wire.net", None),
                          ("c", "coastal-wire.net", "Coastal Wire"), ("d", "coastal-wire.net", "CW Online"),
                          ("e", None, "Coastal Wire News"), ("f", "other.org", None), ("g", None, None)])
    assert shown == {"a": "Coastal Wire", "b": "Coastal Wire", "c": "Coastal Wire", "d": "Coastal Wire",
                     "e": "Coastal Wire", "f": "other.org"}


async def test_articles_of_one_outlet_show_one_source(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fares.html").write_text(_page("Fares rise", "Coastal Wire", "https://coastal-wire.net/fares"))
    (corpus / "pier.html").write_text(_page("Pier rebuilt", None, "https://www.coastal-wire.net/pier"))
    (corpus / "board.html").write_text(_page("Board meets", "Coastal Wire", "https://coastal-wire.net/board"))
    (corpus / "kyodo-1.txt").write_text(_text("Talks resume", "Kyodo"))
    (corpus / "kyodo-2.txt").write_text(_text("Talks stall again", "Kyodo News"))
    (corpus / "kyodo-3.txt").write_text(_text("Talks end", "Kyodo"))
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        await CorpusLoader(store, corpus).reload()
        session = Session(store, None, today=lambda: dt.date(2025, 5, 20))
        replies = {name: await run_line(session, f"/article {name}")
                   for name in ("fares", "pier", "board", "kyodo-1", "kyodo-2", "kyodo-3")}
    finally:
        await store.close()
    for name in ("fares", "pier", "board"):
        assert "source: Coastal Wire" in replies[name], replies[name]
    for name in ("kyodo-1", "kyodo-2", "kyodo-3"):
        assert "source: Kyodo ·" in replies[name], replies[name]


async def test_after_any_sequence_of_edits_each_article_shows_what_a_full_pass_gives(tmp_path):
    import random

    from bot.store.corpus_writes import unify_outlet_names

    rng = random.Random(11)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pages = [("Coastal Wire", "https://coastal-wire.net/{}"), (None, "https://www.coastal-wire.net/{}"),
             ("Kyodo News", "https://kyodonews.net/{}"), (None, "https://other.org/{}")]
    texts = ["Kyodo", "Kyodo News", "Coastal Wire", "The Other", "Other"]
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        loader = CorpusLoader(store, corpus)
        for step in range(6):
            for _ in range(4):
                n = rng.randrange(12)
                for old in corpus.glob(f"story-{n}.*"):
                    old.unlink()
                if rng.random() < 0.2:
                    continue  # removed
                if rng.random() < 0.5:
                    site, url = rng.choice(pages)
                    (corpus / f"story-{n}.html").write_text(_page(f"Story {n} step {step}", site, url.format(n)))
                else:
                    (corpus / f"story-{n}.txt").write_text(_text(f"Story {n} step {step}", rng.choice(texts)))
            await loader.reload()
            rows = await store.fetch_all("SELECT id, host, source_given, source FROM articles")
            expected = outlet_names((r["id"], r["host"], r["source_given"]) for r in rows)
            assert {r["id"]: r["source"] for r in rows} == {
                r["id"]: expected.get(r["id"], r["source_given"]) for r in rows}
            async with store.transaction() as conn:
                await unify_outlet_names(conn)
            assert [tuple(r) for r in await store.fetch_all("SELECT id, source FROM articles ORDER BY id")] == \
                sorted((r["id"], r["source"]) for r in rows)
    finally:
        await store.close()
