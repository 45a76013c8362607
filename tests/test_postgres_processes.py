"""Several bot processes on one PostgreSQL database: the command line end to end through DATABASE_URL,
two reloads of one folder taking turns, two feed pollers fetching a feed once."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from bot.config import FeedSpec
from bot.feeds import FeedService
from bot.ingest import CorpusLoader
from bot.store import open_store

from .helpers import ROOT, copy_seeds

pytestmark = pytest.mark.postgresql


def run_cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"}
    env.update(DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_command_line_runs_on_postgresql_through_database_url(postgres_database, tmp_path):
    corpus = str(copy_seeds(tmp_path / "corpus"))
    ingested = run_cli(postgres_database, "ingest", "--corpus", corpus)
    assert ingested.returncode == 0, ingested.stderr
    assert ingested.stdout.startswith("added 5, updated 0, removed 0, failed 0, unchanged 0")

    exported = run_cli(postgres_database, "export", "--corpus", corpus)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert len(document["articles"]) == 5 and document["quotes"] and document["people"]

    asked = run_cli(postgres_database, "ask", "/experts", "--corpus", corpus)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.startswith("Experts quoted")


async def test_the_export_is_the_same_on_both_drivers(postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    from bot.export import export_document
    documents = []
    for database in (tmp_path / "bot.sqlite3", postgres_database):
        async with await open_store(database) as store:
            await CorpusLoader(store, corpus).reload()
            documents.append(await export_document(store))
    sqlite, postgres = documents
    assert {a["id"] for a in postgres["articles"]} == {a["id"] for a in sqlite["articles"]}
    assert len(postgres["quotes"]) == len(sqlite["quotes"])


async def test_two_processes_reloading_one_folder_take_turns(postgres_database, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    first, second = await open_store(postgres_database), await open_store(postgres_database)
    try:
        reports = await asyncio.gather(CorpusLoader(first, corpus).reload(), CorpusLoader(second, corpus).reload())
    finally:
        await first.close()
        await second.close()
    loaded, waited = sorted(reports, key=lambda report: report.waited)
    assert (len(loaded.added), loaded.waited) == (5, 0.0)
    # The second waited for the first, then found the folder already in the database.
    assert (len(waited.added), waited.unchanged) == (0, 5) and waited.waited > 0
    assert "for a reload running in another bot process" in waited.lines()[-1]


async def test_two_processes_polling_one_feed_fetch_it_once(postgres_database, tmp_path):
    from tests.feed_site import Item, article_page, rss, start_feed_site
    from tests.test_feeds import KURIL_TEXT

    site = await start_feed_site()
    site.pages["/kuril"] = article_page("Talks resume on the Kuril Islands", KURIL_TEXT, "2021-03-02")
    site.feeds["/world.xml"] = rss([Item("Talks resume", "/kuril", "Tokyo and Moscow talk.")])
    site.delay = 0.2  # long enough for the two rounds to overlap
    folder = tmp_path / "corpus"
    folder.mkdir()
    stores = [await open_store(postgres_database), await open_store(postgres_database)]
    try:
        spec = FeedSpec(site.url("/world.xml"))
        services = [FeedService(store, CorpusLoader(store, folder, workers=1), [spec], allow_private=True, timeout=5)
                    for store in stores]
        rounds = await asyncio.gather(*(service.poll_due() for service in services))
        assert sorted(len(results) for results in rounds) == [0, 1]  # one polled, the other skipped its round
        assert site.paths_requested().count("/world.xml") == 1 and site.paths_requested().count("/kuril") == 1
        assert [len(results) for results in [await s.poll_due() for s in services]] == [0, 0]  # not due again
    finally:
        for store in stores:
            await store.close()
        await site.server.close()


# ---------------------------------------------------------------- the bot on PostgreSQL, running shard 0 of 2
@pytest.fixture
def bot_config(postgres_database, corpus_dir):
    from bot.config import Config
    return Config(database=postgres_database, corpus=corpus_dir, shard_count=2, shard_ids=(0,), source="tests")


async def test_a_bot_on_postgresql_posts_its_own_servers_digests_and_claims_no_other(simcord_env, clock):
    import datetime as dt

    from tests.test_discord_digest import digests
    from tests.test_discord_shards import server, sync

    env, bot = simcord_env, simcord_env.bot
    ours, theirs = server(env, "Ours", shard=0), server(env, "Theirs", shard=1)
    await sync(env, ours)
    clock.set(dt.datetime(2026, 3, 10, 7, 50, tzinfo=dt.timezone.utc))
    await ours.manager.slash(ours.channel, "digest subscribe", channel=ours.channel, time="08:00", timezone="UTC")
    await bot.store.subscribe(theirs.guild.id, theirs.channel.id, "08:00", "UTC", theirs.manager.id,
                              created_at=clock())
    await env.advance_time(15 * 60)
    assert len(digests(ours.channel)) == 1 and digests(theirs.channel) == []
    assert [d.local_date for d in await bot.store.digests_sent(ours.guild.id)] == [dt.date(2026, 3, 10)]
    assert await bot.store.digests_sent(theirs.guild.id) == []
