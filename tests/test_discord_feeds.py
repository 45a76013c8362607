"""/admin feeds add|remove|list through simcord, the poll loop, and the notice line per new article."""
import asyncio
from dataclasses import replace

import pytest
from simcord import SetupError

from bot.config import FeedSpec
from tests.conftest import acknowledge_errors
from tests.feed_site import Item, article_page, rss, start_feed_site
from tests.test_feeds import FOOTBALL_TEXT, KURIL_TEXT


@pytest.fixture
async def feed_site():
    site = await start_feed_site()
    site.pages["/kuril-talks"] = article_page("Talks resume on the Kuril Islands", KURIL_TEXT, "2021-03-02")
    site.pages["/cup-final"] = article_page("Late goal wins the cup final", FOOTBALL_TEXT, "2021-03-01")
    site.feeds["/world.xml"] = rss([Item("Late goal wins the cup final", "/cup-final", "Football."),
                                    Item("Talks resume", "/kuril-talks", "Tokyo and Moscow talk about the Kurils.")])
    yield site
    await site.server.close()


def text_of(result) -> str:
    message = result.followups[0] if result.followups else result.response
    return message.embeds[0].description if message.embeds else message.content


def allow_local(world, **changes) -> None:
    """The test site is on 127.0.0.1; apply configuration changes the way /admin reload config does."""
    world.bot.config = replace(world.bot.config, allow_private_addresses=True, **changes)
    world.bot.feeds.configure(world.bot.config.feeds, True)


async def test_add_list_and_remove_a_feed(world, feed_site):
    allow_local(world)
    url = feed_site.url("/world.xml")
    added = await world.admin.slash(world.channel, "admin feeds add", url=url, every=60, match="Kuril OR Habomai")
    assert added.ephemeral
    assert "polled every 60 min, keeping entries that match Kuril OR Habomai" in text_of(added)

    listed = text_of(await world.admin.slash(world.channel, "admin feeds list"))
    assert url in listed and "every 60 min" in listed and "match: Kuril OR Habomai" in listed
    assert "last success: never" in listed and "next attempt: now" in listed

    results = await world.bot.get_cog("Feeds").poll_due()
    assert [new.article.title for r in results for new in r.new] == ["Talks resume on the Kuril Islands"]
    listed = text_of(await world.admin.slash(world.channel, "admin feeds list"))
    assert "last success: 2026-" in listed and "1 articles so far" in listed

    found = await world.member.slash(world.channel, "search", query="Kuril talks")
    assert "Talks resume on the Kuril Islands" in found.response.embeds[0].description

    removed = await world.admin.slash(world.channel, "admin feeds remove", feed=url)
    assert "Removed the feed" in text_of(removed)
    assert "No feeds yet" in text_of(await world.admin.slash(world.channel, "admin feeds list"))


async def test_bad_feeds_are_refused_with_the_reason(world, feed_site):
    allow_local(world)
    bad_match = await world.admin.slash(world.channel, "admin feeds add", url=feed_site.url("/world.xml"),
                                        match='"Northern Territories')
    assert bad_match.ephemeral and "match: cannot read the search" in text_of(bad_match)
    bad_url = await world.admin.slash(world.channel, "admin feeds add", url="ftp://example.org/feed")
    assert "url: expected an http:// or https:// address" in text_of(bad_url)
    too_often = await world.admin.slash(world.channel, "admin feeds add", url=feed_site.url("/world.xml"), every=1)
    assert "every: expected a whole number of minutes from 5" in text_of(too_often)
    await world.admin.slash(world.channel, "admin feeds add", url=feed_site.url("/world.xml"))
    twice = await world.admin.slash(world.channel, "admin feeds add", url=feed_site.url("/world.xml"))
    assert "is already one of the feeds" in text_of(twice)
    missing = await world.admin.slash(world.channel, "admin feeds remove", feed="https://nowhere.example/rss")
    assert "No feed" in text_of(missing)
    acknowledge_errors(world.env)


async def test_configured_feeds_are_listed_and_cannot_be_removed_by_command(world, feed_site):
    url = feed_site.url("/world.xml")
    allow_local(world, feeds=(FeedSpec(url, name="Harbour world news"),))
    listed = text_of(await world.admin.slash(world.channel, "admin feeds list"))
    assert "Harbour world news" in listed and "from the configuration" in listed
    refused = await world.admin.slash(world.channel, "admin feeds remove", feed="Harbour world news")
    assert "is in the configuration file" in text_of(refused)
    acknowledge_errors(world.env)


async def test_feed_commands_are_for_admins_only(world):
    with pytest.raises(SetupError, match="not visible"):
        await world.member.slash(world.channel, "admin feeds list")
    refused = await world.manager.slash(world.channel, "admin feeds add", url="https://example.org/rss")
    assert refused.response.content == "Only the bot's admins can do that."
    acknowledge_errors(world.env)


async def test_failures_show_in_status_and_list(world, feed_site):
    allow_local(world, feeds=(FeedSpec(feed_site.url("/status/500")),))
    await world.bot.get_cog("Feeds").poll_due()
    status = text_of(await world.admin.slash(world.channel, "admin status"))
    assert "**Feeds**: 1 polled, 1 failing" in status
    listed = text_of(await world.admin.slash(world.channel, "admin feeds list"))
    assert "HTTP 500" in listed and "1 in a row" in listed and "next attempt: 2026-" in listed


async def test_the_loop_polls_and_posts_one_line_per_new_article(world, feed_site):
    allow_local(world, feeds=(FeedSpec(feed_site.url("/world.xml"), match="Kuril"),),
                feed_notice_channel=world.channel.id)
    before = len(world.channel.history())
    await world.env.advance_time(61)
    for _ in range(100):  # the poll does real network I/O to the test site
        if len(world.channel.history()) > before:
            break
        await asyncio.sleep(0.05)
    notice = world.channel.last_message.content
    assert notice.startswith("New: **Talks resume on the Kuril Islands** · 2021-03-02 · Harbour Times · <http")
    assert notice.endswith("/kuril-talks>")
    assert len(world.channel.history()) == before + 1


async def test_reloading_the_configuration_changes_the_feeds(world, tmp_path, feed_site):
    path = tmp_path / "config.yaml"
    path.write_text(f"admin_user_ids: [{world.admin.id}]\ncorpus: corpus\ndatabase: bot.sqlite3\n"
                    f"feeds:\n  - url: {feed_site.url('/world.xml')}\n    name: Harbour world news\n",
                    encoding="utf-8")
    world.bot.config = replace(world.bot.config, source=str(path))
    await world.admin.slash(world.channel, "admin reload", what="config")
    assert "Harbour world news" in text_of(await world.admin.slash(world.channel, "admin feeds list"))
