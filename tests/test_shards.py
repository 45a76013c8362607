"""Shards across processes: the configuration's shard_count and shard_ids, which servers a process owns,
and the feed poller's turn (a process skips a round while another polls)."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.shards import describe_shards, serves_guild, shard_of

# Discord ids carry their creation time in the bits above 22: the shard comes from those.
GUILD_ON_0_OF_4 = (1_000_000 * 4 + 0) << 22 | 12345
GUILD_ON_3_OF_4 = (1_000_000 * 4 + 3) << 22 | 999


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shards_are_read_from_the_configuration(tmp_path):
    config = load_config(write(tmp_path, "shard_count: 4\nshard_ids: [2, 3]\n"))
    assert (config.shard_count, config.shard_ids) == (4, (2, 3))
    config = load_config(write(tmp_path, "shard_count: 4\n"))  # one process running all four
    assert (config.shard_count, config.shard_ids) == (4, None)
    assert (load_config(write(tmp_path, "{}\n")).shard_count, load_config(write(tmp_path, "{}\n")).shard_ids) == \
        (None, None)


@pytest.mark.parametrize("text, key, problem", [
    ("shard_count: 0\n", "shard_count", "1 or more"),
    ("shard_count: two\n", "shard_count", "whole number"),
    ("shard_ids: [0]\n", "shard_ids", "needs shard_count too"),
    ("shard_count: 2\nshard_ids: [0, 2]\n", "shard_ids", "shard 2 does not exist: with shard_count 2 the shards "
                                                         "are 0 to 1"),
    ("shard_count: 4\nshard_ids: [1, 1]\n", "shard_ids", "shard 1 is listed twice"),
    ("shard_count: 4\nshard_ids: [-1]\n", "shard_ids", "shard numbers"),
    ("shard_count: 4\nshard_ids: []\n", "shard_ids", "list of shard numbers"),
    ("shard_count: 4\nshard_ids: 1\n", "shard_ids", "list of shard numbers"),
])
def test_bad_shard_settings_name_the_key_and_the_problem(tmp_path, text, key, problem):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key == key and str(path) in str(err.value) and problem in str(err.value)


def test_a_server_belongs_to_the_shard_discord_sends_its_events_to():
    assert shard_of(GUILD_ON_0_OF_4, 4) == 0 and shard_of(GUILD_ON_3_OF_4, 4) == 3
    assert serves_guild(GUILD_ON_3_OF_4, 4, (2, 3))
    assert not serves_guild(GUILD_ON_0_OF_4, 4, (2, 3))
    assert serves_guild(GUILD_ON_0_OF_4, 4, (0,))


def test_a_process_running_every_shard_serves_every_server():
    assert serves_guild(GUILD_ON_0_OF_4, 4, None) and serves_guild(GUILD_ON_3_OF_4, 4, None)
    assert serves_guild(GUILD_ON_3_OF_4, None, None)  # before discord.py learnt the count


def test_shards_are_described_for_the_status():
    assert describe_shards(4, (3, 1)) == "1, 3 of 4"
    assert describe_shards(4, None) == "all 4"
    assert describe_shards(None, None) == "all (one process)"


async def test_a_feed_round_is_skipped_while_another_process_polls(tmp_path):
    from bot.config import FeedSpec
    from bot.feeds import FeedService
    from bot.ingest import CorpusLoader
    from bot.store import SqliteStore
    from tests.feed_site import Item, article_page, rss, start_feed_site
    from tests.test_feeds import KURIL_TEXT

    class SharedStore(SqliteStore):  # as if another bot process held the feed-poll turn until told otherwise
        other_process_polling = True

        @asynccontextmanager
        async def feed_poll_turn(self):
            yield not self.other_process_polling

    site = await start_feed_site()
    site.pages["/kuril"] = article_page("Talks resume on the Kuril Islands", KURIL_TEXT, "2021-03-02")
    site.feeds["/world.xml"] = rss([Item("Talks resume", "/kuril", "Tokyo and Moscow talk.")])
    folder = tmp_path / "corpus"
    folder.mkdir()
    try:
        async with await SharedStore.open(tmp_path / "bot.sqlite3") as store:
            feeds = FeedService(store, CorpusLoader(store, folder, workers=1), [FeedSpec(site.url("/world.xml"))],
                                allow_private=True, timeout=3)
            assert await feeds.poll_due() == []
            assert site.requests == []  # nothing fetched: the other process does this round
            store.other_process_polling = False
            [result] = await feeds.poll_due()  # the next round is ours
            assert [new.article.title for new in result.new] == ["Talks resume on the Kuril Islands"]
    finally:
        await site.server.close()


def test_each_process_can_name_its_shards_on_the_command_line(tmp_path, monkeypatch, capsys):
    import bot.cli as cli
    started = []
    monkeypatch.setattr(cli, "run_discord", lambda config: started.append(config) or 0)
    path = write(tmp_path, "shard_count: 4\nshard_ids: [0]\n")
    assert cli.main(["--config", str(path), "run", "--shard-ids", "2", "3"]) == 0
    assert (started[0].shard_count, started[0].shard_ids) == (4, (2, 3))
    assert cli.main(["--config", str(path), "run", "--shard-ids", "4"]) == 2
    assert "--shard-ids: shard 4 does not exist: with shard_count 4 the shards are 0 to 3" in capsys.readouterr().err
    assert cli.main(["--config", str(write(tmp_path, "{}\n")), "run", "--shard-ids", "0"]) == 2
    assert "needs shard_count too" in capsys.readouterr().err
