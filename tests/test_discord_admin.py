"""Admin commands: who may run them, reloads, sync, status, uploads, and reloading while users ask."""
import asyncio
import logging
from contextlib import asynccontextmanager
from dataclasses import replace

import discord
import pytest
from simcord import SetupError

from bot.discord_app import create_bot
from bot.uploads import MAX_UPLOAD_BYTES, UploadError, check_upload
from tests.conftest import acknowledge_errors

NEW_ARTICLE = (b"---\ntitle: Ferry timetable agreed\npublished: 2021-03-05\nsource: coastal-wire\n---\n"
               b"The two harbour towns agreed a new ferry timetable on Friday, the council said.\n\n"
               b"\"It took two years,\" the mayor told reporters.\n")


def description(result) -> str:
    message = result.followups[0] if result.followups else result.response
    return message.embeds[0].description


async def test_status_reports_corpus_database_latency_uptime_and_loops(world):
    result = await world.admin.slash(world.channel, "admin status")
    assert result.ephemeral
    text = description(result)
    for part in ("**Corpus**: 5 articles", "**Last ingest**", "**Database**", "**Latency**", "**Uptime**",
                 "**Digest loop**: running", "**Subscriptions**: 0 active"):
        assert part in text


async def test_admin_commands_are_hidden_from_members_and_refused_to_non_admins(world, caplog):
    with pytest.raises(SetupError, match="not visible"):
        await world.member.slash(world.channel, "admin status")

    with caplog.at_level(logging.WARNING, logger="cogs.admin"):
        refused = await world.manager.slash(world.channel, "admin reload", what="corpus")
    assert refused.ephemeral and refused.response.content == "Only the bot's admins can do that."
    assert any(str(world.manager.id) in r.getMessage() for r in caplog.records)
    acknowledge_errors(world.env)


async def test_who_counts_as_a_bot_admin(world):
    """Configured users and roles, and the application owner; Manage Server alone is not enough."""
    world.bot.config = replace(world.bot.config, admin_user_ids=(world.admin.id,), admin_role_ids=(4242,))

    class Person:
        def __init__(self, user_id, role_ids=()):
            self.id = user_id
            self.roles = [discord.Object(r) for r in role_ids]

    assert await world.bot.is_admin(Person(world.admin.id))
    assert await world.bot.is_admin(Person(world.member.id, [4242]))
    assert not await world.bot.is_admin(Person(world.manager.id, [world.guild.roles["Managers"].id]))
    owner = (await world.bot.application_info()).owner
    assert await world.bot.is_admin(Person(owner.id))


async def test_every_admin_action_is_logged_with_the_user_id(world, caplog):
    with caplog.at_level(logging.INFO, logger="cogs.admin"):
        await world.admin.slash(world.channel, "admin status")
    assert any(f"admin {world.admin.id} ran /admin status" in r.getMessage() for r in caplog.records)


async def test_reload_corpus_picks_up_added_and_removed_files(world, corpus_dir):
    (corpus_dir / "ferry.txt").write_bytes(NEW_ARTICLE)
    next(corpus_dir.glob("000_*.txt")).unlink()
    result = await world.admin.slash(world.channel, "admin reload", what="corpus")
    assert result.ephemeral
    assert description(result).startswith("added 1, updated 0, removed 1, failed 0, unchanged 4")
    found = await world.member.slash(world.channel, "search", query="ferry timetable")
    assert "Ferry timetable agreed" in found.response.embeds[0].description


async def test_reload_config_applies_a_good_file_and_keeps_the_old_one_on_errors(world, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(f"admin_user_ids: [{world.admin.id}]\nsummary_sentences: 2\ncorpus: corpus\n"
                    f"database: bot.sqlite3\n", encoding="utf-8")
    world.bot.config = replace(world.bot.config, source=str(path))
    result = await world.admin.slash(world.channel, "admin reload", what="config")
    assert "Configuration reloaded" == (result.followups or [result.response])[0].embeds[0].title
    assert world.bot.config.summary_sentences == 2

    path.write_text("summary_sentences: [oops\n", encoding="utf-8")
    broken = await world.admin.slash(world.channel, "admin reload", what="config")
    assert broken.ephemeral
    assert (broken.followups or [broken.response])[0].content.startswith("The configuration was not changed:")
    assert world.bot.config.summary_sentences == 2
    acknowledge_errors(world.env)


async def test_reload_cogs_reports_each_and_commands_keep_working(world):
    result = await world.admin.slash(world.channel, "admin reload", what="cogs")
    text = description(result)
    for name in ("cogs.briefing", "cogs.digest", "cogs.admin"):
        assert f"✓ {name}" in text
    assert not (await world.member.slash(world.channel, "experts")).ephemeral


async def test_sync_publishes_the_commands_to_this_server(world):
    result = await world.admin.slash(world.channel, "admin sync", scope="guild")
    assert f"to 1 server(s): {world.guild.id}" in description(result)
    assert "experts" in world.member.available_commands(world.channel)


async def test_the_mention_bootstrap_ignores_strangers(world):
    before = len(world.channel.history())
    await world.member.send(world.channel, f"{world.bot.user.mention} sync")
    assert len(world.channel.history()) == before + 1  # their message, and no reply


async def test_ingest_adds_an_uploaded_article_atomically(world, corpus_dir):
    result = await world.admin.slash(world.channel, "admin ingest", file=("ferry_deal.md", NEW_ARTICLE))
    assert result.ephemeral
    text = description(result)
    assert "ferry\\_deal.md → article ferry\\_deal: added" in text
    assert "title: Ferry timetable agreed" in text
    assert (corpus_dir / "ferry_deal.md").read_bytes() == NEW_ARTICLE
    assert not [p for p in corpus_dir.iterdir() if p.name.startswith(".")]

    again = await world.admin.slash(world.channel, "admin ingest", file=("ferry_deal.md", NEW_ARTICLE + b"More.\n"))
    assert "ferry\\_deal: updated" in description(again)
    shown = await world.member.slash(world.channel, "article", article="ferry_deal")
    assert shown.response.embeds[0].title == "Ferry timetable agreed"


@pytest.mark.parametrize("name, data, reason", [
    ("notes.pdf", NEW_ARTICLE, "only .txt, .md, .html and .htm files"),
    ("blob.txt", b"\x00\x01\x02" * 100, "binary file"),
    ("empty.txt", b"   \n", "empty file"),
    ("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "too large"),
])
async def test_ingest_refuses_files_that_are_not_articles(world, corpus_dir, name, data, reason):
    before = sorted(p.name for p in corpus_dir.iterdir())
    result = await world.admin.slash(world.channel, "admin ingest", file=(name, data))
    assert result.ephemeral
    reply = (result.followups or [result.response])[0].content
    assert reason in reply
    assert sorted(p.name for p in corpus_dir.iterdir()) == before
    acknowledge_errors(world.env)


@pytest.mark.parametrize("name", ["../escape.txt", "sub/dir.txt", ".hidden.txt", "a\\b.txt", "", "x..txt"])
def test_upload_names_cannot_leave_the_corpus_folder(name):
    with pytest.raises(UploadError):
        check_upload(name, NEW_ARTICLE)


async def test_commands_answer_from_the_old_corpus_while_a_reload_writes(world, corpus_dir):
    """A reload holds its write transaction open; meanwhile users get the last committed corpus."""
    store = world.bot.store
    original = store.transaction
    release = asyncio.Event()

    @asynccontextmanager
    async def held_transaction():
        async with original() as conn:
            yield conn
            await world.env.external_wait(release.wait(), reason="the test holds the reload's transaction open")

    store.transaction = held_transaction
    removed = next(corpus_dir.glob("003_*.txt"))
    removed_id = removed.stem
    removed.unlink()
    (corpus_dir / "ferry.txt").write_bytes(NEW_ARTICLE)

    reload = await world.admin.slash(world.channel, "admin reload", what="corpus")
    assert reload.deferred and not reload.followups  # still writing

    during = await world.member.slash(world.channel, "search", query="ferry")
    assert during.ephemeral and during.response.content == "No sentence matches 'ferry'."
    acknowledge_errors(world.env)
    still_there = await world.member.slash(world.channel, "article", article=removed_id)
    assert not still_there.ephemeral

    release.set()
    await world.env.settle()
    store.transaction = original
    assert "added 1, updated 0, removed 1" in description(reload)
    after = await world.member.slash(world.channel, "search", query="ferry")
    assert "Ferry timetable agreed" in after.response.embeds[0].description


async def test_closing_the_bot_cancels_its_loops_and_closes_the_database(bot_config):
    bot = create_bot(bot_config)
    async with bot:
        await bot.setup_hook()  # no gateway: the start-up rescan waits for a ready that never comes
        digest = bot.get_cog("Digest")
        assert digest.digest_loop.is_running()
        store = bot.store
        await bot.close()
        assert bot.store is None
        assert bot.ingest_task.cancelled(), "closing stops the pending start-up rescan"
        await asyncio.sleep(0)
        assert not digest.digest_loop.is_running() and not digest.watchdog.is_running()
    with pytest.raises(ValueError):
        await store.fetch_one("SELECT 1")


async def test_ingest_takes_a_link_fetches_the_page_and_reports_it(world, corpus_dir, site):
    world.bot.config = replace(world.bot.config, allow_private_addresses=True)  # the site is on 127.0.0.1
    result = await world.admin.slash(world.channel, "admin ingest", url=str(site.make_url("/story")))
    text = description(result)
    assert result.ephemeral and ": added" in text
    assert "title: Ferry deal signed for the Kuril Islands" in text and "published: 2021-03-05" in text
    assert "source: Coastal Wire" in text and "found: 2 quotes, 2 dates" in text
    saved = [p for p in corpus_dir.iterdir() if p.suffix == ".html"]
    assert len(saved) == 1 and saved[0].read_text(encoding="utf-8").startswith("---\nurl: ")

    world.bot.config = replace(world.bot.config, allow_private_addresses=False)
    refused = await world.admin.slash(world.channel, "admin ingest", url=str(site.make_url("/story")))
    reply = (refused.followups or [refused.response])[0].content
    assert refused.ephemeral and "refused" in reply and "loopback" in reply
    acknowledge_errors(world.env)


async def test_ingest_wants_a_file_or_a_link(world):
    result = await world.admin.slash(world.channel, "admin ingest")
    assert result.ephemeral and "either a file or a url" in result.response.content
    acknowledge_errors(world.env)


async def test_start_up_answers_from_the_stored_corpus_and_rescans_the_folder_only_after_ready(
        world, corpus_dir, clock, monkeypatch):
    """A restart is ready without waiting for the rescan; the rescan then picks up what changed."""
    from bot.ingest import CorpusLoader

    await world.bot.ingest_task
    (corpus_dir / "ferry.txt").write_bytes(NEW_ARTICLE)
    new = create_bot(world.bot.config, now=clock)
    ready_when_rescanned = []
    original_reload = CorpusLoader.reload

    async def watched_reload(loader):
        ready_when_rescanned.append(new.is_ready())
        return await original_reload(loader)

    monkeypatch.setattr(CorpusLoader, "reload", watched_reload)
    old = world.bot
    try:
        await world.env.restart_bot(new)
        await old.store.close()
        old.store = None
        search = await world.member.slash(world.channel, "search", query="Kuril")
        assert "Kuril" in search.response.embeds[0].description  # the stored corpus, at once
        await new.ingest_task
        assert ready_when_rescanned == [True], "the rescan started only once the bot was ready"
        after = await world.member.slash(world.channel, "search", query="ferry")
        assert "Ferry timetable agreed" in after.response.embeds[0].description
    finally:
        if new.store is not None:
            await new.store.close()
