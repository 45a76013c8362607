"""Turns between bot processes sharing one PostgreSQL database: one corpus reload at a time, one feed poller
at a time, and a lock that dies with the process holding it."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from bot.store.postgres import PostgresDatabase

from .helpers import ROOT


@pytest.fixture
async def two_processes(postgres_database):
    """Two openings of one database with their own connection pools, as two bot processes have."""
    first = await PostgresDatabase.open(postgres_database)
    second = await PostgresDatabase.open(postgres_database)
    yield first, second
    await first.close()
    await second.close()


@pytest.mark.postgresql
async def test_a_second_reload_waits_for_the_first(two_processes):
    first, second = two_processes
    order = []

    async def reload(database, name, hold: float):
        async with database.reload_lock() as waited:
            order.append((name, "start", waited))
            await asyncio.sleep(hold)
            order.append((name, "end", waited))

    running = asyncio.create_task(reload(first, "first", 0.5))
    while not order:
        await asyncio.sleep(0.01)
    await asyncio.gather(running, reload(second, "second", 0))
    assert [(name, step) for name, step, _ in order] == [("first", "start"), ("first", "end"),
                                                         ("second", "start"), ("second", "end")]
    assert order[0][2] == 0.0
    assert order[2][2] >= 0.3  # the second one says it waited


@pytest.mark.postgresql
async def test_a_process_that_stops_waiting_leaves_nothing_behind(two_processes):
    """A bot shut down while its reload waits: the lock is neither taken nor kept by its connection."""
    first, second = two_processes
    async with first.reload_lock():
        waiting = asyncio.create_task(_take(second))
        await asyncio.sleep(0.3)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    taken = asyncio.create_task(_take(first))
    assert await asyncio.wait_for(taken, timeout=5) == 0.0  # free at once: the cancelled wait kept nothing
    assert await asyncio.wait_for(_take(second), timeout=5) == 0.0


@pytest.mark.postgresql
async def test_while_one_process_polls_the_feeds_another_skips_its_round(two_processes):
    first, second = two_processes
    async with first.feed_poll_turn() as polling:
        assert polling
        async with second.feed_poll_turn() as also:
            assert not also
    async with second.feed_poll_turn() as polling:
        assert polling


@pytest.mark.postgresql
async def test_the_reload_lock_is_not_the_feed_lock(two_processes):
    first, second = two_processes
    async with first.reload_lock(), second.feed_poll_turn() as polling:
        assert polling


@pytest.mark.postgresql
async def test_a_killed_process_leaves_the_reload_lock_free(two_processes, postgres_database):
    _, survivor = two_processes
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-m", "tests.lock_holder", postgres_database], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert await asyncio.to_thread(holder.stdout.readline) == "held\n"
        waiting = asyncio.create_task(_take(survivor))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # the holder is alive: the survivor waits
        holder.send_signal(signal.SIGKILL)
        waited = await asyncio.wait_for(waiting, timeout=20)
        assert waited >= 0.3
    finally:
        holder.kill()
        holder.wait()


async def _take(database) -> float:
    async with database.reload_lock() as waited:
        return waited


# ---------------------------------------------------------------- what the loader reports
async def test_a_reload_that_waited_for_another_process_says_so(tmp_path):
    """The loader takes the store's reload lock; a wait shows in the report an admin reads."""
    from contextlib import asynccontextmanager

    from bot.ingest import CorpusLoader
    from bot.store import SqliteStore

    from .helpers import copy_seeds

    class BusyElsewhere(SqliteStore):  # as if another bot process were reloading for 2.5 s
        @asynccontextmanager
        async def reload_lock(self):
            yield 2.5

    async with await BusyElsewhere.open(tmp_path / "bot.sqlite3") as store:
        report = await CorpusLoader(store, copy_seeds(tmp_path / "corpus")).reload()
    assert report.lines()[-1] == "  waited 2.5 s for a reload running in another bot process"
    async with await SqliteStore.open(tmp_path / "bot.sqlite3") as store:
        report = await CorpusLoader(store, tmp_path / "corpus").reload()
    assert not any("another bot process" in line for line in report.lines())
