"""The bot's own state on SQLite: digest subscriptions, digests sent, quotes shown, metadata."""
from __future__ import annotations

import datetime as dt
import sqlite3

from .database import Database, utc_now
from .state import DigestSent, Subscription


def _instant(text: str) -> dt.datetime:
    """A stored ISO 8601 instant; one stored without an offset (older bots) is UTC."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _subscription(row: sqlite3.Row | None) -> Subscription | None:
    if row is None:
        return None
    return Subscription(guild_id=row["guild_id"], channel_id=row["channel_id"], post_time=row["post_time"],
                        timezone=row["timezone"], enabled=bool(row["enabled"]), created_by=row["created_by"],
                        created_at=_instant(row["created_at"]), disabled_reason=row["disabled_reason"])


def _digest_sent(row: sqlite3.Row | None) -> DigestSent | None:
    if row is None:
        return None
    return DigestSent(guild_id=row["guild_id"], local_date=dt.date.fromisoformat(row["local_date"]),
                      channel_id=row["channel_id"], message_id=row["message_id"], sent_at=_instant(row["sent_at"]))


class SqliteBotState(Database):
    """`state.BotState` on the SQLite database."""

    # ---------------------------------------------------------------- subscriptions
    async def subscribe(self, guild_id: int, channel_id: int, post_time: str, timezone: str,
                        user_id: int | None, created_at: dt.datetime | None = None) -> None:
        started = created_at.isoformat(timespec="seconds") if created_at else utc_now()
        await self.write(
            "INSERT INTO digest_subscriptions(guild_id, channel_id, post_time, timezone, enabled, created_by,"
            " created_at, disabled_reason) VALUES (?,?,?,?,1,?,?,NULL) "
            "ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id, post_time = excluded.post_time,"
            " timezone = excluded.timezone, enabled = 1, created_by = excluded.created_by,"
            " disabled_reason = NULL",
            (guild_id, channel_id, post_time, timezone, user_id, started))

    async def unsubscribe(self, guild_id: int) -> bool:
        return await self.write("DELETE FROM digest_subscriptions WHERE guild_id = ?", (guild_id,)) > 0

    async def disable_subscription(self, guild_id: int, reason: str) -> None:
        await self.write("UPDATE digest_subscriptions SET enabled = 0, disabled_reason = ? WHERE guild_id = ?",
                         (reason, guild_id))

    async def subscription(self, guild_id: int) -> Subscription | None:
        return _subscription(await self.fetch_one("SELECT * FROM digest_subscriptions WHERE guild_id = ?",
                                                  (guild_id,)))

    async def subscriptions(self, enabled_only: bool = True) -> list[Subscription]:
        rows = await self.fetch_all(
            "SELECT * FROM digest_subscriptions WHERE (? = 0 OR enabled = 1) ORDER BY guild_id",
            (1 if enabled_only else 0,))
        return [_subscription(row) for row in rows]

    # ---------------------------------------------------------------- digests sent
    async def claim_digest(self, guild_id: int, local_date: dt.date, channel_id: int) -> bool:
        # The primary key (guild_id, local_date) decides: of two claims, in one process or two, one inserts.
        inserted = await self.write(
            "INSERT INTO digests_sent(guild_id, local_date, channel_id, message_id, sent_at) VALUES (?,?,?,NULL,?)"
            " ON CONFLICT(guild_id, local_date) DO NOTHING",
            (guild_id, local_date.isoformat(), channel_id, utc_now()))
        return inserted == 1

    async def record_digest_message(self, guild_id: int, local_date: dt.date, message_id: int) -> None:
        await self.write("UPDATE digests_sent SET message_id = ?, sent_at = ? WHERE guild_id = ? AND local_date = ?",
                         (message_id, utc_now(), guild_id, local_date.isoformat()))

    async def release_digest(self, guild_id: int, local_date: dt.date) -> None:
        await self.write("DELETE FROM digests_sent WHERE guild_id = ? AND local_date = ? AND message_id IS NULL",
                         (guild_id, local_date.isoformat()))

    async def last_digest(self, guild_id: int) -> DigestSent | None:
        return _digest_sent(await self.fetch_one(
            "SELECT * FROM digests_sent WHERE guild_id = ? ORDER BY local_date DESC LIMIT 1", (guild_id,)))

    async def digests_sent(self, guild_id: int) -> list[DigestSent]:
        rows = await self.fetch_all("SELECT * FROM digests_sent WHERE guild_id = ? ORDER BY local_date", (guild_id,))
        return [_digest_sent(row) for row in rows]

    # ---------------------------------------------------------------- quote of the day
    async def quotes_shown_since(self, guild_id: int, since: dt.date) -> set[str]:
        rows = await self.fetch_all("SELECT quote_key FROM quotes_shown WHERE guild_id = ? AND shown_on >= ?",
                                    (guild_id, since.isoformat()))
        return {r[0] for r in rows}

    async def record_quote_shown(self, guild_id: int, quote_key: str, day: dt.date) -> None:
        await self.write("INSERT OR IGNORE INTO quotes_shown(guild_id, quote_key, shown_on) VALUES (?,?,?)",
                         (guild_id, quote_key, day.isoformat()))

    # ---------------------------------------------------------------- metadata
    async def meta(self, key: str) -> str | None:
        row = await self.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.write("INSERT INTO meta(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
