"""/digest subscribe|unsubscribe|preview, and the loop that posts each server's daily digest.

The loop checks every minute which subscriptions are due (bot.schedule, pure
and DST-aware), claims the day in the database BEFORE posting (so a digest goes
out at most once, even across crashes, restarts and cog reloads), posts, then
records the message. All state lives in the database: reloading this cog
neither duplicates nor loses a digest. A watchdog restarts the loop if it dies.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import answers
from bot.answers import UserError
from bot.config import parse_clock, parse_timezone
from bot.render.embeds import group_for_messages
from bot.render.markdown import escape
from bot.render.pages import pages_for
from bot.render.permissions import permission_names
from bot.render.views import NO_MENTIONS, send_pages, send_text
from bot.schedule import DailySchedule, due_date, next_occurrence
from bot.store import DigestSent, Subscription

from .utils import MAX_CHOICES, guild_zone, store_of

log = logging.getLogger(__name__)

CHECK_SECONDS = 60
RETRY_AFTER = dt.timedelta(minutes=2)
# A digest that keeps failing is retried after 2, 4, 8 ... minutes, at most an hour apart.
MAX_BACKOFF = dt.timedelta(hours=1)
# How far back to look for our own digest when Discord's answer to a post was lost.
HISTORY_LOOKBACK = 20
# The loop skips the database until the next digest is due, but looks at least this often.
MAX_IDLE = dt.timedelta(hours=1)
WATCHDOG_MINUTES = 5
NEEDED = ("view_channel", "send_messages", "embed_links")


@dataclass
class LoopHealth:
    last_tick: dt.datetime | None = None
    errors: int = 0
    last_error: str | None = None
    restarts: int = 0
    posted: int = 0
    serving: int = 0  # subscriptions of this process's servers, at the last look


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def _missing_permissions(channel: discord.abc.GuildChannel) -> str:
    """The permissions the bot lacks there, as Discord's settings name them ("" if none)."""
    allowed = channel.permissions_for(channel.guild.me)
    missing = [name for name in NEEDED if not getattr(allowed, name)]
    return permission_names(missing) if missing else ""


def _since(last: DigestSent | None) -> str | None:
    """When the previous digest went out, as the corpus queries compare instants (ISO 8601)."""
    return last.sent_at.isoformat(timespec="seconds") if last else None


@app_commands.guild_only()
class Digest(commands.GroupCog, group_name="digest", group_description="The daily briefing posted in a channel"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        self.health = LoopHealth()
        self.next_check: dt.datetime | None = None  # None: look at the subscriptions on the next tick
        self.failures: dict[int, int] = {}  # guild id -> digests failed in a row, for the backoff
        super().__init__()

    async def cog_load(self) -> None:
        self.digest_loop.start()
        self.watchdog.start()

    async def cog_unload(self) -> None:
        self.watchdog.cancel()
        self.digest_loop.cancel()

    # ---------------------------------------------------------------- commands
    @app_commands.command(description="Post the daily digest in a channel at a local time.")
    @app_commands.describe(channel="Where to post it", time="Time of day, 24-hour HH:MM (default from the settings)",
                           timezone="IANA time zone such as Asia/Tokyo (start typing for suggestions)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def subscribe(self, interaction: discord.Interaction, channel: discord.TextChannel,
                        time: str | None = None, timezone: str | None = None) -> None:
        config = self.bot.config
        try:
            post_time = parse_clock(time) if time else config.digest_time
            zone = parse_timezone(timezone) if timezone else config.digest_timezone
        except (TypeError, ValueError) as exc:
            raise UserError(str(exc)) from None
        missing = _missing_permissions(channel)
        if missing:
            raise UserError(f"I can't post in {channel.mention}: I need {missing} there.")
        clock = post_time.strftime("%H:%M")
        store = store_of(interaction)
        now = self.bot.now()
        await store.subscribe(interaction.guild_id, channel.id, clock, zone, interaction.user.id, created_at=now)
        self.next_check = None
        log.info("user %s subscribed guild %s to the digest in channel %s at %s %s", interaction.user.id,
                 interaction.guild_id, channel.id, clock, zone)
        last = await store.last_digest(interaction.guild_id)
        last_date = last.local_date if last else None
        upcoming = next_occurrence(DailySchedule(post_time, ZoneInfo(zone)), now, last_date)
        stamp = int(upcoming.timestamp())
        await send_text(interaction, f"The daily digest will be posted in {channel.mention} at {clock} ({zone}). "
                                     f"Next one: <t:{stamp}:F> (<t:{stamp}:R>).")

    @subscribe.autocomplete("timezone")
    async def timezone_autocomplete(self, interaction: discord.Interaction, current: str):
        typed = (current or "").strip().lower().replace(" ", "_")
        names = [n for n in _zone_names() if typed in n.lower()]
        # "tokyo" should offer Asia/Tokyo before zones that merely contain the letters.
        names.sort(key=lambda n: (not any(part.lower().startswith(typed) for part in n.split("/")), n))
        return [app_commands.Choice(name=n, value=n) for n in names[:MAX_CHOICES]]

    @app_commands.command(description="Stop posting the daily digest in this server.")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        if not await store_of(interaction).unsubscribe(interaction.guild_id):
            raise UserError("This server has no daily digest to stop.")
        self.next_check = None
        log.info("user %s unsubscribed guild %s from the digest", interaction.user.id, interaction.guild_id)
        await send_text(interaction, "The daily digest is off. `/digest subscribe` turns it back on.")

    @app_commands.command(description="Show what today's digest would say (only to you).")
    async def preview(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        store = store_of(interaction)
        today = self.bot.now().astimezone(await guild_zone(interaction)).date()
        last = await store.last_digest(interaction.guild_id)
        answer = await answers.digest(store, today, since=_since(last),
                                      guild_id=interaction.guild_id, sentences=self.bot.config.summary_sentences)
        await send_pages(interaction, await answers.off_loop(pages_for, answer), ephemeral=True)

    # ---------------------------------------------------------------- the schedule
    @tasks.loop(seconds=CHECK_SECONDS)
    async def digest_loop(self) -> None:
        now = self.bot.now()
        self.health.last_tick = now
        if self.next_check is not None and now < self.next_check:
            return  # nothing can be due before then: spare the database
        try:
            subscriptions = await self.bot.store.subscriptions()
        except Exception as exc:
            self._failed("reading subscriptions", exc)
            self.next_check = now + RETRY_AFTER
            return
        # With several bot processes, each posts the digests of the servers on its own shards.
        subscriptions = [s for s in subscriptions if self.bot.serves(s.guild_id)]
        self.health.serving = len(subscriptions)
        wakes = [now + MAX_IDLE]
        for subscription in subscriptions:
            try:
                wake = await self.post_if_due(subscription, now)
            except Exception as exc:  # one server's problem never stops the others
                self._failed(f"digest for guild {subscription.guild_id}", exc)
                wake = now + RETRY_AFTER
            if wake is not None:
                wakes.append(wake)
        self.next_check = min(wakes)

    @digest_loop.before_loop
    async def _before_digest_loop(self) -> None:
        await self.bot.wait_until_ready()

    @tasks.loop(minutes=WATCHDOG_MINUTES)
    async def watchdog(self) -> None:
        if not self.digest_loop.is_running():
            self.health.restarts += 1
            log.error("the digest loop had stopped; restarting it (restart %d)", self.health.restarts)
            self.digest_loop.start()

    @watchdog.before_loop
    async def _before_watchdog(self) -> None:
        await self.bot.wait_until_ready()

    def _failed(self, what: str, exc: Exception) -> None:
        self.health.errors += 1
        self.health.last_error = f"{what}: {type(exc).__name__}: {exc}"
        log.error("%s failed", what, exc_info=exc)

    async def post_if_due(self, subscription: Subscription, now: dt.datetime) -> dt.datetime | None:
        """Post this subscription's digest if one is due; returns when to look at it again."""
        store = self.bot.store
        guild_id = subscription.guild_id
        schedule = DailySchedule.parse(subscription.post_time, subscription.timezone)
        last = await store.last_digest(guild_id)
        last_date = last.local_date if last else None
        day = due_date(schedule, now, last_date, not_before=subscription.created_at)
        if day is None:
            return next_occurrence(schedule, now, last_date)
        guild = self.bot.get_guild(guild_id)
        if guild is None or guild.unavailable:
            return now + RETRY_AFTER  # an outage, or not in the cache yet
        channel = guild.get_channel(subscription.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            await self._disable(guild_id, "the digest channel no longer exists")
            return None
        missing = _missing_permissions(channel)
        if missing:
            await self._disable(guild_id, f"missing permissions in #{channel.name}: {missing}")
            return None
        answer = await answers.digest(store, day, since=_since(last), guild_id=guild_id,
                                      sentences=self.bot.config.summary_sentences)
        messages = group_for_messages(await answers.off_loop(pages_for, answer))
        if await store.claim_digest(guild_id, day, channel.id):
            # Shielded: a cog reload or shutdown must not cut a claimed digest in half.
            if not await asyncio.shield(self._deliver(channel, guild_id, day, messages, answer.quote)):
                return now + self._backoff(guild_id)
        self.failures.pop(guild_id, None)
        return next_occurrence(schedule, now, day)

    def _backoff(self, guild_id: int) -> dt.timedelta:
        failed = self.failures[guild_id] = self.failures.get(guild_id, 0) + 1
        return min(RETRY_AFTER * 2 ** (failed - 1), MAX_BACKOFF)

    async def _deliver(self, channel, guild_id: int, day: dt.date, messages, quote) -> bool:
        """Post a claimed digest; False when it certainly failed and the claim was released."""
        store = self.bot.store
        what = f"posting digest {day.isoformat()} for guild {guild_id}"
        first = None
        try:
            for embeds in messages:
                sent = await channel.send(embeds=embeds, allowed_mentions=NO_MENTIONS)
                first = first or sent
        except discord.HTTPException as exc:
            if first is None and exc.status < 500:  # Discord refused it: nothing was posted
                await store.release_digest(guild_id, day)
                if isinstance(exc, (discord.Forbidden, discord.NotFound)):
                    await self._disable(guild_id, f"cannot post in #{getattr(channel, 'name', '?')}: {exc.text}")
                else:
                    self._failed(what, exc)
                return False
            # A server error or a partial post: it may have gone out.
            self._failed(f"{what} (outcome unknown)", exc)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            self._failed(f"{what} (outcome unknown)", exc)
        if first is None:
            posted = await self._find_posted(channel, messages[0][0].title)
            if posted is False:  # Discord's history says it did not go out: free the day, retry later
                await store.release_digest(guild_id, day)
                return False
            if posted is None:  # cannot tell: keep the claim, so the digest goes out at most once
                return True
            first = posted
        await store.record_digest_message(guild_id, day, first.id)
        if quote is not None:
            await store.record_quote_shown(guild_id, quote.key, day)
        self.health.posted += 1
        log.info("posted digest %s for guild %s in channel %s", day.isoformat(), guild_id, channel.id)
        return True

    async def _find_posted(self, channel, title: str | None) -> discord.Message | None | bool:
        """After a post whose outcome is unknown: our message with this title, False if surely absent, None if unsure."""
        me = channel.guild.me
        if not channel.permissions_for(me).read_message_history:
            return None
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if message.author.id == me.id and message.embeds and message.embeds[0].title == title:
                    return message
        except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("could not read #%s to check a digest post: %s", getattr(channel, "name", "?"), exc)
            return None
        return False

    async def _disable(self, guild_id: int, reason: str, tell: bool = True) -> None:
        log.warning("daily digest of guild %s disabled: %s", guild_id, reason)
        await self.bot.store.disable_subscription(guild_id, reason)
        if tell:
            await self._tell_admins(guild_id, reason)

    async def _tell_admins(self, guild_id: int, reason: str) -> None:
        """A direct message to whoever set the digest up and to the server owner: the channel may be gone."""
        subscription = await self.bot.store.subscription(guild_id)
        guild = self.bot.get_guild(guild_id)
        recipients = {subscription.created_by if subscription else None, guild.owner_id if guild else None}
        server = escape(guild.name) if guild else f"server {guild_id}"
        text = (f"The daily digest of **{server}** was turned off: {escape(reason)}. "
                "Once that is fixed, `/digest subscribe` turns it back on.")
        for user_id in recipients - {None}:
            try:
                user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
                await user.send(text, allowed_mentions=NO_MENTIONS)
            except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                log.warning("could not tell user %s that the digest of guild %s is off: %s", user_id, guild_id, exc)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        if self.bot.store is not None and await self.bot.store.subscription(guild.id) is not None:
            await self._disable(guild.id, "the bot was removed from the server", tell=False)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Digest(bot))
