"""The bot's own state on PostgreSQL: `state.BotState`, shared by every bot process using the database."""
from __future__ import annotations

import datetime as dt

import asyncpg

from ..state import DigestSent, Subscription
from .database import PostgresDatabase


def _subscription(row: asyncpg.Record | None) -> Subscription | None:
    return Subscription(**dict(row)) if row is not None else None


def _digest_sent(row: asyncpg.Record | None) -> DigestSent | None:
    return DigestSent(**dict(row)) if row is not None else None


_SUBSCRIPTION_COLUMNS = ("guild_id, channel_id, post_time, timezone, enabled, created_by, created_at,"
                         " disabled_reason")
_DIGEST_COLUMNS = "guild_id, local_date, channel_id, message_id, sent_at"


class PostgresBotState(PostgresDatabase):
    # ---------------------------------------------------------------- subscriptions
    async def subscribe(self, guild_id: int, channel_id: int, post_time: str, timezone: str,
                        user_id: int | None, created_at: dt.datetime | None = None) -> None:
        await self.write(
            "INSERT INTO digest_subscriptions(guild_id, channel_id, post_time, timezone, enabled, created_by,"
            " created_at, disabled_reason) VALUES ($1, $2, $3, $4, TRUE, $5, COALESCE($6, now()), NULL)"
            " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " post_time = excluded.post_time, timezone = excluded.timezone, enabled = TRUE,"
            " created_by = excluded.created_by, disabled_reason = NULL",
            guild_id, channel_id, post_time, timezone, user_id, created_at)

    async def unsubscribe(self, guild_id: int) -> bool:
        return await self.write("DELETE FROM digest_subscriptions WHERE guild_id = $1", guild_id) > 0

    async def disable_subscription(self, guild_id: int, reason: str) -> None:
        await self.write("UPDATE digest_subscriptions SET enabled = FALSE, disabled_reason = $2 WHERE guild_id = $1",
                         guild_id, reason)

    async def subscription(self, guild_id: int) -> Subscription | None:
        return _subscription(await self.fetch_one(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM digest_subscriptions WHERE guild_id = $1", guild_id))

    async def subscriptions(self, enabled_only: bool = True) -> list[Subscription]:
        rows = await self.fetch_all(f"SELECT {_SUBSCRIPTION_COLUMNS} FROM digest_subscriptions"
                                    " WHERE enabled OR NOT $1 ORDER BY guild_id", enabled_only)
        return [_subscription(row) for row in rows]

    # ---------------------------------------------------------------- digests sent
    async def claim_digest(self, guild_id: int, local_date: dt.date, channel_id: int) -> bool:
        # The primary key (guild_id, local_date) decides: of processes racing, exactly one gets a row back.
        claimed = await self.write_returning(
            "INSERT INTO digests_sent(guild_id, local_date, channel_id, message_id, sent_at)"
            " VALUES ($1, $2, $3, NULL, now()) ON CONFLICT (guild_id, local_date) DO NOTHING RETURNING guild_id",
            guild_id, local_date, channel_id)
        return claimed is not None

    async def record_digest_message(self, guild_id: int, local_date: dt.date, message_id: int) -> None:
        await self.write("UPDATE digests_sent SET message_id = $3, sent_at = now()"
                         " WHERE guild_id = $1 AND local_date = $2", guild_id, local_date, message_id)

    async def release_digest(self, guild_id: int, local_date: dt.date) -> None:
        await self.write("DELETE FROM digests_sent WHERE guild_id = $1 AND local_date = $2 AND message_id IS NULL",
                         guild_id, local_date)

    async def last_digest(self, guild_id: int) -> DigestSent | None:
        return _digest_sent(await self.fetch_one(
            f"SELECT {_DIGEST_COLUMNS} FROM digests_sent WHERE guild_id = $1 ORDER BY local_date DESC LIMIT 1",
            guild_id))

    async def digests_sent(self, guild_id: int) -> list[DigestSent]:
        rows = await self.fetch_all(
            f"SELECT {_DIGEST_COLUMNS} FROM digests_sent WHERE guild_id = $1 ORDER BY local_date", guild_id)
        return [_digest_sent(row) for row in rows]

    # ---------------------------------------------------------------- quote of the day
    async def quotes_shown_since(self, guild_id: int, since: dt.date) -> set[str]:
        rows = await self.fetch_all("SELECT quote_key FROM quotes_shown WHERE guild_id = $1 AND shown_on >= $2",
                                    guild_id, since)
        return {row["quote_key"] for row in rows}

    async def record_quote_shown(self, guild_id: int, quote_key: str, day: dt.date) -> None:
        await self.write("INSERT INTO quotes_shown(guild_id, quote_key, shown_on) VALUES ($1, $2, $3)"
                         " ON CONFLICT DO NOTHING", guild_id, quote_key, day)

    # ---------------------------------------------------------------- metadata
    async def meta(self, key: str) -> str | None:
        row = await self.fetch_one("SELECT value FROM meta WHERE key = $1", key)
        return row["value"] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.write("INSERT INTO meta(key, value) VALUES ($1, $2)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
