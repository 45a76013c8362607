"""The daily digest under Discord faults and restarts: never a double post, nothing silently lost.

Through simcord: 403, 404 (channel deleted), 429 and 5xx while posting, a loop that dies,
~20 restarts at random moments. Through the real cog over a fake Discord: 1,000 restarts
at random moments (simcord costs about a second per restart; the cog's own code and the
real store are exercised either way).
"""
from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import discord
import pytest

from bot.config import Config
from bot.store import Store, open_store
from cogs.digest import Digest
from tests.conftest import acknowledge_errors
from tests.test_discord_digest import digests, minutes, sent_days, subscribe, utc

HOUR = 3600


def dms(user) -> list[discord.Message]:
    return list(user.dm_channel.history())


async def test_a_deleted_channel_disables_the_digest_and_tells_the_admins(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.backend.delete_channel(world.channel.id)
    await minutes(world, 15)
    row = await world.bot.store.subscription(world.guild.id)
    assert not row.enabled and "no longer exists" in row.disabled_reason
    assert await sent_days(world) == []
    told = dms(world.manager.user)  # who subscribed
    assert told and "turned off" in told[-1].content and "no longer exists" in told[-1].content
    await world.env.advance_time(24 * HOUR)  # and it stays off, without another message
    assert len(dms(world.manager.user)) == len(told)
    assert world.bot.get_cog("Digest").digest_loop.is_running()


async def test_404_while_posting_disables_the_digest_and_tells_the_admins(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=404, code=10003,
                           message="Unknown Channel")
    await minutes(world, 15)
    row = await world.bot.store.subscription(world.guild.id)
    assert not row.enabled and "Unknown Channel" in row.disabled_reason
    assert await sent_days(world) == [], "the day is released: nothing was posted"
    assert "Unknown Channel" in dms(world.manager.user)[-1].content


async def test_403_while_posting_tells_the_admins(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=403, code=50013,
                           message="Missing Permissions")
    await minutes(world, 15)
    assert "Missing Permissions" in dms(world.manager.user)[-1].content
    status = await world.admin.slash(world.channel, "admin status")
    embed = status.response.embeds[0]
    text = " ".join([embed.description or ""] + [f"{f.name} {f.value}" for f in embed.fields])
    assert "1 disabled" in text and "Missing Permissions" in text


async def test_a_rate_limit_is_waited_out_and_the_digest_posted_once(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=429, code=0,
                           message="You are being rate limited.", times=2)
    await minutes(world, 20)
    assert len(digests(world.channel)) == 1
    assert await sent_days(world) == ["2026-03-11"]
    await world.env.advance_time(3 * HOUR)
    assert len(digests(world.channel)) == 1
    acknowledge_errors(world.env)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_passing_server_error_is_retried_and_posted_once(world, clock, status):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=status, times=1)
    await minutes(world, 20)
    assert len(digests(world.channel)) == 1
    assert [r.message_id is not None for r in await world.bot.store.digests_sent(world.guild.id)] == [True]
    await world.env.advance_time(3 * HOUR)
    assert len(digests(world.channel)) == 1
    acknowledge_errors(world.env)


async def test_after_a_lasting_outage_the_next_day_posts_normally(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=503, times=None)
    await minutes(world, 60)
    assert digests(world.channel) == []
    attempts = [r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/messages")]
    assert 3 <= len(attempts) <= 7, "retries back off (2, 4, 8 ... minutes), not every minute"
    world.env.backend.faults.clear()  # Discord is back
    await world.env.advance_time(24 * HOUR)
    assert len(digests(world.channel)) == 2 and await sent_days(world) == ["2026-03-11", "2026-03-12"]
    titles = [m.embeds[0].title for m in digests(world.channel)]
    assert len(titles) == len(set(titles)), "never the same day twice"
    acknowledge_errors(world.env)


async def test_a_loop_killed_by_an_exception_is_restarted_and_posts_once(world, clock, monkeypatch):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    bot = world.bot
    real_now = bot.now
    calls = {"n": 0}

    def exploding_now():
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("a bug outside the loop's own error handling")
        return real_now()

    monkeypatch.setattr(bot, "now", exploding_now)
    await minutes(world, 3)
    cog = bot.get_cog("Digest")
    assert not cog.digest_loop.is_running(), "the exception stopped the loop"
    await minutes(world, 20)  # the watchdog brings it back
    assert cog.digest_loop.is_running() and cog.health.restarts == 1
    assert len(digests(world.channel)) == 1
    acknowledge_errors(world.env)


async def test_restarts_at_random_moments_never_double_post(world, clock, restart):
    """About twenty restarts at random moments over ten days: each day posted once, none skipped."""
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    rng = random.Random(6)
    restarts = 0
    for _ in range(10):  # ten days
        remaining = 24 * HOUR
        for _ in range(2):
            step = rng.uniform(60, remaining / 2)
            await world.env.advance_time(step)
            remaining -= step
            await restart()
            restarts += 1
        await world.env.advance_time(remaining)
    days = await sent_days(world)
    titles = [m.embeds[0].title for m in digests(world.channel)]
    print(f"{restarts} restarts, {len(days)} digests")
    assert len(titles) == len(set(titles)) == len(days)
    assert days == [(dt.date(2026, 3, 11) + dt.timedelta(days=i)).isoformat() for i in range(10)]


async def test_a_missed_day_is_caught_up_once(world, clock, restart):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    await minutes(world, 15)
    clock.set(utc(2026, 3, 12, 3, 0))  # down over the 12th's 08:00: back at noon in Tokyo
    await restart()
    await minutes(world, 5)
    await restart()  # and again right after the catch-up
    await minutes(world, 60)
    assert await sent_days(world) == ["2026-03-11", "2026-03-12"]
    assert len(digests(world.channel)) == 2


# ---------------------------------------------------------------- 1,000 restarts, real cog, fake Discord


class Crash(BaseException):
    """The process dies here (BaseException: no `except Exception` in the bot can swallow it)."""


class FakeChannel(discord.abc.Messageable):
    def __init__(self, fate: dict):
        self.id, self.name, self.fate, self.posted = 555, "news", fate, []
        self.guild = SimpleNamespace(me=object())

    async def _get_channel(self):
        return self

    def permissions_for(self, _member):
        return discord.Permissions.all()

    async def send(self, *, embeds, allowed_mentions):
        assert allowed_mentions.everyone is False and allowed_mentions.roles is False
        if self.fate.pop("before_post", False):
            raise Crash
        self.posted.append(embeds[0].title)
        if self.fate.pop("after_post", False):
            raise Crash
        return SimpleNamespace(id=len(self.posted))


class FakeBot:
    def __init__(self, store: Store, config: Config, channel: FakeChannel, now):
        self.store, self.config, self.now = store, config, now
        guild = SimpleNamespace(id=1, unavailable=False, name="Model", owner_id=None,
                                get_channel=lambda _id: channel)
        self._guild = guild

    def get_guild(self, _id):
        return self._guild


async def test_a_thousand_restarts_at_random_moments_post_each_day_at_most_once(tmp_path, bot_config):
    """The real Digest.post_if_due over a real store; the process dies at random points and restarts."""
    rng = random.Random(1000)
    now = [utc(2026, 3, 10, 12, 0)]
    fate: dict = {}
    channel = FakeChannel(fate)
    async with await open_store(tmp_path / "model.sqlite3") as store:
        await store.subscribe(1, channel.id, "08:00", "Asia/Tokyo", None, created_at=now[0])
        real_claim = store.claim_digest

        async def claim(*args):
            if fate.pop("before_claim", False):
                raise Crash
            claimed = await real_claim(*args)
            if fate.pop("after_claim", False):
                raise Crash
            return claimed

        store.claim_digest = claim
        crashes = lost = 0
        for _ in range(1000):
            cog = Digest(FakeBot(store, bot_config, channel, lambda: now[0]))  # a fresh start
            fate.clear()
            point = rng.choice(["before_claim", "after_claim", "before_post", "after_post", None, None])
            if point:
                fate[point] = True
            for _ in range(rng.randint(1, 4)):  # a few ticks of the loop, then the crash (if one is due)
                now[0] += dt.timedelta(minutes=rng.choice([1, 7, 45, 180, 600]))
                subscription = await store.subscription(1)
                try:
                    await cog.post_if_due(subscription, now[0])
                except Crash:
                    crashes += 1
                    lost += point in ("after_claim", "before_post")
                    break
        store.claim_digest = real_claim
        sent = [r.local_date.isoformat() for r in await store.digests_sent(1)]
    print(f"1000 restarts, {crashes} crashes inside a post, {len(channel.posted)} digests posted, "
          f"{lost} lost to a crash between claim and post, days covered {sent[0]}..{sent[-1]}")
    assert len(channel.posted) == len(set(channel.posted)), "never a double post"
    assert len(channel.posted) <= len(sent), "every post had its day claimed first"
    assert len(channel.posted) >= len(sent) - lost
    assert crashes >= 150
