"""Every article of one outlet shows one source name, however each article names it."""
from __future__ import annotations

import datetime as dt

from bot.console import Session, run_line
from bot.corpus.outlets import name_key, outlet_names, registrable_domain
from bot.ingest import CorpusLoader
from bot.store import Store


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
    store = await Store.open(tmp_path / "bot.sqlite3")
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
