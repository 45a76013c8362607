"""Corpus writes on PostgreSQL beside SQLite: a full ingest into an empty database, then a 1% reload.

    python bench/postgres_writes.py --corpus bench/out/corpus-10000 [--runs 3] [--dsn postgresql://…]

Without --dsn a throwaway server is started from the PostgreSQL binaries on the machine (as the
tests do: tests/postgres_server.py; it runs with fsync off, as SQLite's WAL with synchronous=NORMAL
syncs only at checkpoints). The corpus is copied first, because the 1% reload edits files. Each
run ingests into a fresh database, then edits 1% of the files (bench/generate.py touch_fraction)
and reloads. Medians are printed and written to bench/out/postgres_writes.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bot.ingest import CorpusLoader  # noqa: E402
from bot.store import open_store  # noqa: E402
from bot.store.postgres.corpus_writes import PostgresCorpusWrites  # noqa: E402
from generate import touch_fraction  # noqa: E402

SHARE = 0.01


async def ingest_and_reload(store, corpus: Path, run: int) -> dict:
    loader = CorpusLoader(store, corpus)
    started = time.perf_counter()
    report = await loader.reload()
    cold = time.perf_counter() - started
    originals: dict[Path, bytes] = {}
    touch_fraction(corpus, SHARE, seed=run, keep=originals)
    started = time.perf_counter()
    changed = await loader.reload()
    reload = time.perf_counter() - started
    for path, data in originals.items():
        path.write_bytes(data)
    return {"cold_s": cold, "added": len(report.added), "reload_s": reload, "updated": len(changed.updated),
            "cold_timings": report.timings, "reload_timings": changed.timings}


async def run_sqlite(corpus: Path, folder: Path, run: int) -> dict:
    db = folder / f"bench-{run}.sqlite3"
    store = await open_store(db)
    try:
        return await ingest_and_reload(store, corpus, run)
    finally:
        await store.close()


async def run_postgres(corpus: Path, dsn: str, run: int) -> dict:
    store = await PostgresCorpusWrites.open(dsn)
    try:
        async with store.transaction() as conn:  # a database given by --dsn: empty its corpus
            await conn.execute("TRUNCATE articles, people, events CASCADE")
        return await ingest_and_reload(store, corpus, run)
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dsn", help="a PostgreSQL database whose corpus tables each run empties "
                                      "(default: a throwaway server)")
    parser.add_argument("--drivers", default="sqlite,postgresql")
    args = parser.parse_args()
    server = None
    if args.dsn is None and "postgresql" in args.drivers:
        from tests.postgres_server import PostgresServer, find_binaries
        server = PostgresServer(find_binaries())
        server.start()
    results: dict[str, list[dict]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pg-writes-") as tmp:
            corpus = Path(tmp) / "corpus"
            shutil.copytree(args.corpus, corpus)
            for run in range(args.runs):
                for driver in args.drivers.split(","):
                    if driver == "sqlite":
                        result = asyncio.run(run_sqlite(corpus, Path(tmp), run))
                    else:
                        dsn = args.dsn
                        if server is not None:
                            dsn = server.create_database(f"bench_{secrets.token_hex(4)}")
                        result = asyncio.run(run_postgres(corpus, dsn, run))
                        if server is not None:
                            server.drop_database(dsn.rsplit("/", 1)[1])
                    results.setdefault(driver, []).append(result)
                    print(f"run {run + 1} {driver}: ingest {result['cold_s']:.1f} s ({result['added']} articles), "
                          f"1% reload {result['reload_s']:.2f} s ({result['updated']} files)", flush=True)
    finally:
        if server is not None:
            server.stop()
    summary = {driver: {"ingest_s": statistics.median(r["cold_s"] for r in runs),
                        "reload_1pct_s": statistics.median(r["reload_s"] for r in runs), "runs": runs}
               for driver, runs in results.items()}
    for driver, s in summary.items():
        print(f"{driver}: median ingest {s['ingest_s']:.1f} s, median 1% reload {s['reload_1pct_s']:.2f} s")
    out = ROOT / "bench" / "out" / "postgres_writes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"corpus": str(args.corpus), "runs": args.runs, "results": summary}, indent=1))


if __name__ == "__main__":
    main()
