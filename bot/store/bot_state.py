"""The bot's own state: digest subscriptions, digests sent, quotes shown, metadata."""
from __future__ import annotations

import datetime as dt
import sqlite3

from .database import Database

Row = sqlite3.Row


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class BotState(Database):
    # ---------------------------------------------------------------- subscriptions
    async def subscribe(self, guild_id: int, channel_id: int, post_time: str, timezone: str,
                        user_id: int | None, created_at: str | None = None) -> None:
        """Start (or change) a guild's digest; `created_at` is when, by the caller's clock (default: now)."""
        await self.write(
            "INSERT INTO digest_subscriptions(guild_id, channel_id, post_time, timezone, enabled, created_by,"
            " created_at, disabled_reason) VALUES (?,?,?,?,1,?,?,NULL) "
            "ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id, post_time = excluded.post_time,"
            " timezone = excluded.timezone, enabled = 1, created_by = excluded.created_by,"
            " disabled_reason = NULL",
            (guild_id, channel_id, post_time, timezone, user_id, created_at or _now()))

    async def unsubscribe(self, guild_id: int) -> bool:
        return await self.write("DELETE FROM digest_subscriptions WHERE guild_id = ?", (guild_id,)) > 0

    async def disable_subscription(self, guild_id: int, reason: str) -> None:
        await self.write("UPDATE digest_subscriptions SET enabled = 0, disabled_reason = ? WHERE guild_id = ?",
                         (reason, guild_id))

    async def subscription(self, guild_id: int) -> Row | None:
        return await self.fetch_one("SELECT * FROM digest_subscriptions WHERE guild_id = ?", (guild_id,))

    async def subscriptions(self, enabled_only: bool = True) -> list[Row]:
        return await self.fetch_all(
            "SELECT * FROM digest_subscriptions WHERE (? = 0 OR enabled = 1) ORDER BY guild_id",
            (1 if enabled_only else 0,))

    # ---------------------------------------------------------------- digests sent
    async def claim_digest(self, guild_id: int, local_date: str, channel_id: int) -> bool:
        """Reserve the digest of `local_date` for this guild; False when it was already claimed.

        Claiming before posting is what makes a digest go out at most once, even
        if the bot dies between posting and recording.
        """
        try:
            await self.write(
                "INSERT INTO digests_sent(guild_id, local_date, channel_id, message_id, sent_at) VALUES (?,?,?,NULL,?)",
                (guild_id, local_date, channel_id, _now()))
        except sqlite3.IntegrityError:
            return False
        return True

    async def record_digest_message(self, guild_id: int, local_date: str, message_id: int) -> None:
        await self.write("UPDATE digests_sent SET message_id = ?, sent_at = ? WHERE guild_id = ? AND local_date = ?",
                         (message_id, _now(), guild_id, local_date))

    async def release_digest(self, guild_id: int, local_date: str) -> None:
        """Undo a claim whose post certainly failed, so it can be retried."""
        await self.write("DELETE FROM digests_sent WHERE guild_id = ? AND local_date = ? AND message_id IS NULL",
                         (guild_id, local_date))

    async def last_digest(self, guild_id: int) -> Row | None:
        return await self.fetch_one(
            "SELECT * FROM digests_sent WHERE guild_id = ? ORDER BY local_date DESC LIMIT 1", (guild_id,))

    async def digests_sent(self, guild_id: int) -> list[Row]:
        return await self.fetch_all("SELECT * FROM digests_sent WHERE guild_id = ? ORDER BY local_date", (guild_id,))

    # ---------------------------------------------------------------- quote of the day
    async def quotes_shown_since(self, guild_id: int, since_day: str) -> set[str]:
        rows = await self.fetch_all("SELECT quote_key FROM quotes_shown WHERE guild_id = ? AND shown_on >= ?",
                                    (guild_id, since_day))
        return {r[0] for r in rows}

    async def record_quote_shown(self, guild_id: int, quote_key: str, day: str) -> None:
        await self.write("INSERT OR IGNORE INTO quotes_shown(guild_id, quote_key, shown_on) VALUES (?,?,?)",
                         (guild_id, quote_key, day))

    # ---------------------------------------------------------------- metadata
    async def meta(self, key: str) -> str | None:
        row = await self.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.write("INSERT INTO meta(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
