"""What the PostgreSQL driver tells an admin: an unreachable server, a newer schema, a refused write."""
from __future__ import annotations

import socket

import asyncpg
import pytest

from bot.store import SchemaTooNewError, StoreError, StoreWriteError
from bot.store.postgres import SCHEMA_VERSION, PostgresBotState, describe


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_an_unreachable_server_is_named_without_its_password():
    dsn = f"postgresql://bot:hunter2@127.0.0.1:{closed_port()}/briefing"
    with pytest.raises(StoreError) as error:
        await PostgresBotState.open(dsn)
    message = str(error.value)
    assert message.startswith("postgresql://bot@127.0.0.1:") and "/briefing: cannot open the database" in message
    assert "hunter2" not in message


def test_an_address_is_shown_without_its_password():
    assert describe("postgresql://bot:hunter2@db.example:5433/briefing") == "postgresql://bot@db.example:5433/briefing"
    assert "hunter2" not in describe("host=db.example user=bot password=hunter2 dbname=briefing")


async def test_a_database_migrated_by_a_newer_bot_is_refused(postgres_database):
    await (await PostgresBotState.open(postgres_database)).close()
    conn = await asyncpg.connect(postgres_database)
    await conn.execute("UPDATE schema_version SET version = $1", SCHEMA_VERSION + 1)
    await conn.close()
    with pytest.raises(SchemaTooNewError, match=f"schema version {SCHEMA_VERSION + 1}, newer than this bot"):
        await PostgresBotState.open(postgres_database)


async def test_opening_twice_migrates_once_and_keeps_the_data(postgres_database):
    async with await PostgresBotState.open(postgres_database) as state:
        await state.set_meta("k", "v")
    async with await PostgresBotState.open(postgres_database) as state:
        assert await state.meta("k") == "v"
    conn = await asyncpg.connect(postgres_database)
    assert await conn.fetch("SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    await conn.close()


async def test_a_read_only_database_refuses_a_write_with_a_hint_and_keeps_what_it_had(postgres_database):
    async with await PostgresBotState.open(postgres_database) as state:
        await state.set_meta("k", "before")
    conn = await asyncpg.connect(postgres_database)
    name = await conn.fetchval("SELECT current_database()")
    await conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    await conn.close()
    async with await PostgresBotState.open(postgres_database) as state:
        with pytest.raises(StoreWriteError, match="the database is read-only"):
            await state.set_meta("k", "after")
        assert await state.meta("k") == "before"


def test_a_server_left_behind_by_a_killed_run_is_stopped_by_the_next_run(postgres_server):
    import socket
    import subprocess
    import sys

    from tests.postgres_server import OWNER_FILE, PostgresServer

    left = PostgresServer(postgres_server.binaries)
    left.start()
    folder, port = left.folder, left.port
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (folder / OWNER_FILE).write_text(str(gone.pid))  # as if the run that started it had been killed

    PostgresServer(postgres_server.binaries).stop_abandoned()

    assert not folder.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    socket.create_connection(("127.0.0.1", postgres_server.port), timeout=2).close()  # ours still serves
