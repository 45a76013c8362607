"""A bot process that runs some of the shards (discord.py's AutoShardedBot, through simcord): it posts the
digests of its own servers only, says which shards it runs, and a feed notice still reaches a channel on a
shard another process runs. The pure rule is in tests/test_shards.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import discord
import pytest

from bot.config import Config
from tests.test_discord_digest import digests

UTC = dt.timezone.utc


@pytest.fixture
def bot_config(tmp_path, corpus_dir, request) -> Config:
    """Shard 0 of 2 unless a test asks for other shard ids (None: this process runs both)."""
    shard_ids = getattr(request, "param", (0,))
    return Config(database=tmp_path / "bot.sqlite3", corpus=corpus_dir, shard_count=2, shard_ids=shard_ids,
                  source="tests")


@dataclass
class Server:
    guild: object
    channel: object
    manager: object


def server(env, name: str, shard: int) -> Server:
    guild = env.create_guild(name, shard_id=shard)
    channel = guild.create_text_channel("news")
    managers = guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    manager = guild.add_member(env.create_user(f"manager-{shard}"), roles=[managers])
    return Server(guild, channel, manager)


async def sync(env, *servers: Server) -> None:
    env.bot.config = replace(env.bot.config, admin_user_ids=tuple(s.manager.id for s in servers))
    for s in servers:
        await s.manager.send(s.channel, f"{env.bot.user.mention} sync guild")
        assert "Synced" in s.channel.last_message.content


async def test_a_process_posts_the_digests_of_its_own_shards_only(simcord_env, clock):
    env, bot = simcord_env, simcord_env.bot
    ours, theirs = server(env, "Ours", shard=0), server(env, "Theirs", shard=1)
    await sync(env, ours)
    clock.set(dt.datetime(2026, 3, 10, 7, 50, tzinfo=UTC))
    await ours.manager.slash(ours.channel, "digest subscribe", channel=ours.channel, time="08:00", timezone="UTC")
    # The other server subscribed through the process that runs shard 1: only the database knows it.
    await bot.store.subscribe(theirs.guild.id, theirs.channel.id, "08:00", "UTC", theirs.manager.id,
                              created_at=clock())
    await env.advance_time(15 * 60)
    assert len(digests(ours.channel)) == 1
    assert digests(theirs.channel) == []
    assert await bot.store.digests_sent(theirs.guild.id) == []  # left for the other process to claim

    status = await ours.manager.slash(ours.channel, "admin status")
    text = status.response.embeds[0].description
    assert "**Shards in this process**: 0 of 2" in text
    assert "serving 1 subscriptions" in text and "**Subscriptions**: 2 active" in text


@pytest.mark.parametrize("bot_config", [None], indirect=True)
async def test_a_process_running_every_shard_posts_every_digest(simcord_env, clock):
    env, bot = simcord_env, simcord_env.bot
    ours, other = server(env, "Zero", shard=0), server(env, "One", shard=1)
    await sync(env, ours, other)
    clock.set(dt.datetime(2026, 3, 10, 7, 50, tzinfo=UTC))
    for s in (ours, other):
        await s.manager.slash(s.channel, "digest subscribe", channel=s.channel, time="08:00", timezone="UTC")
    await env.advance_time(15 * 60)
    assert len(digests(ours.channel)) == 1 and len(digests(other.channel)) == 1


async def test_a_feed_notice_reaches_a_channel_on_a_shard_another_process_runs(simcord_env):
    from bot.config import FeedSpec
    from tests.feed_site import Item, article_page, rss, start_feed_site
    from tests.test_feeds import KURIL_TEXT

    env, bot = simcord_env, simcord_env.bot
    theirs = server(env, "Theirs", shard=1)
    site = await start_feed_site()
    site.pages["/kuril"] = article_page("Talks resume on the Kuril Islands", KURIL_TEXT, "2021-03-02")
    site.feeds["/world.xml"] = rss([Item("Talks resume", "/kuril", "Tokyo and Moscow talk.")])
    try:
        bot.config = replace(bot.config, feed_notice_channel=theirs.channel.id, allow_private_addresses=True,
                             feeds=(FeedSpec(site.url("/world.xml")),))
        bot.feeds.configure(bot.config.feeds, True)
        assert bot.get_channel(theirs.channel.id) is None  # not in this process's cache
        await bot.get_cog("Feeds").poll_due()
        assert theirs.channel.last_message.content.startswith("New: **Talks resume on the Kuril Islands**")
    finally:
        await site.server.close()
