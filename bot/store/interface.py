"""The whole store as one interface: the corpus, the bot's state and the feeds.

Every caller above the store type-hints `Store` and gets one from `open_store`; the
SQLite driver (`SqliteStore`) implements it, and so can a PostgreSQL driver.
"""
from __future__ import annotations

from typing import Protocol

from .corpus import CorpusStore
from .records import FeedPollState, SeenEntry, StoredFeed
from .state import BotState


class FeedState(Protocol):
    """Feeds added by command, each feed's polling state, and the entries already handled."""

    async def added_feeds(self) -> list[StoredFeed]:
        """In the order they were added."""

    async def add_feed(self, feed: StoredFeed) -> bool:
        """False when a feed with that address was already added."""

    async def remove_feed(self, url: str) -> bool:
        """Forget an added feed, its state and its entries; False when no feed had that address."""

    async def feed_states(self) -> dict[str, FeedPollState]: ...

    async def feed_state(self, url: str) -> FeedPollState:
        """A fresh state for a feed never polled."""

    async def save_feed_state(self, state: FeedPollState) -> None: ...

    async def seen_entries(self, feed_url: str) -> dict[str, SeenEntry]:
        """By entry key."""

    async def record_entry(self, feed_url: str, entry_key: str, updated: str | None, outcome: str,
                           article_id: str | None, detail: str | None, seen_at: str) -> None:
        """Note how an entry was handled; a failed entry counts its attempts."""


class Store(CorpusStore, BotState, FeedState, Protocol):
    """Everything the bot keeps. `async with await open_store(...) as store:` or `await store.close()`."""

    async def close(self) -> None: ...

    async def __aenter__(self) -> Store: ...

    async def __aexit__(self, *exc) -> None: ...
