"""Feeds on PostgreSQL: those added by command, each feed's polling state, and the entries already handled.

The `FeedState` interface (bot/store/interface.py), as the SQLite driver offers it (bot/store/feed_state.py).
"""
from __future__ import annotations

import asyncpg

from ..records import FeedPollState, SeenEntry, StoredFeed
from .database import PostgresDatabase, rows_changed

_STATE_COLUMNS = tuple(FeedPollState.__slots__)


def _state(row: asyncpg.Record) -> FeedPollState:
    return FeedPollState(**{key: row[key] for key in _STATE_COLUMNS})


class PostgresFeedState(PostgresDatabase):
    # ---------------------------------------------------------------- feeds added by command
    async def added_feeds(self) -> list[StoredFeed]:
        rows = await self.fetch_all("SELECT url, name, every_minutes, match, added_by, added_at FROM feeds_added "
                                    "ORDER BY added_at COLLATE \"C\", url COLLATE \"C\"")
        return [StoredFeed(*row) for row in rows]

    async def add_feed(self, feed: StoredFeed) -> bool:
        """False when a feed with that address was already added."""
        added = await self.write_returning(
            "INSERT INTO feeds_added(url, name, every_minutes, match, added_by, added_at) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (url) DO NOTHING RETURNING url",
            feed.url, feed.name, feed.every_minutes, feed.match, feed.added_by, feed.added_at)
        return added is not None

    async def remove_feed(self, url: str) -> bool:
        """Forget an added feed, its state and its entries; False when no feed had that address."""
        async with self.transaction() as conn:
            removed = rows_changed(await conn.execute("DELETE FROM feeds_added WHERE url = $1", url))
            await conn.execute("DELETE FROM feed_state WHERE url = $1", url)
            await conn.execute("DELETE FROM feed_entries_seen WHERE feed_url = $1", url)
            return removed > 0

    # ---------------------------------------------------------------- polling state
    async def feed_states(self) -> dict[str, FeedPollState]:
        rows = await self.fetch_all(f"SELECT {', '.join(_STATE_COLUMNS)} FROM feed_state")
        return {row["url"]: _state(row) for row in rows}

    async def feed_state(self, url: str) -> FeedPollState:
        row = await self.fetch_one(f"SELECT {', '.join(_STATE_COLUMNS)} FROM feed_state WHERE url = $1", url)
        return _state(row) if row else FeedPollState(url)

    async def save_feed_state(self, state: FeedPollState) -> None:
        values = tuple(getattr(state, name) for name in _STATE_COLUMNS)
        placeholders = ", ".join(f"${n}" for n in range(1, len(_STATE_COLUMNS) + 1))
        updates = ", ".join(f"{name} = excluded.{name}" for name in _STATE_COLUMNS if name != "url")
        await self.write(f"INSERT INTO feed_state({', '.join(_STATE_COLUMNS)}) VALUES ({placeholders}) "
                         f"ON CONFLICT (url) DO UPDATE SET {updates}", *values)

    # ---------------------------------------------------------------- entries handled
    async def seen_entries(self, feed_url: str) -> dict[str, SeenEntry]:
        rows = await self.fetch_all("SELECT entry_key, updated, outcome, attempts FROM feed_entries_seen "
                                    "WHERE feed_url = $1", feed_url)
        return {row[0]: SeenEntry(row[1], row[2], row[3]) for row in rows}

    async def record_entry(self, feed_url: str, entry_key: str, updated: str | None, outcome: str,
                           article_id: str | None, detail: str | None, seen_at: str) -> None:
        """Note how an entry was handled; a failed entry counts its attempts."""
        await self.write(
            "INSERT INTO feed_entries_seen(feed_url, entry_key, updated, outcome, attempts, article_id, detail,"
            " seen_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $7) ON CONFLICT (feed_url, entry_key) DO UPDATE SET"
            " updated = excluded.updated, outcome = excluded.outcome, article_id = excluded.article_id,"
            " detail = excluded.detail, seen_at = excluded.seen_at,"
            " attempts = CASE WHEN excluded.outcome = 'failed' AND feed_entries_seen.outcome = 'failed'"
            " THEN feed_entries_seen.attempts + 1 ELSE 1 END",
            feed_url, entry_key, updated, outcome, article_id, detail, seen_at)
