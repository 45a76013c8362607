"""Shared fixtures. Keep them general; add new ones by appending.

The Discord fixtures run the real bot against simcord's in-memory Discord:
`simcord_bot` builds the bot over a temporary database and a copy of the seed
corpus, `world` adds a server with a channel, an admin and a plain member, and
syncs the commands the way an admin does the first time (`@Bot sync guild`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import discord
import pytest

from bot.config import Config
from tests.helpers import copy_seeds


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus."""
    return copy_seeds(tmp_path / "corpus")


@pytest.fixture
def bot_config(tmp_path: Path, corpus_dir: Path) -> Config:
    # One process running one shard: simcord needs the count that discord.py would otherwise ask Discord for.
    return Config(database=tmp_path / "bot.sqlite3", corpus=corpus_dir, shard_count=1, source="tests")


class ShiftedClock:
    """The bot's "now": simcord's virtual clock, moved to any date a test needs.

    simcord's clock starts on 2026-01-01; a DST test needs March or November.
    `advance_time()` still drives it: the shift is a constant offset.
    """

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return discord.utils.utcnow() + self.offset

    def set(self, instant: dt.datetime) -> None:
        self.offset += instant - self()


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
async def simcord_bot(bot_config: Config, clock: ShiftedClock):
    from bot.discord_app import create_bot

    bot = create_bot(bot_config, now=clock)
    yield bot
    # simcord detaches the bot without closing it: close the database ourselves, or its
    # worker thread outlives the test (and keeps the interpreter from exiting).
    if bot.store is not None:
        await bot.store.close()


@dataclass
class World:
    env: object
    bot: object
    guild: object
    channel: object
    admin: object  # a configured bot admin who also has Manage Server
    manager: object  # Manage Server, but not a bot admin
    member: object  # nobody special


@pytest.fixture
async def world(simcord_env) -> World:
    env = simcord_env
    bot = env.bot
    guild = env.create_guild("Briefing Test")
    channel = guild.create_text_channel("news")
    managers = guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("ada"), roles=[managers])
    manager = guild.add_member(env.create_user("max"), roles=[managers])
    member = guild.add_member(env.create_user("mia"))
    bot.config = replace(bot.config, admin_user_ids=(admin.id,))
    await admin.send(channel, f"{bot.user.mention} sync guild")
    assert "Synced" in channel.last_message.content, channel.last_message.content
    return World(env, bot, guild, channel, admin, manager, member)


# ---------------------------------------------------------------- Discord test helpers
def acknowledge_errors(env) -> list[BaseException]:
    """The errors the bot reported (simcord fails a test on any it was not shown)."""
    return env.errors


def assert_within_embed_limits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    for f in embed.fields:
        assert len(f.name) <= 256 and len(f.value) <= 1024
    assert len(embed.footer.text or "") <= 2048
    assert len(embed) <= 6000


async def all_pages(actor, result) -> list[discord.Embed]:
    """Every page of a paginated reply, turning pages as `actor` (who must be the invoker)."""
    message = result.response
    pages = [message.embeds[0]]
    while True:
        buttons = {c["label"]: c for row in message.components for c in row["components"]}
        if not buttons or buttons["Next ›"]["disabled"]:
            return pages
        message = (await actor.click(message, label="Next ›")).response
        pages.append(message.embeds[0])


@pytest.fixture
async def restart(world: World, clock: ShiftedClock):
    """`await restart()`: stop the bot and start a new one on the same database, as after a crash or deploy."""
    from bot.discord_app import create_bot

    started = []

    async def restart_bot():
        old = world.env.bot
        new = create_bot(old.config, now=clock)
        await world.env.restart_bot(new)
        if old.store is not None:  # simcord detached the old bot; its database is ours to close
            store, old.store = old.store, None
            await store.close()
        started.append(new)
        world.bot = new
        return new

    yield restart_bot
    for bot in started:
        if bot.store is not None:
            await bot.store.close()


@pytest.fixture
async def site():
    """A small web site on 127.0.0.1 (tests/web_pages.py), for the link and fetch tests."""
    from tests.web_pages import make_server
    server = make_server()
    await server.start_server()
    yield server
    await server.close()


# How long simcord waits, in wall-clock seconds, for the bot to finish what an action started
# before it fails the test. Its default of 5 s failed correct tests on a busy machine, where the
# answer workers (which run at a lower priority than the bot) wait for a core.
SETTLE_TIMEOUT_S = 60


def pytest_collection_modifyitems(config, items):
    """simcord's patience for every Discord test; without PostgreSQL server binaries, the PostgreSQL
    tests are skipped under one reason (one summary line)."""
    for item in items:
        if "simcord_env" in item.fixturenames and item.get_closest_marker("simcord") is None:
            item.add_marker(pytest.mark.simcord(settle_timeout=SETTLE_TIMEOUT_S))
    from tests.postgres_server import NoPostgres, find_binaries
    wanting = [i for i in items if i.get_closest_marker("postgresql") or "postgres_server" in i.fixturenames]
    if not wanting:
        return
    try:
        find_binaries()
    except NoPostgres as exc:
        skip = pytest.mark.skip(reason=f"PostgreSQL tests skipped: {exc}")
        for item in wanting:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server (tests/postgres_server.py) for the whole run; skipped without the binaries."""
    from tests.postgres_server import NoPostgres, PostgresServer, find_binaries
    try:
        server = PostgresServer(find_binaries())
        server.start()
    except NoPostgres as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def postgres_database(postgres_server):
    """The connection string of a new empty database on the throwaway server, dropped afterwards."""
    import secrets
    name = f"test_{secrets.token_hex(6)}"
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)


# ---------------------------------------------------------------- both store drivers
STORE_DRIVERS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=STORE_DRIVERS)
def store_driver(request) -> str:
    """Each store driver in turn: the tests that take it run on SQLite and on PostgreSQL."""
    return request.param


async def open_empty_store(driver: str, request, tmp_path: Path):
    """A new empty store: a SQLite file in `tmp_path`, or a new database on the throwaway PostgreSQL server."""
    if driver == "sqlite":
        from bot.store import open_store
        return await open_store(tmp_path / f"store-{len(list(tmp_path.glob('store-*')))}.sqlite3")
    from bot.store.postgres import PostgresStore
    return await PostgresStore.open(request.getfixturevalue("postgres_database"))


@pytest.fixture
async def any_store(store_driver, request, tmp_path):
    """An empty store of each driver (`store_driver`), closed afterwards."""
    store = await open_empty_store(store_driver, request, tmp_path)
    yield store
    await store.close()
