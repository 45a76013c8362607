"""A news site on 127.0.0.1 with RSS and Atom feeds, for the feed tests.

The tests write its feeds and pages; the site answers conditional requests as a real
server does (ETag, Last-Modified, 304) and records every request it saw and the most
requests it was serving at once.
"""
from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from aiohttp import web
from aiohttp.test_utils import TestServer

LAST_MODIFIED = format_datetime(datetime(2021, 3, 6, 12, 0, tzinfo=timezone.utc), usegmt=True)


def article_page(title: str, sentences: list[str], published: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{published}">\n' if published else ""
    paragraphs = "\n".join(f"<p>{escape(s)}</p>" for s in sentences)
    return (f"<!DOCTYPE html>\n<html><head><title>{escape(title)}</title>\n"
            f'<meta property="og:site_name" content="Harbour Times">\n{meta}</head><body>\n'
            f'<nav><a href="/">Home</a></nav>\n<article><h1>{escape(title)}</h1>\n{paragraphs}\n</article>'
            "</body></html>")


@dataclass(frozen=True)
class Item:
    title: str
    link: str  # a path on the site
    summary: str = ""
    published: str | None = None  # RFC 822 date, e.g. "Tue, 02 Mar 2021 10:00:00 GMT"
    guid: str | None = None


def rss(items: list[Item], title: str = "Harbour Times: World") -> str:
    entries = []
    for item in items:
        date = f"<pubDate>{item.published}</pubDate>" if item.published else ""
        guid = f'<guid isPermaLink="false">{escape(item.guid)}</guid>' if item.guid else ""
        entries.append(f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>{guid}{date}"
                       f"<description>{escape(item.summary)}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>/</link><description>News</description>{''.join(entries)}</channel></rss>")


def atom(items: list[tuple[str, str, str, str]], title: str = "Harbour Times (Atom)") -> str:
    """items: (id, title, path, updated ISO)."""
    entries = "".join(f"<entry><id>{escape(i)}</id><title>{escape(t)}</title><link href=\"{escape(p)}\"/>"
                      f"<updated>{u}</updated><summary>{escape(t)}</summary></entry>" for i, t, p, u in items)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:harbour</id><updated>2021-03-06T12:00:00Z</updated>"
            f"{entries}</feed>")


@dataclass
class FeedSite:
    feeds: dict[str, str] = field(default_factory=dict)  # path -> XML
    pages: dict[str, str] = field(default_factory=dict)  # path -> HTML
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, headers) as received
    delay: float = 0.0  # seconds each response waits: lets overlapping requests show
    active: int = 0
    most_active: int = 0
    server: TestServer | None = None

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    def paths_requested(self) -> list[str]:
        return [path for path, _ in self.requests]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers)))
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return self._respond(request)
        finally:
            self.active -= 1

    def _respond(self, request: web.Request) -> web.Response:
        path = request.path
        if path.startswith("/status/"):
            return web.Response(status=int(path.rsplit("/", 1)[1]), text="no")
        if path in self.feeds:
            body = self.feeds[path]
            etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers=headers)
            return web.Response(text=body, content_type="application/rss+xml", charset="utf-8", headers=headers)
        if path in self.pages:
            return web.Response(text=self.pages[path], content_type="text/html", charset="utf-8")
        return web.Response(status=404, text="not found")


async def start_feed_site() -> FeedSite:
    site = FeedSite()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", site.handle)
    site.server = TestServer(app, host="127.0.0.1")
    await site.server.start_server()
    return site
