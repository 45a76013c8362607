"""Polling RSS and Atom feeds: new entries are fetched and ingested like links (bot.adding).

`FeedService` is plain asyncio, free of Discord: the feeds cog drives it once a minute and
`python -m bot feeds` drives it from the command line. Each feed is polled on its own
schedule with a conditional request (the validators of the last good fetch); a feed that
fails backs off exponentially. One request at a time goes to any host, feeds and pages alike.

Every entry handled is recorded in the database, so a restart neither re-fetches nor
forgets one. The validators are stored only once every entry of a fetch was handled:
until then the next poll asks for the whole feed again, so nothing is lost to a 304.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from .adding import Added, add_page
from .answers.types import UserError
from .config import DEFAULT_FEED_MINUTES, FeedSpec, feed_spec
from .corpus.article import ParsedArticle
from .feed_reader import FeedEntry, parse_feed
from .fetch import NOT_MODIFIED, TIMEOUT_SECONDS, fetch_feed, fetch_page
from .ingest import CorpusLoader
from .links import normalise_url
from .store import FeedPollState, SeenEntry, Store, StoredFeed, search_expression, text_matches

log = logging.getLogger(__name__)

# After n failures in a row a feed waits its interval times 2**n, at most a day.
MAX_BACKOFF = dt.timedelta(hours=24)
# Pages fetched per poll of one feed; the rest wait for the next poll (the feed is asked again in full).
MAX_NEW_PER_POLL = 30
# A page that fails this many times is given up (it stays recorded with its last error).
MAX_ENTRY_ATTEMPTS = 3
MAX_ERROR_CHARS = 300
CHECK_SECONDS = 60  # how often the loops look for due feeds
# The loops skip the database until the next feed is due, but look at least this often.
MAX_IDLE = dt.timedelta(hours=1)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _instant(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class Feed:
    spec: FeedSpec
    origin: str  # "configuration" | "command"

    @property
    def url(self) -> str:
        return self.spec.url

    @property
    def label(self) -> str:
        return self.spec.name or self.spec.url

    @property
    def every(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.spec.every_minutes)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article a feed brought: what a notice line shows."""
    feed: str  # the feed's label
    article: ParsedArticle
    link: str
    outcome: str  # "added" | "updated"


@dataclass(slots=True)
class PollResult:
    feed: Feed
    not_modified: bool = False
    error: str | None = None  # the feed itself could not be fetched or read
    new: list[NewArticle] = field(default_factory=list)
    filtered: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # one line per entry whose page failed
    more: bool = False  # entries left for the next poll

    def line(self) -> str:
        if self.error:
            return f"{self.feed.label}: failed: {self.error}"
        if self.not_modified:
            return f"{self.feed.label}: not modified"
        parts = [f"{len(self.new)} new", f"{self.filtered} outside the match filter"]
        if self.unchanged:
            parts.append(f"{self.unchanged} already in the corpus")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.more:
            parts.append("more next time")
        return f"{self.feed.label}: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class FeedStatus:
    feed: Feed
    state: FeedPollState

    def lines(self) -> list[str]:
        spec, state = self.feed.spec, self.state
        head = f"{self.feed.label}" + (f" ({spec.url})" if spec.name else "")
        lines = [head, f"  every {spec.every_minutes} min · from the {self.feed.origin}"
                       + (f" · match: {spec.match}" if spec.match else "")]
        lines.append(f"  last success: {_shown(state.last_success)} · {state.new_articles} articles so far")
        if state.last_error:
            lines.append(f"  last error ({_shown(state.last_error_at)}, {state.failures} in a row): "
                         f"{state.last_error}")
        lines.append(f"  next attempt: {_shown(state.next_attempt) if state.next_attempt else 'now'}")
        return lines


def _shown(text: str | None) -> str:
    if not text:
        return "never"
    return dt.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M UTC")


def backoff(every: dt.timedelta, failures: int) -> dt.timedelta:
    """How long a feed waits after `failures` failures in a row."""
    if failures <= 0:
        return every
    return min(every * 2 ** min(failures, 16), max(MAX_BACKOFF, every))


class FeedService:
    def __init__(self, store: Store, loader: CorpusLoader, specs: Sequence[FeedSpec] = (), *,
                 allow_private: bool = False, timeout: float = TIMEOUT_SECONDS,
                 now: Callable[[], dt.datetime] = utc_now):
        self.store = store
        self.loader = loader
        self.specs = tuple(specs)
        self.allow_private = allow_private
        self.timeout = timeout
        self.now = now
        self._host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._polling: set[str] = set()
        self._next_due: dt.datetime | None = None  # no feed is due before then; None: look now

    def configure(self, specs: Sequence[FeedSpec], allow_private: bool) -> None:
        """The feeds of a reloaded configuration."""
        self.specs, self.allow_private = tuple(specs), allow_private
        self._next_due = None

    # ---------------------------------------------------------------- which feeds
    async def feeds(self) -> list[Feed]:
        """The configured feeds, then those added by command (a configured address wins)."""
        feeds = [Feed(spec, "configuration") for spec in self.specs]
        configured = {normalise_url(spec.url) for spec in self.specs}
        for stored in await self.store.added_feeds():
            if normalise_url(stored.url) not in configured:
                spec = FeedSpec(stored.url, stored.every_minutes, stored.match, stored.name)
                feeds.append(Feed(spec, "command"))
        return feeds

    async def statuses(self) -> list[FeedStatus]:
        states = await self.store.feed_states()
        return [FeedStatus(feed, states.get(feed.url, FeedPollState(feed.url))) for feed in await self.feeds()]

    async def add(self, url: str, every: int | None, match: str | None, name: str | None,
                  user_id: int | None) -> Feed:
        try:
            spec = feed_spec(url, every or DEFAULT_FEED_MINUTES, match or None, name or None)
        except ValueError as exc:
            raise UserError(f"The feed was not added: {exc}") from None
        if any(normalise_url(f.url) == normalise_url(spec.url) for f in await self.feeds()):
            raise UserError(f"{spec.url} is already one of the feeds.")
        stored = StoredFeed(spec.url, spec.name, spec.every_minutes, spec.match, user_id, _iso(self.now()))
        if not await self.store.add_feed(stored):
            raise UserError(f"{spec.url} is already one of the feeds.")
        self._next_due = None
        return Feed(spec, "command")

    async def remove(self, url: str) -> Feed:
        url = url.strip()
        feed = next((f for f in await self.feeds() if url in (f.url, f.spec.name)
                     or normalise_url(f.url) == normalise_url(url)), None)
        if feed is None:
            raise UserError(f"No feed {url!r}: /admin feeds list shows them.")
        if feed.origin == "configuration":
            raise UserError(f"{feed.url} is in the configuration file (feeds:): remove it there, "
                            "then /admin reload config.")
        await self.store.remove_feed(feed.url)
        return feed

    # ---------------------------------------------------------------- polling
    async def run(self, report: Callable[[list[PollResult]], Awaitable[None]],
                  check_seconds: float = CHECK_SECONDS) -> None:
        """Poll the due feeds every `check_seconds`, for ever (the command line's loop; Discord uses the cog's)."""
        while True:
            try:
                results = await self.poll_due()
            except Exception:  # the database, say: try again on the next round
                log.exception("polling the feeds failed")
            else:
                await report(results)
            await asyncio.sleep(check_seconds)

    async def due(self) -> list[Feed]:
        now = self.now()
        states = await self.store.feed_states()
        return [feed for feed in await self.feeds() if feed.url not in self._polling
                and _is_due(states.get(feed.url), now)]

    async def poll_due(self) -> list[PollResult]:
        """Poll every feed whose time has come (concurrently; the host locks keep each site to one request)."""
        now = self.now()
        if self._next_due is not None and now < self._next_due:
            return []  # nothing can be due yet: spare the database
        results = list(await asyncio.gather(*(self.poll(feed) for feed in await self.due())))
        states = await self.store.feed_states()
        upcoming = [_instant(states[f.url].next_attempt) for f in await self.feeds()
                    if f.url in states and states[f.url].next_attempt]
        self._next_due = min([now + MAX_IDLE, *upcoming])
        return results

    async def poll_all(self) -> list[PollResult]:
        """Poll every feed now, whatever its schedule."""
        return list(await asyncio.gather(*(self.poll(feed) for feed in await self.feeds())))

    async def poll(self, feed: Feed) -> PollResult:
        """Poll one feed; every failure is recorded on the feed, never raised."""
        if feed.url in self._polling:
            return PollResult(feed, error="already being polled")
        self._polling.add(feed.url)
        try:
            return await self._poll(feed)
        except UserError as exc:
            return await self._failed(feed, str(exc))
        except Exception as exc:  # a full disk, a corpus folder gone: the poller must go on with the others
            log.exception("polling feed %s failed", feed.url)
            return await self._failed(feed, f"{type(exc).__name__}: {exc}")
        finally:
            self._polling.discard(feed.url)

    async def _poll(self, feed: Feed) -> PollResult:
        state = await self.store.feed_state(feed.url)
        started = self.now()
        async with self._host(feed.url):
            fetched = await fetch_feed(feed.url, etag=state.etag, last_modified=state.last_modified,
                                       allow_private=self.allow_private, timeout=self.timeout)
        result = PollResult(feed, not_modified=fetched.status == NOT_MODIFIED)
        validators = {"etag": fetched.etag or state.etag, "last_modified": fetched.last_modified or state.last_modified}
        if not result.not_modified:
            parsed = await asyncio.to_thread(parse_feed, fetched.body, fetched.url, fetched.content_type,
                                             fetched.charset)
            await self._handle_entries(feed, parsed.entries, result)
            if result.more or result.failed:
                validators = {"etag": None, "last_modified": None}  # ask for the whole feed again next time
        state = replace(state, **validators, last_attempt=_iso(started), last_success=_iso(self.now()),
                        failures=0, next_attempt=_iso(started + feed.every),
                        new_articles=state.new_articles + len(result.new))
        await self.store.save_feed_state(state)
        log.info("feed %s", result.line())
        return result

    async def _failed(self, feed: Feed, error: str) -> PollResult:
        error = " ".join(error.split())[:MAX_ERROR_CHARS]
        state = await self.store.feed_state(feed.url)
        now = self.now()
        failures = state.failures + 1
        state = replace(state, last_attempt=_iso(now), last_error=error, last_error_at=_iso(now), failures=failures,
                        next_attempt=_iso(now + backoff(feed.every, failures)))
        await self.store.save_feed_state(state)
        log.warning("feed %s failed (%d in a row): %s", feed.url, failures, error)
        return PollResult(feed, error=error)

    async def _handle_entries(self, feed: Feed, entries: Sequence[FeedEntry], result: PollResult) -> None:
        expression = search_expression(feed.spec.match) if feed.spec.match else None
        seen = await self.store.seen_entries(feed.url)
        fetched = 0
        for entry in reversed(entries):  # oldest first: notices come in the order things happened
            if not _worth_handling(entry, seen.get(entry.key)):
                continue
            if expression is not None and not text_matches(expression, entry.text):
                await self._record(feed, entry, "filtered")
                result.filtered += 1
                continue
            if fetched >= MAX_NEW_PER_POLL:
                result.more = True
                break
            fetched += 1
            await self._ingest_entry(feed, entry, result)

    async def _ingest_entry(self, feed: Feed, entry: FeedEntry, result: PollResult) -> None:
        if not entry.link:
            await self._record(feed, entry, "skipped", detail="the entry has no link")
            return
        try:
            async with self._host(entry.link):
                page = await fetch_page(entry.link, allow_private=self.allow_private, timeout=self.timeout)
            added: Added = await add_page(self.loader, page, entry.published)
        except UserError as exc:
            result.failed.append(str(exc))
            await self._record(feed, entry, "failed", detail=str(exc)[:MAX_ERROR_CHARS])
            return
        await self._record(feed, entry, "ingested", article_id=added.article.id)
        if added.outcome in ("added", "updated"):
            result.new.append(NewArticle(feed.label, added.article, entry.link, added.outcome))
        else:
            result.unchanged += 1

    async def _record(self, feed: Feed, entry: FeedEntry, outcome: str, article_id: str | None = None,
                      detail: str | None = None) -> None:
        await self.store.record_entry(feed.url, entry.key, entry.updated, outcome, article_id, detail,
                                      _iso(self.now()))

    def _host(self, url: str) -> asyncio.Lock:
        return self._host_locks[(urlsplit(url).hostname or "").lower()]


def _is_due(state: FeedPollState | None, now: dt.datetime) -> bool:
    return state is None or state.next_attempt is None or _instant(state.next_attempt) <= now


def _worth_handling(entry: FeedEntry, seen: SeenEntry | None) -> bool:
    """New, updated since it was handled, or failed fewer than MAX_ENTRY_ATTEMPTS times."""
    if seen is None:
        return True
    if seen.outcome == "failed":
        return seen.attempts < MAX_ENTRY_ATTEMPTS
    return entry.updated is not None and entry.updated != seen.updated
