"""Corpus writes on PostgreSQL beside SQLite: a full ingest into an empty database, then a 1% reload.

    python bench/postgres_writes.py --corpus bench/out/corpus-10000 [--runs 3] [--dsn postgresql://…]

Without --dsn a throwaway server is started from the PostgreSQL binaries on the machine (as the
tests do: tests/postgres_server.py; it runs with fsync off, as SQLite's WAL with synchronous=NORMAL
syncs only at checkpoints). The corpus is copied first, because the 1% reload edits files. Each
run ingests into a fresh database, then edits 1% of the files (bench/generate.py touch_fraction)
and reloads. Medians are printed and written to bench/out/postgres_writes.json: wall time, and
the CPU time of the write side (this process, where SQLite works, plus the PostgreSQL server's
processes), which a loaded machine disturbs less than wall time. The worker processes that
prepare the articles do the same work for both drivers and are not counted.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
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
_TICKS = os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """CPU seconds of this process (the event loop, its threads, SQLite's work): not the worker processes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu(postmaster: int | None) -> float:
    """CPU seconds of the PostgreSQL server's processes (its backends do PostgreSQL's share of the writes)."""
    if postmaster is None:
        return 0.0
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster or stat.parent.name == str(postmaster):
            total += int(fields[11]) + int(fields[12])
    return total / _TICKS


async def ingest_and_reload(store, corpus: Path, run: int, postmaster: int | None = None) -> dict:
    loader = CorpusLoader(store, corpus)
    started, cpu, server = time.perf_counter(), own_cpu(), server_cpu(postmaster)
    report = await loader.reload()
    cold = time.perf_counter() - started
    cold_cpu = {"bot_cpu_s": own_cpu() - cpu, "server_cpu_s": server_cpu(postmaster) - server}
    originals: dict[Path, bytes] = {}
    touch_fraction(corpus, SHARE, seed=run, keep=originals)
    started, cpu, server = time.perf_counter(), own_cpu(), server_cpu(postmaster)
    changed = await loader.reload()
    reload = time.perf_counter() - started
    reload_cpu = {"bot_cpu_s": own_cpu() - cpu, "server_cpu_s": server_cpu(postmaster) - server}
    for path, data in originals.items():
        path.write_bytes(data)
    return {"cold_s": cold, "added": len(report.added), "reload_s": reload, "updated": len(changed.updated),
            "cold_cpu": cold_cpu, "reload_cpu": reload_cpu, "cold_timings": report.timings,
            "reload_timings": changed.timings, "load_average": os.getloadavg()}


async def run_sqlite(corpus: Path, folder: Path, run: int) -> dict:
    db = folder / f"bench-{run}.sqlite3"
    store = await open_store(db)
    try:
        return await ingest_and_reload(store, corpus, run)
    finally:
        await store.close()


async def run_postgres(corpus: Path, dsn: str, run: int, postmaster: int | None) -> dict:
    store = await PostgresCorpusWrites.open(dsn)
    try:
        async with store.transaction() as conn:  # a database given by --dsn: empty its corpus
            await conn.execute("TRUNCATE articles, people, events CASCADE")
        return await ingest_and_reload(store, corpus, run, postmaster)
    finally:
        await store.close()


def write_cpu(cpu: dict) -> float:
    return cpu["bot_cpu_s"] + cpu["server_cpu_s"]


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
                        postmaster = None
                        if server is not None:
                            postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
                        result = asyncio.run(run_postgres(corpus, dsn, run, postmaster))
                        if server is not None:
                            server.drop_database(dsn.rsplit("/", 1)[1])
                    results.setdefault(driver, []).append(result)
                    print(f"run {run + 1} {driver}: ingest {result['cold_s']:.1f} s ({result['added']} articles; "
                          f"CPU s: bot {result['cold_cpu']['bot_cpu_s']:.1f}, server "
                          f"{result['cold_cpu']['server_cpu_s']:.1f}), 1% reload {result['reload_s']:.2f} s "
                          f"({result['updated']} files; CPU s: bot {result['reload_cpu']['bot_cpu_s']:.2f}, "
                          f"server {result['reload_cpu']['server_cpu_s']:.2f}), load {os.getloadavg()[0]:.1f}",
                          flush=True)
    finally:
        if server is not None:
            server.stop()
    summary = {driver: {"ingest_s": statistics.median(r["cold_s"] for r in runs),
                        "ingest_write_cpu_s": statistics.median(write_cpu(r["cold_cpu"]) for r in runs),
                        "reload_1pct_s": statistics.median(r["reload_s"] for r in runs),
                        "reload_write_cpu_s": statistics.median(write_cpu(r["reload_cpu"]) for r in runs),
                        "runs": runs}
               for driver, runs in results.items()}
    for driver, s in summary.items():
        print(f"{driver}: median ingest {s['ingest_s']:.1f} s (bot + server CPU {s['ingest_write_cpu_s']:.1f} s), "
              f"median 1% reload {s['reload_1pct_s']:.2f} s (bot + server CPU {s['reload_write_cpu_s']:.2f} s)")
    out = ROOT / "bench" / "out" / "postgres_writes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"corpus": str(args.corpus), "runs": args.runs, "results": summary}, indent=1))


if __name__ == "__main__":
    main()
