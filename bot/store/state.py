"""The bot's own state as one interface: what every storage driver offers, whatever its database.

The state is small (digest subscriptions, the digests sent, quotes shown, a few
metadata values) but it is the part several bot processes must share: a digest
is claimed exactly once by the database itself, so two processes racing for
the same server's day post it once. SQLite (`bot_state.SqliteBotState`) and
PostgreSQL (`postgres.PostgresBotState`) implement it; callers read the frozen
dataclasses below, never a driver's row type.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Subscription:
    """A server's daily digest: where, when, and whether it is on."""
    guild_id: int
    channel_id: int
    post_time: str        # HH:MM, local time
    timezone: str         # IANA name
    enabled: bool
    created_by: int | None
    created_at: dt.datetime  # aware; when the subscription started
    disabled_reason: str | None


@dataclass(frozen=True)
class DigestSent:
    """A server's digest of one local day: claimed, and posted once `message_id` is set."""
    guild_id: int
    local_date: dt.date   # the subscriber's calendar day the digest belongs to
    channel_id: int
    message_id: int | None
    sent_at: dt.datetime  # aware; when it was claimed, then when it was posted


class BotState(Protocol):
    # ---------------------------------------------------------------- subscriptions
    async def subscribe(self, guild_id: int, channel_id: int, post_time: str, timezone: str,
                        user_id: int | None, created_at: dt.datetime | None = None) -> None:
        """Start (or change, and turn back on) a server's digest; `created_at` defaults to now."""

    async def unsubscribe(self, guild_id: int) -> bool:
        """Forget a server's digest; False when it had none."""

    async def disable_subscription(self, guild_id: int, reason: str) -> None: ...

    async def subscription(self, guild_id: int) -> Subscription | None: ...

    async def subscriptions(self, enabled_only: bool = True) -> list[Subscription]:
        """By server id."""

    # ---------------------------------------------------------------- digests sent
    async def claim_digest(self, guild_id: int, local_date: dt.date, channel_id: int) -> bool:
        """Reserve a server's digest of `local_date`; False when anyone (any process) already had.

        Claiming before posting is what makes a digest go out at most once, even
        if the bot dies between posting and recording.
        """

    async def record_digest_message(self, guild_id: int, local_date: dt.date, message_id: int) -> None: ...

    async def release_digest(self, guild_id: int, local_date: dt.date) -> None:
        """Undo a claim whose post certainly failed (no message recorded), so it can be retried."""

    async def last_digest(self, guild_id: int) -> DigestSent | None: ...

    async def digests_sent(self, guild_id: int) -> list[DigestSent]:
        """Oldest day first."""

    # ---------------------------------------------------------------- quote of the day
    async def quotes_shown_since(self, guild_id: int, since: dt.date) -> set[str]: ...

    async def record_quote_shown(self, guild_id: int, quote_key: str, day: dt.date) -> None: ...

    # ---------------------------------------------------------------- metadata
    async def meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...

    async def close(self) -> None: ...
