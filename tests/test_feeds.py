"""Feeds end to end against a news site on 127.0.0.1: polling, conditional requests, the match filter,
failures and backoff, the feed's date as the last resort, one request at a time per host; on both store drivers."""
from __future__ import annotations

import asyncio
import datetime as dt
import socket
from pathlib import Path

import pytest

from bot import answers
from bot.config import FeedSpec
from bot.feeds import FeedService, backoff
from bot.ingest import CorpusLoader
from bot.store import Store, open_store
from tests.feed_site import FeedSite, Item, article_page, atom, rss, start_feed_site

KURIL_TEXT = ["Japan and Russia resumed talks on the Kuril Islands on Tuesday, officials in Tokyo said.",
              "\"We want a peace treaty within our lifetime,\" a former island resident told reporters.",
              "The islands, called the Northern Territories in Japan, were seized by Soviet troops in 1945."]
FOOTBALL_TEXT = ["The home side won the cup final on Saturday after a late goal in extra time.",
                 "\"It was a night to remember,\" the captain said after the final whistle."]


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
async def feed_site():
    site = await start_feed_site()
    yield site
    await site.server.close()


@pytest.fixture
def store(any_store):
    """Each store driver in turn: the feed state and the entries seen are the store's."""
    return any_store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


def service(store: Store, folder: Path, clock: Clock, *specs: FeedSpec) -> FeedService:
    return FeedService(store, CorpusLoader(store, folder, workers=1), specs, allow_private=True, timeout=3,
                       now=clock)


def world_news(site: FeedSite) -> None:
    """A general world-news feed: one story about the islands, one about football."""
    site.pages["/kuril-talks"] = article_page("Talks resume on the Kuril Islands", KURIL_TEXT, "2021-03-02")
    site.pages["/cup-final"] = article_page("Late goal wins the cup final", FOOTBALL_TEXT, "2021-03-01")
    site.feeds["/world.xml"] = rss([
        Item("Late goal wins the cup final", "/cup-final", "Football: the home side wins.",
             "Mon, 01 Mar 2021 20:00:00 GMT"),
        Item("Talks resume", "/kuril-talks", "Tokyo and Moscow meet again over the Kurils.",
             "Tue, 02 Mar 2021 10:00:00 GMT"),
    ])


async def titles(store: Store) -> set[str]:
    return {row["title"] for row in await store.fetch_all("SELECT title FROM articles")}


async def test_new_entries_are_ingested_once_and_a_304_means_nothing_new(feed_site, store, folder, clock):
    world_news(feed_site)
    feeds = service(store, folder, clock, FeedSpec(feed_site.url("/world.xml")))
    [result] = await feeds.poll_due()
    assert result.error is None
    assert sorted(new.article.title for new in result.new) == ["Late goal wins the cup final",
                                                               "Talks resume on the Kuril Islands"]
    assert await titles(store) == {"Late goal wins the cup final", "Talks resume on the Kuril Islands"}
    assert len(list(folder.glob("web-127.0.0.1-*.html"))) == 2

    assert await feeds.poll_due() == []  # not due for another 30 minutes
    clock.advance(minutes=30)
    [again] = await feeds.poll_due()
    assert again.not_modified and not again.new
    path, headers = feed_site.requests[-1]
    assert path == "/world.xml" and headers.get("If-None-Match", "").startswith('"')
    assert headers.get("If-Modified-Since") == "Sat, 06 Mar 2021 12:00:00 GMT"
    assert "KurilBriefingBot" in headers["User-Agent"]
    assert feed_site.paths_requested().count("/kuril-talks") == 1


async def test_a_restart_does_not_fetch_entries_again(feed_site, store, folder, clock):
    world_news(feed_site)
    spec = FeedSpec(feed_site.url("/world.xml"))
    await service(store, folder, clock, spec).poll_due()
    feed_site.feeds["/world.xml"] += " "  # a new ETag: the server sends the whole feed again
    clock.advance(minutes=31)
    [result] = await service(store, folder, clock, spec).poll_due()  # a new service, as after a restart
    assert not result.not_modified and result.new == []
    assert feed_site.paths_requested().count("/kuril-talks") == 1
    assert feed_site.paths_requested().count("/cup-final") == 1


async def test_the_match_filter_keeps_the_story_and_drops_the_rest_without_fetching_it(
        feed_site, store, folder, clock):
    world_news(feed_site)
    spec = FeedSpec(feed_site.url("/world.xml"), match='Kuril OR "Northern Territories" OR Habomai')
    [result] = await service(store, folder, clock, spec).poll_due()
    assert [new.article.title for new in result.new] == ["Talks resume on the Kuril Islands"]
    assert result.filtered == 1
    assert "/cup-final" not in feed_site.paths_requested()  # decided on the entry's own text
    found = await answers.search(store, "Kuril")
    assert {hit.article.display_title for hit in found.hits} == {"Talks resume on the Kuril Islands"}


async def test_a_malformed_feed_is_recorded_and_backs_off_and_nothing_is_lost(feed_site, store, folder, clock):
    world_news(feed_site)
    good = feed_site.feeds["/world.xml"]
    feed_site.feeds["/world.xml"] = good[:good.index("<link>", good.index("<item>"))]  # cut off in the first entry
    spec = FeedSpec(feed_site.url("/world.xml"), every_minutes=30)
    feeds = service(store, folder, clock, spec)
    [first] = await feeds.poll_due()
    assert "not a readable RSS or Atom feed" in first.error
    [status] = await feeds.statuses()
    assert status.state.failures == 1 and status.state.last_success is None
    assert status.state.next_attempt == (clock.now + dt.timedelta(minutes=60)).isoformat(timespec="seconds")
    assert any("last error" in line and "not a readable RSS or Atom feed" in line for line in status.lines())

    clock.advance(minutes=60)
    [second] = await feeds.poll_due()
    assert second.error
    [status] = await feeds.statuses()
    assert status.state.failures == 2
    assert status.state.next_attempt == (clock.now + dt.timedelta(minutes=120)).isoformat(timespec="seconds")

    feed_site.feeds["/world.xml"] = good  # the site is fixed
    clock.advance(minutes=120)
    [third] = await feeds.poll_due()
    assert third.error is None and len(third.new) == 2
    [status] = await feeds.statuses()
    assert status.state.failures == 0 and status.state.last_success == clock.now.isoformat(timespec="seconds")


async def test_a_feed_with_a_small_fault_still_gives_its_entries(feed_site, store, folder, clock):
    world_news(feed_site)
    feed_site.feeds["/world.xml"] = feed_site.feeds["/world.xml"].replace("Talks resume", "Talks & hopes resume")
    [result] = await service(store, folder, clock, FeedSpec(feed_site.url("/world.xml"))).poll_due()
    assert result.error is None and len(result.new) == 2


async def test_an_unreachable_feed_gives_a_recorded_error(store, folder, clock):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    feeds = service(store, folder, clock, FeedSpec(f"http://127.0.0.1:{port}/feed.xml"))
    [result] = await feeds.poll_due()
    assert "cannot connect" in result.error
    [status] = await feeds.statuses()
    assert "cannot connect" in status.state.last_error and status.state.failures == 1


async def test_http_errors_and_non_feeds_are_recorded(feed_site, store, folder, clock):
    feed_site.pages["/page.html"] = article_page("Not a feed", KURIL_TEXT)
    feeds = service(store, folder, clock, FeedSpec(feed_site.url("/status/500")),
                    FeedSpec(feed_site.url("/page.html")), FeedSpec(feed_site.url("/gone.xml")))
    errors = [result.error for result in await feeds.poll_due()]
    assert "HTTP 500" in errors[0]
    assert "not a readable RSS or Atom feed" in errors[1]
    assert "HTTP 404" in errors[2]


async def test_a_failing_page_is_retried_and_the_feed_asked_again_in_full(feed_site, store, folder, clock):
    world_news(feed_site)
    story = feed_site.pages.pop("/kuril-talks")
    feeds = service(store, folder, clock, FeedSpec(feed_site.url("/world.xml")))
    [first] = await feeds.poll_due()
    assert len(first.new) == 1 and "HTTP 404" in first.failed[0]
    feed_site.pages["/kuril-talks"] = story
    clock.advance(minutes=30)
    [second] = await feeds.poll_due()
    assert not second.not_modified  # the validators were not kept while an entry was pending
    assert [new.article.title for new in second.new] == ["Talks resume on the Kuril Islands"]
    assert feed_site.paths_requested().count("/cup-final") == 1


async def test_the_feed_date_is_the_last_resort_for_the_publication_date(feed_site, store, folder, clock):
    feed_site.pages["/dated"] = article_page("Dated story on the islands", KURIL_TEXT, "2021-03-02")
    feed_site.pages["/undated"] = article_page("Undated story on the islands", KURIL_TEXT[::-1])
    feed_site.feeds["/feed.xml"] = rss([
        Item("Dated", "/dated", "", "Fri, 05 Mar 2021 08:00:00 GMT"),
        Item("Undated", "/undated", "", "Thu, 04 Mar 2021 23:30:00 GMT"),
    ])
    await service(store, folder, clock, FeedSpec(feed_site.url("/feed.xml"))).poll_due()

    async def dates(s: Store) -> dict[str, tuple[str, str]]:
        rows = await s.fetch_all("SELECT title, published, published_kind FROM articles")
        return {row[0]: (row[1][:10], row[2]) for row in rows}

    expected = {"Dated story on the islands": ("2021-03-02", "page_metadata"),
                "Undated story on the islands": ("2021-03-04", "feed_entry")}
    assert await dates(store) == expected
    async with await open_store(folder.parent / "reloaded.sqlite3") as fresh:  # the folder alone gives the same
        await CorpusLoader(fresh, folder, workers=1).reload()
        assert await dates(fresh) == expected


async def test_an_updated_entry_is_fetched_again(feed_site, store, folder, clock):
    feed_site.pages["/story"] = article_page("Ferry talks on the islands", KURIL_TEXT[:2], "2021-03-02")
    feed_site.feeds["/atom.xml"] = atom([("urn:story", "Ferry talks", "/story", "2021-03-02T10:00:00Z")])
    feeds = service(store, folder, clock, FeedSpec(feed_site.url("/atom.xml")))
    [first] = await feeds.poll_due()
    assert [new.outcome for new in first.new] == ["added"]

    feed_site.pages["/story"] = article_page("Ferry talks on the islands", KURIL_TEXT, "2021-03-02")
    feed_site.feeds["/atom.xml"] = atom([("urn:story", "Ferry talks", "/story", "2021-03-03T08:00:00Z")])
    clock.advance(minutes=30)
    [second] = await feeds.poll_due()
    assert [new.outcome for new in second.new] == ["updated"]
    rows = await store.fetch_all("SELECT body FROM articles")
    assert len(rows) == 1 and "Soviet troops in 1945" in rows[0]["body"]


async def test_one_request_at_a_time_per_host(feed_site, store, folder, clock):
    feed_site.delay = 0.05
    for n in range(3):
        feed_site.pages[f"/a{n}"] = article_page(f"Island story number {n}", KURIL_TEXT, "2021-03-02")
        feed_site.pages[f"/b{n}"] = article_page(f"Harbour story number {n}", KURIL_TEXT[::-1], "2021-03-02")
    feed_site.feeds["/a.xml"] = rss([Item(f"A{n}", f"/a{n}") for n in range(3)])
    feed_site.feeds["/b.xml"] = rss([Item(f"B{n}", f"/b{n}") for n in range(3)])
    feeds = service(store, folder, clock, FeedSpec(feed_site.url("/a.xml")), FeedSpec(feed_site.url("/b.xml")))
    results = await feeds.poll_due()
    assert [len(result.new) for result in results] == [3, 3], [(r.failed, r.unchanged) for r in results]
    assert len(feed_site.requests) == 8
    assert feed_site.most_active == 1


async def test_new_feed_articles_reach_the_next_digest(feed_site, store, folder, clock):
    world_news(feed_site)
    previous_digest = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    await asyncio.sleep(1.1)  # ingest times have whole seconds
    spec = FeedSpec(feed_site.url("/world.xml"), match="Kuril")
    await service(store, folder, clock, spec).poll_due()
    digest = await answers.digest(store, dt.date(2026, 3, 1), since=previous_digest)
    assert [article.display_title for article in digest.new_articles] == ["Talks resume on the Kuril Islands"]


def test_backoff_doubles_up_to_a_day():
    every = dt.timedelta(minutes=30)
    assert [backoff(every, n) for n in (0, 1, 2, 3)] == [every, every * 2, every * 4, every * 8]
    assert backoff(every, 40) == dt.timedelta(hours=24)


async def test_the_command_line_polls_every_feed_and_reports(feed_site, folder, tmp_path, capsys):
    from bot.cli import main

    world_news(feed_site)
    config = tmp_path / "config.yaml"
    config.write_text(f"allow_private_addresses: true\ndatabase: cli.sqlite3\ncorpus: corpus\nfeeds:\n"
                      f"  - url: {feed_site.url('/world.xml')}\n    match: Kuril\n    name: World news\n"
                      f"  - url: {feed_site.url('/status/503')}\n", encoding="utf-8")
    code = await asyncio.to_thread(main, ["--config", str(config), "feeds"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1  # one feed failed
    assert out[0] == "World news: 1 new, 1 outside the match filter"
    assert out[1].startswith("  New: Talks resume on the Kuril Islands · 2021-03-02 · Harbour Times · <http")
    assert out[2].endswith("/status/503: failed: " + feed_site.url("/status/503") + ": HTTP 503")
    assert len(list(folder.glob("*.html"))) == 1


async def test_feeds_are_fetched_as_safely_as_links(feed_site, store, folder, clock):
    world_news(feed_site)
    feeds = FeedService(store, CorpusLoader(store, folder, workers=1), [FeedSpec(feed_site.url("/world.xml"))],
                        allow_private=False, now=clock)
    [result] = await feeds.poll_due()
    assert "refused: 127.0.0.1 is a loopback address" in result.error
    assert feed_site.requests == []
