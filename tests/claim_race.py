"""One bot process in the claim race (tests/test_bot_state.py): `python -m tests.claim_race DRIVER TARGET GUILD DAYS`.

Opens the state (DRIVER `sqlite` with a file, or `postgresql` with a connection
string), prints `ready`, waits for a line on stdin, then claims GUILD's digest
for DAYS days from 2026-03-01 as fast as it can and prints the days it won, one
ISO date a line, then `done`.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import sys

FIRST_DAY = dt.date(2026, 3, 1)


async def open_state(driver: str, target: str):
    if driver == "sqlite":
        from bot.store import open_store
        return await open_store(target)
    from bot.store.postgres import PostgresBotState
    return await PostgresBotState.open(target)


async def race(driver: str, target: str, guild_id: int, days: int) -> None:
    state = await open_state(driver, target)
    try:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        for offset in range(days):
            day = FIRST_DAY + dt.timedelta(days=offset)
            if await state.claim_digest(guild_id, day, channel_id=1):
                print(day.isoformat(), flush=True)
        print("done", flush=True)
    finally:
        await state.close()


if __name__ == "__main__":
    asyncio.run(race(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
