"""A bot process that takes the corpus reload lock and keeps it: `python -m tests.lock_holder DSN`.

Prints `held` once it has the lock, then sleeps until killed (tests/test_process_locks.py kills it with SIGKILL).
"""
from __future__ import annotations

import asyncio
import sys


async def hold(dsn: str) -> None:
    from bot.store.postgres import PostgresDatabase
    database = await PostgresDatabase.open(dsn)
    async with database.reload_lock():
        print("held", flush=True)
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(hold(sys.argv[1]))
