"""Cost of finding the candidate copies of new articles in a store of N articles' LSH keys.

    python bench/copies_lookup.py [--articles 100000] [--batches 50]

Fills `article_bands` with the keys of N articles (32 each, as bot/nlp/near_duplicates.py makes
them: uniformly spread 64-bit values, so distinct stories share almost none), then times the
lookup a reload makes for each batch of 32 new articles (1,024 keys: one indexed query) and for
one article alone, inside a write transaction as the loader runs it.
Key rows written per article are part of the write cost: see the fill time.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiosqlite

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.nlp.near_duplicates import BANDS  # noqa: E402
from bot.store import open_store  # noqa: E402
from bot.store.copies import _candidates  # noqa: E402

BATCH = 32


def _key(rng: random.Random) -> int:
    return rng.getrandbits(64) - (1 << 63)


def fill(path: Path, articles: int, rng: random.Random) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO article_bands(key, article_id) VALUES (?, ?)",
                         ((_key(rng), f"a{n:06d}") for n in range(articles) for _ in range(BANDS)))
    conn.close()


async def time_lookups(path: Path, batches: int, size: int, rng: random.Random) -> list[float]:
    # A plain connection (foreign keys off: the keys' articles are not written) in a transaction
    # that is rolled back, so every lookup sees the same N articles.
    times = []
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        for b in range(batches):
            bands = [(_key(rng), f"new{b}-{i}") for i in range(size) for _ in range(BANDS)]
            await conn.execute("BEGIN IMMEDIATE")
            await conn.executemany("INSERT INTO article_bands(key, article_id) VALUES (?, ?)", bands)
            started = time.perf_counter()
            await _candidates(conn, bands)
            times.append(time.perf_counter() - started)
            await conn.execute("ROLLBACK")
    return times


def report(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    print(f"{label}: p50 {statistics.median(ms):.2f} ms, max {ms[-1]:.2f} ms over {len(ms)} lookups")


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--batches", type=int, default=50)
    args = parser.parse_args(argv)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        await (await open_store(path)).close()  # the schema
        started = time.perf_counter()
        fill(path, args.articles, rng)
        size_mb = path.stat().st_size / 1e6
        print(f"{args.articles:,} articles' keys ({args.articles * BANDS:,} rows) written in "
              f"{time.perf_counter() - started:.1f} s; database {size_mb:.0f} MB")
        report(f"a batch of {BATCH} new articles", await time_lookups(path, args.batches, BATCH, rng))
        report("one new article", await time_lookups(path, args.batches, 1, rng))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
