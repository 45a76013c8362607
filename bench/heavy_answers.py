"""Median latency of the heaviest answers on an existing database (3 runs each).

    python bench/heavy_answers.py bench/out/db-100000/bot.sqlite3
"""
from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import answers  # noqa: E402
from bot.store import open_store  # noqa: E402

RUNS = 3


async def main(path: str) -> None:
    store = await open_store(path)
    try:
        print(await store.corpus_counts())
        top = (await store.people(1))[0].name
        checks = [
            ("timeline year:1956", lambda: answers.timeline(store, year=1956)),
            ("timeline (no filter)", lambda: answers.timeline(store)),
            ("onthisday 19 October", lambda: answers.on_this_day(store, dt.date(2026, 10, 19))),
            ("digest", lambda: answers.digest(store, dt.date(2026, 10, 15))),
            (f"quotes expert:{top}", lambda: answers.quotes_by(store, top)),
        ]
        for name, run in checks:
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                await run()
                times.append((time.perf_counter() - started) * 1000)
            print(f"{name}: median {statistics.median(times):.0f} ms (runs {', '.join(f'{t:.0f}' for t in times)})")
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
