"""The daily digest on Discord: subscribing, the schedule across midnight and DST, restarts, failures."""
import datetime as dt
import time

import discord

from tests.conftest import acknowledge_errors

UTC = dt.timezone.utc
HOUR = 3600


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def digests(channel) -> list[discord.Message]:
    """The digests posted in a channel (a digest's first message; a long one may continue)."""
    def starts_a_digest(message: discord.Message) -> bool:
        if not message.embeds or not (message.embeds[0].title or "").startswith("Daily briefing"):
            return False
        footer = message.embeds[0].footer.text or ""
        return not footer.startswith("page ") or footer.startswith("page 1/")

    return [m for m in channel.history() if starts_a_digest(m)]


async def subscribe(world, clock, at: dt.datetime, post_time: str, timezone: str, channel=None, actor=None):
    clock.set(at)
    result = await (actor or world.manager).slash(world.channel, "digest subscribe", channel=channel or world.channel,
                                                  time=post_time, timezone=timezone)
    return result


async def minutes(world, n: float) -> None:
    await world.env.advance_time(n * 60)


async def sent_days(world, guild_id=None) -> list[str]:
    rows = await world.bot.store.digests_sent(guild_id or world.guild.id)
    return [r.local_date.isoformat() for r in rows]


async def test_subscribing_tells_when_the_first_digest_comes(world, clock):
    result = await subscribe(world, clock, utc(2026, 3, 10, 14, 50), "00:05", "Asia/Tokyo")
    assert result.ephemeral
    expected = int(utc(2026, 3, 10, 15, 5).timestamp())  # 00:05 on 11 March in Tokyo
    assert f"at 00:05 (Asia/Tokyo). Next one: <t:{expected}:F>" in result.response.content
    row = await world.bot.store.subscription(world.guild.id)
    assert (row.channel_id, row.post_time, row.timezone) == (world.channel.id, "00:05", "Asia/Tokyo")


async def test_the_digest_is_posted_once_after_local_midnight_and_again_the_next_day(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 14, 50), "00:05", "Asia/Tokyo")  # 23:50 in Tokyo
    await minutes(world, 12)  # 00:02 on the 11th: a new day, but not yet the time
    assert digests(world.channel) == []
    await minutes(world, 5)
    posted = digests(world.channel)
    assert len(posted) == 1
    assert posted[0].embeds[0].title == "Daily briefing — Wednesday 11 March 2026"
    rows = await world.bot.store.digests_sent(world.guild.id)
    assert [(r.local_date, r.message_id) for r in rows] == [(dt.date(2026, 3, 11), posted[0].id)]

    await minutes(world, 60)
    assert len(digests(world.channel)) == 1
    await world.env.advance_time(23 * HOUR)
    assert len(digests(world.channel)) == 2
    assert await sent_days(world) == ["2026-03-11", "2026-03-12"]


async def test_a_time_skipped_by_spring_forward_posts_right_after_the_jump(world, clock):
    # New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that day.
    await subscribe(world, clock, utc(2026, 3, 8, 6, 40), "02:30", "America/New_York")  # 01:40 EST
    await minutes(world, 19)  # 06:59 UTC = 01:59 EST
    assert digests(world.channel) == []
    await minutes(world, 2)  # 07:01 UTC = 03:01 EDT
    assert len(digests(world.channel)) == 1
    assert await sent_days(world) == ["2026-03-08"]
    await world.env.advance_time(23.5 * HOUR)  # 06:31 UTC on the 9th = 02:31 EDT
    assert await sent_days(world) == ["2026-03-08", "2026-03-09"]


async def test_a_time_repeated_by_fall_back_posts_only_once(world, clock):
    # New York, 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    await subscribe(world, clock, utc(2026, 11, 1, 5, 20), "01:30", "America/New_York")
    await minutes(world, 11)
    assert len(digests(world.channel)) == 1
    await minutes(world, 65)
    assert len(digests(world.channel)) == 1
    assert await sent_days(world) == ["2026-11-01"]


async def test_a_restart_neither_double_posts_nor_skips(world, clock, restart):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")  # 07:50 in Tokyo
    await minutes(world, 15)
    assert await sent_days(world) == ["2026-03-11"]

    await restart()  # same day, after the digest went out
    await minutes(world, 30)
    assert len(digests(world.channel)) == 1

    await world.env.advance_time(24 * HOUR)
    assert await sent_days(world) == ["2026-03-11", "2026-03-12"]
    assert len(digests(world.channel)) == 2


async def test_after_downtime_one_missed_digest_is_caught_up_not_a_backlog(world, clock, restart):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    await minutes(world, 15)
    assert await sent_days(world) == ["2026-03-11"]

    # Down for three days: the bot comes back at 07:00 Tokyo time on the 15th.
    clock.set(utc(2026, 3, 14, 22, 0))
    await restart()
    await minutes(world, 5)
    assert await sent_days(world) == ["2026-03-11", "2026-03-14"]
    await minutes(world, 30)
    assert len(digests(world.channel)) == 2
    await minutes(world, 30)  # 08:05 on the 15th: the regular one
    assert await sent_days(world) == ["2026-03-11", "2026-03-14", "2026-03-15"]


async def test_a_claimed_day_is_never_posted_again(world, clock):
    """A crash between claiming and posting loses that digest rather than risking a duplicate."""
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    assert await world.bot.store.claim_digest(world.guild.id, dt.date(2026, 3, 11), world.channel.id)
    await minutes(world, 20)
    assert digests(world.channel) == []


async def test_reloading_the_cogs_neither_duplicates_nor_loses_the_digest(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    old_loop = world.bot.get_cog("Digest").digest_loop
    await minutes(world, 15)
    assert len(digests(world.channel)) == 1

    result = await world.admin.slash(world.channel, "admin reload", what="cogs")
    assert "✓ cogs.digest" in result.response.embeds[0].description
    new_cog = world.bot.get_cog("Digest")
    assert new_cog.digest_loop.is_running() and not old_loop.is_running()
    await minutes(world, 10)
    assert len(digests(world.channel)) == 1
    await world.env.advance_time(24 * HOUR)
    assert await sent_days(world) == ["2026-03-11", "2026-03-12"]


async def test_one_broken_server_does_not_stop_the_others(world, clock):
    env = world.env
    other_guild = env.create_guild("Other")
    other_channel = other_guild.create_text_channel("briefing")
    other_guild_id = other_guild.id
    clock.set(utc(2026, 3, 10, 22, 50))
    # Written straight to the database: a zone no command would accept, as a damaged row would hold.
    store = world.bot.store
    await store.subscribe(other_guild_id, other_channel.id, "08:00", "Asia/Tokyo", None,
                          created_at=clock())
    await store.subscribe(world.guild.id, world.channel.id, "08:00", "Not/A_Zone", None,
                          created_at=clock())
    world.bot.get_cog("Digest").next_check = None
    await minutes(world, 15)
    assert await sent_days(world, other_guild_id) == ["2026-03-11"]
    assert len(digests(other_channel)) == 1
    health = world.bot.get_cog("Digest").health
    assert health.errors >= 1 and "Not/A_Zone" in health.last_error
    assert world.bot.get_cog("Digest").digest_loop.is_running()


async def test_a_refused_post_frees_the_day_and_disables_the_subscription(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=403, code=50013,
                           message="Missing Permissions")
    await minutes(world, 15)
    assert digests(world.channel) == []
    assert await sent_days(world) == []  # released: nothing was posted
    row = await world.bot.store.subscription(world.guild.id)
    assert not row.enabled and "Missing Permissions" in row.disabled_reason


async def test_a_server_error_keeps_the_claim_so_the_digest_is_never_doubled(world, clock):
    """When the channel's history cannot tell whether the post went out, the claim stands."""
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=500, times=None)
    world.env.inject_error("GET", f"/channels/{world.channel.id}/messages", status=500, times=None)
    await minutes(world, 15)
    rows = await world.bot.store.digests_sent(world.guild.id)
    assert [(r.local_date, r.message_id) for r in rows] == [(dt.date(2026, 3, 11), None)]
    assert world.bot.get_cog("Digest").digest_loop.is_running()


async def test_the_watchdog_restarts_a_dead_loop(world):
    cog = world.bot.get_cog("Digest")
    cog.digest_loop.cancel()
    await minutes(world, 1)
    assert not cog.digest_loop.is_running()
    await minutes(world, 5)
    assert cog.digest_loop.is_running()
    assert cog.health.restarts == 1


async def test_the_quote_of_the_day_is_recorded_and_not_repeated_the_next_day(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    await minutes(world, 15)
    await world.env.advance_time(24 * HOUR)
    shown = await world.bot.store.quotes_shown_since(world.guild.id, dt.date(2026, 3, 1))
    assert len(shown) == 2


async def test_new_articles_appear_in_the_next_digest(world, clock, corpus_dir):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    await minutes(world, 15)
    time.sleep(1.1)  # "new" means ingested after the last digest, and both are stamped to the second
    (corpus_dir / "ferry.txt").write_text(
        "---\ntitle: Ferry timetable agreed\npublished: 2026-03-11\n---\n"
        "The two harbour towns agreed a new ferry timetable on Wednesday, the council said.\n", encoding="utf-8")
    await world.admin.slash(world.channel, "admin reload", what="corpus")
    await world.env.advance_time(24 * HOUR)
    latest = digests(world.channel)[-1].embeds[0]
    assert "Ferry timetable agreed" in latest.description


async def test_only_server_managers_subscribe_and_the_bot_must_be_able_to_post(world, clock):
    refused = await subscribe(world, clock, utc(2026, 3, 10, 12, 0), "08:00", "UTC", actor=world.member)
    assert refused.ephemeral and refused.response.content == "You need the Manage Server permission to do that."

    closed = world.guild.create_text_channel(
        "closed", overwrites={world.bot.user: discord.PermissionOverwrite(send_messages=False)})
    result = await subscribe(world, clock, utc(2026, 3, 10, 12, 0), "08:00", "UTC", channel=closed)
    assert result.ephemeral and "I can't post in" in result.response.content
    # Without Send Messages, Discord also withholds Embed Links: both are named, as the settings name them.
    assert result.response.content == f"I can't post in {closed.mention}: I need Send Messages and Embed Links there."
    hidden = world.guild.create_text_channel(
        "hidden", overwrites={world.bot.user: discord.PermissionOverwrite(view_channel=False)})
    result = await subscribe(world, clock, utc(2026, 3, 10, 12, 0), "08:00", "UTC", channel=hidden)
    assert result.response.content.endswith("I need View Channels, Send Messages and Embed Links there.")

    bad_zone = await subscribe(world, clock, utc(2026, 3, 10, 12, 0), "08:00", "Mars/Olympus")
    assert bad_zone.ephemeral and "unknown time zone" in bad_zone.response.content
    bad_time = await subscribe(world, clock, utc(2026, 3, 10, 12, 0), "25:00", "UTC")
    assert bad_time.ephemeral and "HH:MM" in bad_time.response.content
    assert await world.bot.store.subscription(world.guild.id) is None
    acknowledge_errors(world.env)


async def test_timezone_suggestions(world):
    tokyo = await world.manager.autocomplete(world.channel, "digest subscribe", "timezone", "tokyo")
    assert tokyo[0]["value"] == "Asia/Tokyo"
    assert len(await world.manager.autocomplete(world.channel, "digest subscribe", "timezone", "")) == 25


async def test_unsubscribing_stops_the_digest(world, clock):
    await subscribe(world, clock, utc(2026, 3, 10, 22, 50), "08:00", "Asia/Tokyo")
    result = await world.manager.slash(world.channel, "digest unsubscribe")
    assert result.ephemeral and result.response.content.startswith("The daily digest is off.")
    await minutes(world, 15)
    assert digests(world.channel) == []
    again = await world.manager.slash(world.channel, "digest unsubscribe")
    assert again.ephemeral and again.response.content == "This server has no daily digest to stop."
    acknowledge_errors(world.env)


async def test_preview_shows_todays_digest_only_to_the_asker(world, clock):
    clock.set(utc(2026, 3, 10, 12, 0))
    result = await world.member.slash(world.channel, "digest preview")
    assert result.ephemeral
    embed = (result.followups[0] if result.followups else result.response).embeds[0]
    assert embed.title == "Daily briefing — Tuesday 10 March 2026"
    assert await sent_days(world) == []
    assert await world.bot.store.quotes_shown_since(world.guild.id, dt.date(2026, 1, 1)) == set()
