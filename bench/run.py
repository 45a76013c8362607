"""Benchmarks: ingest, answers, memory, event-loop stalls and start-up, from 1,000 to 100,000 articles.

    python bench/run.py --articles 1000,10000,100000 [--runs 3] [--queries 200] [--source seeds]
    python bench/run.py --articles 10000 --driver postgresql [--dsn postgresql://…] --phases cold,incremental,queries

Per size it generates (or reuses) a corpus with bench/generate.py, then runs
each measurement in a fresh Python process, so one phase's memory or caches
do not flatter the next:

  cold         fresh database, full ingest: articles/s, MB/s, peak RSS
  incremental  1% of the files edited, reload; and a reload with nothing changed
  queries      p50/p99 of every answer over a mixed, skewed query load
  stall        a full reload (every article re-prepared) while queries run;
               a heartbeat task measures how late the event loop wakes it
  startup      a fresh process to "ready" under simcord, the database already full
  storm        --commands slash commands at once through discord.py with a lean transport
               (bench/storm.py): the bot's event-loop time per command, latency, loop stalls

Medians over --runs. Results go to bench/out/results.json (merged per size);
bench/report.py turns them into the table and the plot.

--driver postgresql runs the cold, incremental and queries phases on PostgresStore
instead (the others need a SQLite file): in the database --dsn names, whose corpus
tables the cold phase empties, or else in a throwaway server started for the run
(tests/postgres_server.py, fsync off as SQLite's WAL syncs only at checkpoints),
one database per size. Its results go under "sizes_postgresql".
"""
from __future__ import annotations

import time

PROCESS_T0 = time.perf_counter()  # before any heavy import: start-up is measured from here

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
RESULTS = OUT / "results.json"
OFFSHELF_VENV = Path("/work/notes/offshelf-venv")
OFFSHELF_SCRIPT = ROOT.parent / "shared" / "eval" / "offshelf_export.py"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

INCREMENTAL_SHARE = 0.01
HEARTBEAT_S = 0.005
LOAD_PAUSE_S = 0.01  # between queries of the background load: a busy guild, not a flood
KIND_BUDGET_S = 60.0  # an answer that slow gets fewer samples (its n is reported)
QUERY_PHASE_LIMIT_S = 600.0  # then the phase is killed; the answer it was in is reported unfinished


# ====================================================================== helpers
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def remove_db(db: Path) -> None:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()


async def open_bench_store(db: Path, dsn: str | None):
    """The store a phase measures: the PostgreSQL database `dsn` when given, else the SQLite file `db`."""
    if dsn:
        from bot.store.postgres import PostgresStore

        return await PostgresStore.open(dsn)
    from bot.store import open_store

    return await open_store(db)


async def emptied_store(db: Path, dsn: str | None):
    """A store with no corpus in it, for a cold ingest."""
    if not dsn:
        remove_db(db)
        return await open_bench_store(db, dsn)
    store = await open_bench_store(db, dsn)
    async with store.transaction() as conn:
        await conn.execute("TRUNCATE articles, people, events CASCADE")
    return store


async def stored_bytes(store, db: Path, dsn: str | None) -> int:
    if dsn:
        return (await store.fetch_one("SELECT pg_database_size(current_database())"))[0]
    return db_bytes(db)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "os": f"{platform.system()} {platform.release()}"}


# ====================================================================== query mix
class QueryMix:
    """What users ask, drawn from what the corpus holds, skewed as real use is.

    Experts are picked half by how often they are quoted (people ask about the
    prominent ones) and half uniformly; autocomplete is every keystroke of a
    name or title prefix; topics and searches are words of real titles.
    """

    def __init__(self, people: list[tuple[str, int]], titles: list[tuple[str, str]], years: list[int],
                 seed: int = 7):
        self.rng = random.Random(seed)
        self.people = people or [("Nobody", 1)]
        self.weights = [max(1, n) for _, n in self.people]
        self.titles = titles or [("none", "none")]
        self.years = years or [2020]
        words = [w.strip(".,:;?!'\"").lower() for _, t in self.titles for w in t.split()]
        counts: dict[str, int] = {}
        for w in words:
            if len(w) >= 5 and w.isalpha():
                counts[w] = counts.get(w, 0) + 1
        self.words = [w for w, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:200]] or ["treaty"]

    @classmethod
    async def from_store(cls, store) -> "QueryMix":
        # Statements without parameters and in a set order: the same on SQLite and PostgreSQL,
        # so both drivers are asked the same questions.
        people = sorted(((r["name"], r["quote_count"]) for r in await store.fetch_all(
            "SELECT name, quote_count FROM people WHERE quote_count > 0")), key=lambda p: (-p[1], p[0]))[:2000]
        every = [(r["id"], r["title"]) for r in await store.fetch_all(
            "SELECT id, title FROM articles WHERE title IS NOT NULL ORDER BY id")]
        titles = every[::max(1, len(every) // 2000)][:2000]
        years = [r[0] for r in await store.fetch_all(
            "SELECT DISTINCT year FROM dates WHERE year IS NOT NULL ORDER BY year")]
        return cls(people, titles, years)

    def expert(self) -> str:
        if self.rng.random() < 0.5:
            name = self.rng.choices(self.people, weights=self.weights)[0][0]
        else:
            name = self.rng.choice(self.people)[0]
        return name.split()[-1] if self.rng.random() < 0.5 else name

    def prefix(self, text: str) -> str:
        return text[: self.rng.randint(1, min(len(text), 12))]

    def topic(self) -> str:
        if self.rng.random() < 0.3:
            return " ".join(self.rng.sample(self.words[:40], 2))
        return self.rng.choice(self.words)

    def search_query(self) -> str:
        a, b = self.rng.sample(self.words, 2)
        return self.rng.choice([a, f"{a} {b}", f'"{a} {b}"', f"{a} OR {b}", f"{a[:4]}*", f"{a} NOT {b}"])

    def calls(self, store):
        """(kind, coroutine factory) pairs for every kind of answer."""
        import datetime as dt

        from bot import answers

        day = dt.date(2024, 6, 1) + dt.timedelta(days=self.rng.randrange(365))
        article_id, title = self.rng.choice(self.titles)
        year = self.rng.choice(self.years)
        return {
            "summary: article": lambda: answers.summary(store, article=self.rng.choice([article_id, title])),
            "summary: topic": lambda: answers.summary(store, topic=self.topic()),
            "summary: corpus": lambda: answers.summary(store),
            "quotes by expert": lambda: answers.quotes_by(store, self.expert()),
            "autocomplete: experts": lambda: answers.expert_choices(store, self.prefix(self.expert())),
            "autocomplete: titles": lambda: answers.article_choices(
                store, self.prefix(self.rng.choice(self.titles)[1])),
            "timeline": lambda: self.rng.choice([
                lambda: answers.timeline(store, year=year),
                lambda: answers.timeline(store, start=year - 5, end=year),
                lambda: answers.timeline(store, topic=self.topic())])(),
            "search": lambda: answers.search(store, self.search_query()),
            "digest": lambda: answers.digest(store, day, since=f"{day.isoformat()}T00:00:00+00:00",
                                             guild_id=1),
        }


async def timed(factory) -> float:
    from bot.answers import UserError

    started = time.perf_counter()
    try:
        await factory()
    except UserError:
        pass  # "not found" and "ambiguous" are answers too
    return time.perf_counter() - started


# ====================================================================== phases (each in its own process)
async def phase_cold(corpus: Path, db: Path, dsn: str | None) -> dict:
    from bot.ingest import CorpusLoader

    store = await emptied_store(db, dsn)
    try:
        loader = CorpusLoader(store, corpus)
        started = time.perf_counter()
        report = await loader.reload()
        seconds = time.perf_counter() - started
        size = await stored_bytes(store, db, dsn)
    finally:
        await store.close()
    return {"seconds": seconds, "added": len(report.added), "failed": len(report.failed),
            "timings": getattr(report, "timings", {}), "db_bytes": size,
            "main_cpu_s": cpu_seconds(), "workers_cpu_s": cpu_seconds(resource.RUSAGE_CHILDREN),
            "peak_rss_mb": peak_rss_mb(), "workers_peak_rss_mb": children_peak_rss_mb()}


async def phase_incremental(corpus: Path, db: Path, runs: int, dsn: str | None) -> dict:
    from bot.ingest import CorpusLoader
    from generate import touch_fraction

    store = await open_bench_store(db, dsn)
    out = {"changed": [], "unchanged": [], "changed_files": 0, "timings": []}
    try:
        loader = CorpusLoader(store, corpus)
        await loader.reload()  # in step with the folder before anything is timed
        for run in range(runs):
            started = time.perf_counter()
            await loader.reload()
            out["unchanged"].append(time.perf_counter() - started)
            originals: dict[Path, bytes] = {}
            touch_fraction(corpus, INCREMENTAL_SHARE, seed=run, keep=originals)
            started = time.perf_counter()
            report = await loader.reload()
            out["changed"].append(time.perf_counter() - started)
            out["changed_files"] = len(report.updated)
            out["timings"].append(report.timings)
            for path, data in originals.items():
                path.write_bytes(data)
            await loader.reload()  # back to the generated corpus (untimed)
    finally:
        await store.close()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


async def run_mix(store, queries: int, seed: int = 7) -> dict[str, list[float]]:
    """`queries` of each kind, interleaved; a kind that has used up KIND_BUDGET_S stops early.

    Each answer's kind is printed before it starts and its time after it ends, so
    when a phase is killed for taking too long, the parent still has every time
    measured and knows which answer never finished.
    """
    mix = await QueryMix.from_store(store)
    mix.rng.seed(seed)
    latencies: dict[str, list[float]] = {}
    for kind, factory in mix.calls(store).items():  # warm-up: one of each
        await timed(factory)
    from bot.discord_app import tame_garbage_collector

    tame_garbage_collector()  # as the bot does once it has started
    for _ in range(queries):
        for kind, factory in mix.calls(store).items():
            spent = latencies.setdefault(kind, [])
            if sum(spent) < KIND_BUDGET_S:
                print("START " + json.dumps(kind), flush=True)
                spent.append(await timed(factory))
                print("DONE " + json.dumps([kind, spent[-1]]), flush=True)
    return latencies


def latency_summary(latencies: dict[str, list[float]]) -> dict:
    return {k: {"p50": percentile(v, 50) * 1000, "p99": percentile(v, 99) * 1000,
                "max": max(v, default=float("nan")) * 1000, "n": len(v)} for k, v in latencies.items()}


async def phase_queries(db: Path, queries: int, dsn: str | None) -> dict:
    store = await open_bench_store(db, dsn)
    try:
        latencies = await run_mix(store, queries)
    finally:
        await store.close()
    return {"latency_ms": latency_summary(latencies), "peak_rss_mb": peak_rss_mb()}


def queries_from_partial_output(stdout: str, limit_s: float) -> dict:
    """What a killed query phase had measured; the answer it was stuck in counts as > limit_s."""
    latencies: dict[str, list[float]] = {}
    running = None
    for line in stdout.splitlines():
        if line.startswith("START "):
            running = json.loads(line[6:])
        elif line.startswith("DONE "):
            kind, seconds = json.loads(line[5:])
            latencies.setdefault(kind, []).append(seconds)
            running = None
    summary = latency_summary(latencies)
    if running is not None:
        summary.setdefault(running, latency_summary({running: []})[running])
        summary[running]["unfinished_s"] = limit_s
    return {"latency_ms": summary, "peak_rss_mb": float("nan"), "killed_after_s": limit_s, "stuck_in": running}


async def phase_stall(corpus: Path, db: Path, skip: set[str]) -> dict:
    """A full reload (every article re-prepared and rewritten) while queries keep coming.

    A heartbeat task sleeps 5 ms at a time and records how late it wakes. The answers
    run on the same event loop as the heartbeat, as they do in the bot, so the longest
    stall counts their own CPU time on the loop as well as the reload's; the stall of
    beats during which no answer was being computed is reported apart (the reload's share).
    `skip`: kinds of answer left out of the load.
    """
    from bot.ingest import CorpusLoader
    from bot.store import open_store

    with sqlite3.connect(db) as conn:  # make every stored article look changed
        columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
        forget = ", file_size = NULL, file_mtime_ns = NULL" if "file_size" in columns else ""
        conn.execute(f"UPDATE articles SET content_hash = 'stale'{forget}")
    store = await open_store(db)
    beats: list[tuple[float, float, float]] = []  # (start, end, lateness)
    answers: list[tuple[float, float, str]] = []  # (start, end, kind) of each answer
    done = asyncio.Event()

    async def heartbeat() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(HEARTBEAT_S)
            ended = time.perf_counter()
            beats.append((started, ended, ended - started - HEARTBEAT_S))

    async def query_load(mix: QueryMix) -> None:
        while not done.is_set():
            for kind, factory in mix.calls(store).items():
                if kind in skip:
                    continue
                started = time.perf_counter()
                await timed(factory)
                answers.append((started, time.perf_counter(), kind))
                await asyncio.sleep(LOAD_PAUSE_S)
                if done.is_set():
                    return

    try:
        mix = await QueryMix.from_store(store)
        loader = CorpusLoader(store, corpus)
        from bot.discord_app import tame_garbage_collector

        tame_garbage_collector()  # as the bot does once it has started
        beat = asyncio.create_task(heartbeat())
        load = asyncio.create_task(query_load(mix))
        await asyncio.sleep(0.5)  # the load is running before the reload starts
        started = time.perf_counter()
        report = await loader.reload()
        ended = time.perf_counter()
        done.set()
        await asyncio.gather(beat, load)
    finally:
        await store.close()
    during = [b for b in beats if b[1] >= started and b[0] <= ended]
    alone = [b[2] for b in during if not _overlapping(b, answers)]
    worst = max(during, key=lambda b: b[2], default=None)
    answer_ms = [(e - s) * 1000 for s, e, _ in answers if e >= started and s <= ended]
    return {"seconds": ended - started, "updated": len(report.updated), "skipped_answers": sorted(skip),
            "max_stall_ms": max((b[2] for b in during), default=0.0) * 1000,
            "max_stall_reload_only_ms": max(alone, default=0.0) * 1000,
            "worst_stall_during": sorted(set(_overlapping(worst, answers))) if worst else [],
            "p99_stall_ms": percentile([b[2] for b in during], 99) * 1000, "beats": len(during),
            "queries_during_reload": len(answer_ms),
            "query_p99_during_reload_ms": percentile(answer_ms, 99),
            "timings": report.timings,
            "peak_rss_mb": peak_rss_mb(), "workers_peak_rss_mb": children_peak_rss_mb()}


def _overlapping(beat: tuple[float, float, float], answers: list[tuple[float, float, str]]) -> list[str]:
    """The kinds of answer being computed during `beat` (answers sorted by start)."""
    import bisect

    i = bisect.bisect_left(answers, (beat[1], float("inf")))
    return [kind for s, e, kind in answers[max(0, i - 2):i + 1] if s <= beat[1] and e >= beat[0]]


async def phase_startup(corpus: Path, db: Path) -> dict:
    """A fresh process to "ready" under simcord with the corpus already stored."""
    import dataclasses

    try:
        import simcord

        from bot.config import Config
        from bot.discord_app import create_bot
    except ImportError as exc:
        return await _startup_without_discord(corpus, db, str(exc))
    # One process with one shard, as a bot that is not sharded runs (simcord needs the count given).
    config = dataclasses.replace(Config(), database=db, corpus=corpus, shard_count=1)
    bot = create_bot(config)
    readied: list[float] = []

    async def on_ready() -> None:  # when Discord's READY is dispatched: commands are answered from then on
        readied.append(time.perf_counter() - PROCESS_T0)

    bot.add_listener(on_ready, "on_ready")
    async with simcord.run(bot):  # returns once simcord has settled, the start-up rescan included
        await bot.wait_until_ready()
        settled = time.perf_counter() - PROCESS_T0
        ready = readied[0] if readied else settled
        if bot.ingest_task is not None:
            await bot.ingest_task  # the start-up reload: nothing changed, but every file is checked
        initial_reload = time.perf_counter() - PROCESS_T0 - ready  # from ready to the rescan's end
        await bot.close()
    return {"ready_s": ready, "how": "simcord, bot.discord_app.create_bot", "initial_reload_s": initial_reload,
            "peak_rss_mb": peak_rss_mb()}


async def _startup_without_discord(corpus: Path, db: Path, why: str) -> dict:
    from bot.ingest import CorpusLoader
    from bot.store import open_store

    store = await open_store(db)
    CorpusLoader(store, corpus)
    ready = time.perf_counter() - PROCESS_T0
    await store.close()
    return {"ready_s": ready, "how": f"store open + loader only ({why})", "peak_rss_mb": peak_rss_mb()}


def phase_extraction(corpus: Path, limit: int) -> dict:
    """One core, no database: reading + cleaning, then each extraction step, per article."""
    from bot.corpus.article import parse_article_bytes
    from bot.nlp import Doc
    from bot.nlp.dates import extract_dates
    from bot.nlp.quotes import extract_quotes
    from bot.nlp.summarize import summarize_article

    paths = sorted(corpus.glob("*.txt"))[:limit]
    started = time.perf_counter()
    docs = []
    for path in paths:
        a = parse_article_bytes(path.stem, path.read_bytes())
        docs.append(Doc(paragraphs=a.paragraphs, title=a.title, anchor=a.anchor))
    cost = {"read + clean": time.perf_counter() - started}
    steps = (("quotes + people", extract_quotes), ("dates", extract_dates),
             ("summary", lambda d: summarize_article(d, 3)))
    for name, step in steps:
        started = time.perf_counter()
        for doc in docs:
            step(doc)
        cost[name] = time.perf_counter() - started
    total = sum(cost.values())
    return {"articles": len(docs), "ms_per_article": {k: v / len(docs) * 1000 for k, v in cost.items()},
            "articles_per_s_one_core": len(docs) / total}


PHASES = {"cold", "incremental", "queries", "stall", "startup", "storm", "extraction"}


def run_phase(args: argparse.Namespace) -> None:
    corpus, db = Path(args.corpus), Path(args.db)
    if args.phase == "cold":
        result = asyncio.run(phase_cold(corpus, db, args.dsn))
    elif args.phase == "incremental":
        result = asyncio.run(phase_incremental(corpus, db, args.runs, args.dsn))
    elif args.phase == "queries":
        result = asyncio.run(phase_queries(db, args.queries, args.dsn))
    elif args.phase == "stall":
        result = asyncio.run(phase_stall(corpus, db, _kinds(args.skip)))
    elif args.phase == "storm":
        from storm import storm

        result = asyncio.run(storm(corpus, db, args.commands, _kinds(args.skip)))
    elif args.phase == "startup":
        result = asyncio.run(phase_startup(corpus, db))
    else:
        result = phase_extraction(corpus, args.limit)
    print("RESULT " + json.dumps(result))


def _kinds(text: str) -> set[str]:
    return {k.strip() for k in text.split(",") if k.strip()}


# ====================================================================== orchestration
def spawn(phase: str, corpus: Path, db: Path, timeout: float | None = None, **extra) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--corpus", str(corpus), "--db", str(db)]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    load_before = os.getloadavg()[0]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        if phase != "queries":
            raise
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        log(f"phase {phase} killed after {timeout:.0f} s")
        return queries_from_partial_output(out, timeout)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
            # The machine is shared: how busy it was says how far to trust the figure.
            result["load_average"] = [load_before, os.getloadavg()[0]]
            return result
    raise RuntimeError(f"phase {phase} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ensure_corpus(size: int, source: Path, seed: int) -> Path:
    from generate import GENERATOR_VERSION, generate

    folder = OUT / f"corpus-{size}"
    stamp = folder / ".generated"
    wanted = f"{size} {source.resolve()} {seed} v{GENERATOR_VERSION}"
    if stamp.exists() and stamp.read_text() == wanted:
        return folder
    log(f"generating {size:,} articles from {source} ...")
    generate(size, folder, source, seed)
    stamp.write_text(wanted)
    return folder


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def measure_size(size: int, corpus: Path, runs: int, cold_runs: int, query_runs: int, queries: int,
                 phases: set[str], skip: str = "", storm_commands: int = 1000, dsn: str | None = None) -> dict:
    """One size's figures; on the PostgreSQL database `dsn` when given (cold, incremental, queries only)."""
    db = OUT / f"db-{size}" / "bot.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    where = {"dsn": dsn} if dsn else {}
    result: dict = {"articles": size, "corpus_mb": corpus_bytes(corpus) / 1e6}
    if "cold" in phases or (not dsn and not db.exists()):
        colds = []
        for run in range(cold_runs):
            colds.append(spawn("cold", corpus, db, **where))
            log(f"{size:,}: cold ingest {colds[-1]['seconds']:.1f} s")
        seconds = median([c["seconds"] for c in colds])
        result["cold"] = {"seconds": seconds, "runs": [c["seconds"] for c in colds],
                          "articles_per_s": size / seconds, "mb_per_s": result["corpus_mb"] / seconds,
                          "peak_rss_mb": max(c["peak_rss_mb"] for c in colds),
                          "workers_peak_rss_mb": max(c["workers_peak_rss_mb"] for c in colds),
                          "timings": colds[-1]["timings"], "failed": colds[-1]["failed"],
                          "main_cpu_s": colds[-1].get("main_cpu_s"), "workers_cpu_s": colds[-1].get("workers_cpu_s"),
                          "load_average": [c.get("load_average") for c in colds]}
        result["db_mb"] = colds[-1]["db_bytes"] / 1e6
    if not dsn:
        result["db_mb"] = db_bytes(db) / 1e6
    if "incremental" in phases:
        inc = spawn("incremental", corpus, db, runs=runs, **where)
        result["incremental"] = {"seconds": median(inc["changed"]), "runs": inc["changed"],
                                 "changed_files": inc["changed_files"],
                                 "unchanged_seconds": median(inc["unchanged"]), "timings": inc["timings"][-1],
                                 "peak_rss_mb": inc["peak_rss_mb"], "load_average": inc["load_average"]}
        log(f"{size:,}: incremental 1% {result['incremental']['seconds']:.2f} s, "
            f"nothing changed {result['incremental']['unchanged_seconds']:.2f} s")
    if "queries" in phases:
        per_run = [spawn("queries", corpus, db, timeout=QUERY_PHASE_LIMIT_S, queries=queries, **where)
                   for _ in range(query_runs)]
        result["query_load_average"] = [r.get("load_average") for r in per_run]
        kinds = per_run[0]["latency_ms"].keys()
        result["latency_ms"] = {k: {stat: median([r["latency_ms"].get(k, {}).get(stat, float("nan"))
                                                  for r in per_run])
                                    for stat in ("p50", "p99", "max", "n")} for k in kinds}
        for r in per_run:
            if r.get("stuck_in"):
                result["latency_ms"][r["stuck_in"]]["unfinished_s"] = r["killed_after_s"]
        result["query_peak_rss_mb"] = max((r["peak_rss_mb"] for r in per_run if r["peak_rss_mb"] == r["peak_rss_mb"]),
                                          default=float("nan"))
        worst = max(result["latency_ms"].items(), key=lambda kv: kv[1]["p99"])
        log(f"{size:,}: queries done; worst p99 {worst[0]} {worst[1]['p99']:.1f} ms")
    if "stall" in phases:
        stall = spawn("stall", corpus, db, skip=skip)
        result["stall"] = stall
        log(f"{size:,}: full reload under load {stall['seconds']:.1f} s, longest stall {stall['max_stall_ms']:.0f} ms "
            f"(during {', '.join(stall['worst_stall_during']) or 'no answer'}; "
            f"{stall['max_stall_reload_only_ms']:.0f} ms with no answer running)")
    if "startup" in phases:
        starts = [spawn("startup", corpus, db) for _ in range(runs)]
        result["startup"] = {"ready_s": median([s["ready_s"] for s in starts]), "how": starts[0]["how"],
                             "initial_reload_s": median([s.get("initial_reload_s", float("nan")) for s in starts]),
                             "peak_rss_mb": max(s["peak_rss_mb"] for s in starts)}
        log(f"{size:,}: ready in {result['startup']['ready_s']:.2f} s")
    if "storm" in phases:
        storms = [spawn("storm", corpus, db, commands=storm_commands, skip=skip) for _ in range(runs)]
        result["storm"] = {key: {stat: median([s[key][stat] for s in storms]) for stat in storms[0][key]}
                           for key in ("loop_ms_per_command", "first_response_ms", "answer_ms")}
        result["storm"].update(commands=storm_commands, answered=min(s["answered"] for s in storms),
                               max_stall_ms=median([s["max_stall_ms"] for s in storms]),
                               max_pass_cpu_ms=median([s["max_pass_cpu_ms"] for s in storms]),
                               max_stall_waiting_for_a_core_ms=median(
                                   [s["max_stall_waiting_for_a_core_ms"] for s in storms]),
                               skipped_commands=storms[0]["skipped_commands"], runs=storms)
        log(f"{size:,}: storm of {storm_commands:,} commands: loop time per command p99 "
            f"{result['storm']['loop_ms_per_command']['p99']:.1f} ms, longest stall "
            f"{result['storm']['max_stall_ms']:.0f} ms (its own CPU {result['storm']['max_pass_cpu_ms']:.0f} ms), "
            f"answer p99 {result['storm']['answer_ms']['p99']:.0f} ms")
    result["peak_rss_mb"] = overall_peak(result)
    return result


def overall_peak(size: dict) -> float:
    """The bot process's peak RSS over every phase of one size measured (a storm alone measures none)."""
    peaks = [size.get(phase, {}).get("peak_rss_mb") for phase in ("cold", "incremental", "stall", "startup")]
    peaks = [v for v in peaks + [size.get("query_peak_rss_mb")] if v and v == v]
    return max(peaks, default=float("nan"))


def offshelf(corpus: Path, limit: int) -> dict:
    python = OFFSHELF_VENV / "bin" / "python"
    if not python.exists() or not OFFSHELF_SCRIPT.exists():
        return {"measured": False, "why": f"{python} or {OFFSHELF_SCRIPT} not found"}
    subset = OUT / f"offshelf-{limit}"
    if subset.exists():
        shutil.rmtree(subset)
    subset.mkdir(parents=True)
    for path in sorted(corpus.glob("*.txt"))[:limit]:
        shutil.copy(path, subset / path.name)
    started = time.perf_counter()
    proc = subprocess.run([str(python), str(OFFSHELF_SCRIPT), str(subset)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return {"measured": False, "why": proc.stderr[-2000:]}
    return {"measured": True, "articles": limit, "seconds": seconds, "articles_per_s": limit / seconds,
            "note": "one process, one core; includes loading spaCy (a few seconds)"}


def load_results() -> dict:
    if RESULTS.exists():
        return json.loads(RESULTS.read_text())
    return {"sizes": {}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, help="cold ingests per size (default: --runs)")
    parser.add_argument("--query-runs", type=int, help="query-mix processes per size (default: --runs)")
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind per run")
    parser.add_argument("--source", type=Path, default=ROOT / "seeds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", default="cold,incremental,queries,stall,startup")
    parser.add_argument("--offshelf", type=int, default=1000, help="articles for the off-the-shelf run; 0: skip")
    parser.add_argument("--skip", default="", help="answer kinds (stall) and commands (storm) to leave out, comma-separated")
    parser.add_argument("--commands", type=int, default=1000, help="slash commands in the storm")
    parser.add_argument("--driver", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--dsn", help="with --driver postgresql: a database whose corpus the cold phase empties "
                                      "(default: a throwaway server, one database per size)")
    # internal: one phase in this process
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--corpus")
    parser.add_argument("--db")
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.phase:
        run_phase(args)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    results = load_results()
    results.setdefault("machine", {}).update(machine())
    phases = set(args.phases.split(","))
    sizes = [int(s) for s in args.articles.split(",")]
    if args.driver == "postgresql":
        if phases - POSTGRES_PHASES:
            parser.error(f"--driver postgresql runs only the phases {', '.join(sorted(POSTGRES_PHASES))}")
        measure_on_postgres(args, results, phases, sizes)
        return
    log(f"machine: {results['machine']}")
    for size in sizes:
        corpus = ensure_corpus(size, args.source, args.seed)
        measured = measure_size(size, corpus, args.runs, args.cold_runs or args.runs, args.query_runs or args.runs,
                                args.queries, phases, args.skip, args.commands)
        merged = results["sizes"].setdefault(str(size), {})
        merged.update(measured)
        merged["peak_rss_mb"] = overall_peak(merged)  # over the phases of earlier runs too
        RESULTS.write_text(json.dumps(results, indent=1))
        print_size(measured)
    small = ensure_corpus(min(sizes), args.source, args.seed) if min(sizes) >= args.offshelf > 0 else None
    if small is not None:
        results["extraction"] = spawn("extraction", small, OUT / "unused.sqlite3", limit=args.offshelf)
        log(f"extraction only, one core: {results['extraction']['articles_per_s_one_core']:.0f} articles/s "
            f"{results['extraction']['ms_per_article']}")
        results["offshelf"] = offshelf(small, args.offshelf)
        print_offshelf(results)
        RESULTS.write_text(json.dumps(results, indent=1))


POSTGRES_PHASES = {"cold", "incremental", "queries"}


def measure_on_postgres(args: argparse.Namespace, results: dict, phases: set[str], sizes: list[int]) -> None:
    """Each size on PostgreSQL: in --dsn, or in a database of its own on a throwaway server."""
    server = None
    if args.dsn is None:
        from tests.postgres_server import PostgresServer, find_binaries

        server = PostgresServer(find_binaries())
        server.start()
        results["machine"]["postgresql"] = subprocess.run([str(server.binaries / "postgres"), "--version"],
                                                          capture_output=True, text=True).stdout.strip()
    log(f"machine: {results['machine']}")
    try:
        for size in sizes:
            corpus = ensure_corpus(size, args.source, args.seed)
            dsn = args.dsn
            if server is not None:
                server.drop_database(f"bench_{size}")
                dsn = server.create_database(f"bench_{size}")
            measured = measure_size(size, corpus, args.runs, args.cold_runs or args.runs,
                                    args.query_runs or args.runs, args.queries, phases, dsn=dsn)
            measured["driver"] = "postgresql"
            results.setdefault("sizes_postgresql", {}).setdefault(str(size), {}).update(measured)
            RESULTS.write_text(json.dumps(results, indent=1))
            print_size(measured)
    finally:
        if server is not None:
            server.stop()


def print_size(r: dict) -> None:
    print(f"\n== {r['articles']:,} articles ({r['corpus_mb']:.0f} MB of text), {r.get('driver', 'sqlite')} "
          f"database {r.get('db_mb', float('nan')):.0f} MB")
    if "cold" in r:
        c = r["cold"]
        print(f"cold ingest      {c['seconds']:8.1f} s  {c['articles_per_s']:7.0f} articles/s  {c['mb_per_s']:5.2f} MB/s")
    if "incremental" in r:
        i = r["incremental"]
        print(f"incremental 1%   {i['seconds']:8.2f} s  ({i['changed_files']} files); nothing changed "
              f"{i['unchanged_seconds']:.2f} s")
    for kind, lat in r.get("latency_ms", {}).items():
        stuck = f"; one call still running after {lat['unfinished_s']:.0f} s" if "unfinished_s" in lat else ""
        print(f"{kind:24} p50 {lat['p50']:7.2f} ms  p99 {lat['p99']:7.2f} ms  (n={lat['n']:.0f}{stuck})")
    if "stall" in r:
        s = r["stall"]
        print(f"full reload under load {s['seconds']:.1f} s: longest event-loop stall {s['max_stall_ms']:.0f} ms "
              f"counting answers' own time ({s['max_stall_reload_only_ms']:.0f} ms with no answer running), "
              f"answer p99 meanwhile {s['query_p99_during_reload_ms']:.0f} ms")
    if "storm" in r:
        s = r["storm"]
        print(f"storm of {s['commands']:,} commands ({s['answered']:,} answered): event-loop time per command "
              f"p50 {s['loop_ms_per_command']['p50']:.2f} ms p99 {s['loop_ms_per_command']['p99']:.2f} ms; "
              f"longest stall {s['max_stall_ms']:.0f} ms (CPU of the longest pass "
              f"{s.get('max_pass_cpu_ms', float('nan')):.0f} ms); answer after p50 {s['answer_ms']['p50']:.0f} ms "
              f"p99 {s['answer_ms']['p99']:.0f} ms")
    if "startup" in r:
        print(f"start-up to ready {r['startup']['ready_s']:.2f} s ({r['startup']['how']})")
    print(f"peak RSS {r['peak_rss_mb']:.0f} MB")


def print_offshelf(results: dict) -> None:
    ours = results["extraction"]["articles_per_s_one_core"]
    off = results["offshelf"]
    small = min(results["sizes"].values(), key=lambda r: r["articles"])
    ingest = small.get("cold", {}).get("articles_per_s")
    if off.get("measured"):
        print(f"\noff-the-shelf (spaCy sm + textacy + dateparser): {off['articles_per_s']:.1f} articles/s (measured)")
        theirs = off["articles_per_s"]
    else:
        print(f"\noff-the-shelf not measured ({off['why'][:200]}); reference figure 5-10 articles/s "
              "(shared/eval/README.md), not a measurement")
        theirs = 7.5
    print(f"ours, extraction only, one core: {ours:.0f} articles/s -> {ours / theirs:.0f}x")
    if ingest:
        print(f"ours, full ingest with database, {os.cpu_count()} cores: {ingest:.0f} articles/s -> "
              f"{ingest / theirs:.0f}x")


if __name__ == "__main__":
    main()
