"""The store's reads on PostgreSQL beside SQLite, over the same corpus: median and worst of each.

    python bench/postgres_reads.py --dsn postgresql://… --sqlite bench/out/db-10000/bot.sqlite3 [--runs 7]
    python bench/postgres_reads.py --dsn postgresql://… --explain   # and the plan of each PostgreSQL statement

Both stores must already hold the same corpus (a reload of bench/out/corpus-10000 into each).
The SQLite file is copied first (opening migrates it). The reads are those of autocomplete,
search, topics, quotes, dates and the timeline; each is run once to warm the caches, then
`--runs` times. `--explain` prints PostgreSQL's EXPLAIN ANALYZE of every statement a read sends
(the driver's own SQL, recorded as it goes), to check the indexes are used.
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.store import open_store  # noqa: E402
from bot.store.postgres import PostgresStore  # noqa: E402


def reads(store) -> list[tuple[str, object]]:
    return [
        ("autocomplete 'Ru'", lambda: store.articles_by_title("Ru")),
        ("autocomplete 'russia'", lambda: store.articles_by_title("russia")),
        ("autocomplete 'talks will'", lambda: store.articles_by_title("talks will")),
        ("autocomplete id '0004'", lambda: store.articles_by_title("0004")),
        ("find_people 'Ri'", lambda: store.find_people("Ri")),
        ("find_people 'selish'", lambda: store.find_people("selish")),
        ("recent_articles", lambda: store.recent_articles(25)),
        ("search peace", lambda: store.search("peace")),
        ("search \"peace treaty\"", lambda: store.search('"peace treaty"')),
        ("search the (every sentence)", lambda: store.search("the")),
        ("topic islands", lambda: store.topic_sentences("islands")),
        ("quote_pool", lambda: store.quote_pool()),
        ("dates 1956", lambda: store.dates(year=1956)),
        ("dates treaty 1950-1960", lambda: store.dates(topic="treaty", start_year=1950, end_year=1960)),
        ("events", lambda: store.events()),
        ("events 1956", lambda: store.events(year=1956)),
        ("events about declaration", lambda: store.events(topic="declaration")),
        ("events_on 19 October", lambda: store.events_on(10, 19)),
        ("summary_sentences 50", lambda: store.summary_sentences(50)),
    ]


async def timed(store, runs: int) -> dict[str, list[float]]:
    out = {}
    for name, call in reads(store):
        await call()
        took = []
        for _ in range(runs):
            started = time.perf_counter()
            await call()
            took.append((time.perf_counter() - started) * 1000)
        out[name] = took
    return out


async def explain(store: PostgresStore) -> None:
    sent: list[tuple[str, tuple]] = []
    fetch_all = store.fetch_all

    async def recording(sql, *args):
        sent.append((sql, args))
        return await fetch_all(sql, *args)

    store.fetch_all = recording
    for name, call in reads(store):
        sent.clear()
        await call()
        print(f"\n## {name}")
        for sql, args in sent:
            for row in await fetch_all("EXPLAIN (ANALYZE, COSTS OFF) " + sql, *args):
                print("   ", row[0])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--sqlite", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    postgres = await PostgresStore.open(args.dsn)
    try:
        if args.explain:
            await explain(postgres)
            return
        columns = {"PostgreSQL": await timed(postgres, args.runs)}
    finally:
        await postgres.close()
    if args.sqlite:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "bot.sqlite3"
            shutil.copy(args.sqlite, copy)
            sqlite = await open_store(copy)
            try:
                columns["SQLite"] = await timed(sqlite, args.runs)
            finally:
                await sqlite.close()
    names = list(columns["PostgreSQL"])
    print("| read | " + " | ".join(f"{c} p50 / max ms" for c in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name in names:
        cells = [f"{statistics.median(c[name]):.1f} / {max(c[name]):.1f}" for c in columns.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    asyncio.run(main())
