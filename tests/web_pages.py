"""A small web site on 127.0.0.1 for the link tests: pages the tests write themselves, and the usual failures."""
from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.test_utils import TestServer

STORY = """<!DOCTYPE html>
<html><head><title>Ferry deal signed for the Kuril Islands</title>
<link rel="canonical" href="/news/ferry-deal">
<meta property="og:site_name" content="Coastal Wire">
<meta property="article:published_time" content="2021-03-05">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ferry deal signed for the Kuril Islands</h1>
<p>The two towns signed the ferry agreement on Friday, March 5, 2021, after years of talks about the islands.</p>
<p>"This is a good day for everyone who lives on the islands," the mayor said at the harbour ceremony.</p>
<p>Officials said the first ferry would sail in June 2021, weather permitting, and would carry both residents and
cargo between the two harbours every week of the summer season.</p>
</article></body></html>
"""

# No canonical link: only URL normalisation can tell that two addresses are one story.
PLAIN = STORY.replace('<link rel="canonical" href="/news/ferry-deal">\n', "")

# No publication date in the page's metadata.
UNDATED = PLAIN.replace('<meta property="article:published_time" content="2021-03-05">\n', "")

EMPTY = "<html><head><title>Nothing here</title></head><body></body></html>"

MB = 1024 * 1024


async def _html(text: str) -> web.Response:
    return web.Response(text=text, content_type="text/html", charset="utf-8")


def build_app() -> web.Application:
    app = web.Application()

    async def story(request: web.Request) -> web.Response:
        return await _html(STORY)

    async def plain(request: web.Request) -> web.Response:
        return await _html(PLAIN)

    async def undated(request: web.Request) -> web.Response:
        return await _html(UNDATED)

    async def empty(request: web.Request) -> web.Response:
        return await _html(EMPTY)

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="no")

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return await _html(STORY)

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})  # streamed: no Content-Length
        await response.prepare(request)
        for _ in range(6):
            await response.write(b"<p>" + b"x" * (MB - 7) + b"</p>")
        await response.write_eof()
        return response

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")

    async def hop(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound(f"/hop/{n + 1}" if n < 10 else "/story")

    async def to_private(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://10.0.0.1/latest")

    app.router.add_get("/story", story)
    app.router.add_get("/news/ferry-deal", story)
    app.router.add_get("/plain", plain)
    app.router.add_get("/undated", undated)
    app.router.add_get("/empty", empty)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/slow", slow)
    app.router.add_get("/huge", huge)
    app.router.add_get("/image", image)
    app.router.add_get("/hop/{n}", hop)
    app.router.add_get("/to-private", to_private)
    return app


def make_server() -> TestServer:
    return TestServer(build_app(), host="127.0.0.1")
