"""Reading an RSS or Atom document (feedparser) into the entries the poller needs."""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import time
from dataclasses import dataclass

import feedparser
import lxml.html
from lxml import etree

from .answers.types import UserError


class FeedError(UserError):
    """A document that is not a readable RSS or Atom feed; the message says why."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str  # what identifies the entry across polls: its id, else its link
    link: str | None
    title: str
    text: str  # title, summary, categories and any full content, as plain text: what `match:` reads
    published: dt.datetime | None  # the entry's published date, else its updated date (UTC)
    updated: str | None  # the entry's updated date as given: a change means the story was updated


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]  # in the feed's order (usually newest first)


def parse_feed(body: bytes, url: str, content_type: str = "application/xml", charset: str | None = None
               ) -> ParsedFeed:
    """The feed in `body` (fetched from `url`, which relative links are resolved against), or FeedError."""
    headers = {"content-location": url, "content-type": content_type + (f"; charset={charset}" if charset else "")}
    # A stream, never a string: feedparser fetches a string that looks like an address itself.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = tuple(_entry(e) for e in parsed.entries)
    # feedparser reads past small faults (bozo); what it recovered counts only if it holds usable entries.
    broken = parsed.get("bozo") and not any(entry.link for entry in entries)
    if broken or not (parsed.get("version") or entries):
        problem = parsed.get("bozo_exception")
        reason = f": {_first_line(str(problem))}" if problem else ""
        raise FeedError(f"{url}: not a readable RSS or Atom feed{reason}")
    return ParsedFeed(parsed.feed.get("title") or None, entries)


def _entry(entry) -> FeedEntry:
    link = (entry.get("link") or "").strip() or None
    title = _plain(entry.get("title", ""))
    # dict.get: FeedParserDict.get would answer `updated` with `published` (and warn about it).
    published = _instant(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
    updated = dict.get(entry, "updated") or None
    key = (entry.get("id") or "").strip() or link or _digest(title, entry.get("published", ""))
    return FeedEntry(key=key, link=link, title=title, text=_entry_text(entry, title), published=published,
                     updated=updated)


def _entry_text(entry, title: str) -> str:
    parts = [title, _plain(entry.get("summary", ""))]
    parts += [tag.get("term", "") for tag in entry.get("tags", [])]
    parts += [_plain(content.get("value", "")) for content in entry.get("content", [])]
    return "\n".join(part for part in parts if part)


def _plain(html: str) -> str:
    """The text of an HTML fragment (feeds put markup in titles and summaries)."""
    if not html or "<" not in html:
        return " ".join((html or "").split())
    try:
        return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())
    except (etree.ParserError, ValueError):
        return " ".join(html.split())


def _instant(value: time.struct_time | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def _digest(*parts: str) -> str:
    return "sha1:" + hashlib.sha1("\x00".join(parts).encode("utf-8")).hexdigest()


def _first_line(text: str, limit: int = 160) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit - 1] + "…"
