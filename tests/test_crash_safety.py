"""Crash safety: a killed ingest leaves the previous corpus whole; a disk that refuses writes
gives the admin a clear error while reads keep working.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import answers
from bot.ingest import CorpusLoader
from bot.store import Store, StoreError, open_store

from .helpers import ROOT, copy_seeds
from .conftest import acknowledge_errors
from .hostile_support import consistency_problems, corpus_snapshot

NAMES = ("Marta Olsen", "Ivan Petrova", "Kenji Sato", "Anna Berg", "Tomas Lund", "Yuki Mori")
SECOND_SIZE = 1200  # about 3 s to ingest: time to kill it in the middle
TOPICS = ("harbour", "ferry", "treaty", "islands", "fishing", "border", "visa", "trade")


def _article(rng: random.Random, n: int) -> str:
    who = rng.choice(NAMES)
    topic = rng.choice(TOPICS)
    day = rng.randint(1, 28)
    paragraphs = [f"The {topic} talks resumed on {day} May {rng.randint(1950, 2020)}, officials said in report {n}."]
    for _ in range(rng.randint(4, 9)):
        paragraphs.append(f'"We are ready to discuss the {rng.choice(TOPICS)} again," said {who}, '
                          f"who leads delegation {rng.randint(1, 99)}. Talks on the {rng.choice(TOPICS)} "
                          f"are expected in {rng.choice(['June', 'July', 'spring', 'the autumn'])}.")
    return f"---\ntitle: Report {n} on the {topic}\npublished: 2021-0{n % 9 + 1}-1{n % 9}\n---\n" + \
        "\n\n".join(paragraphs) + "\n"


def _write_corpus(folder: Path, count: int, seed: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for n in range(start, start + count):
        (folder / f"report_{n:05d}.txt").write_text(_article(rng, n), encoding="utf-8")
    return folder


def _ingest_command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "bot", "ingest", "--corpus", str(corpus), "--db", str(db)]


def _run_ingest(corpus: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_ingest_command(corpus, db), cwd=ROOT, capture_output=True, text=True, timeout=300)


def _kill_during_ingest(corpus: Path, db: Path, wal_bytes: int, extra_delay: float) -> bool:
    """Start an ingest; once its WAL holds `wal_bytes` of uncommitted pages, wait `extra_delay` and SIGKILL it.

    Returns whether the process was still running when killed.
    """
    wal = Path(f"{db}-wal")
    process = subprocess.Popen(_ingest_command(corpus, db), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size >= wal_bytes:
                break
            time.sleep(0.005)
        time.sleep(extra_delay)
        alive = process.poll() is None
    finally:
        # The whole group: the ingest and its worker processes (a new session, so only ours).
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
    return alive


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A database holding a first corpus, and a second, larger corpus that replaces most of it."""
    root = tmp_path_factory.mktemp("crash")
    first = _write_corpus(root / "first", 40, seed=1)
    copy_seeds(first)
    db = root / "bot.sqlite3"
    done = _run_ingest(first, db)
    assert done.returncode == 0, done.stderr
    second = _write_corpus(root / "second", SECOND_SIZE, seed=2, start=20)  # 20 ids shared, all changed
    return root, db, first, second


def _copy_db(source: Path, dest: Path) -> Path:
    dest.write_bytes(source.read_bytes())
    return dest


@pytest.mark.parametrize("wal_bytes, extra_delay", [(1, 0.0), (256 * 1024, 0.0), (2 * 1024**2, 0.2)])
def test_a_killed_ingest_leaves_the_previous_corpus_whole(loaded, tmp_path, wal_bytes, extra_delay):
    _, original_db, _, second = loaded
    db = _copy_db(original_db, tmp_path / "bot.sqlite3")
    before = corpus_snapshot(db)

    killed_mid_write = _kill_during_ingest(second, db, wal_bytes, extra_delay)

    assert killed_mid_write, "the ingest was still writing when killed"
    assert consistency_problems(db) == []
    assert corpus_snapshot(db) == before, "nothing of the killed ingest is visible"


def test_after_a_kill_the_next_ingest_loads_everything(loaded, tmp_path):
    _, original_db, _, second = loaded
    db = _copy_db(original_db, tmp_path / "bot.sqlite3")
    assert _kill_during_ingest(second, db, 1, 0.5)
    done = _run_ingest(second, db)
    assert done.returncode == 0, done.stderr
    assert consistency_problems(db) == []
    assert len(corpus_snapshot(db)["hashes"]) == SECOND_SIZE


def _writing_time(corpus: Path, db: Path) -> float:
    """Seconds an uninterrupted ingest runs once it has started writing (its WAL exists)."""
    wal = Path(f"{db}-wal")
    process = subprocess.Popen(_ingest_command(corpus, db), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    while process.poll() is None and not (wal.exists() and wal.stat().st_size > 0):
        time.sleep(0.005)
    started = time.monotonic()
    process.wait(timeout=120)
    return time.monotonic() - started


def test_kill_at_random_moments(loaded, tmp_path):
    """Ingests killed at random moments, one after another, on the same database."""
    _, original_db, _, second = loaded
    # Random moments inside the writing, however fast this machine writes.
    window = _writing_time(second, _copy_db(original_db, tmp_path / "timing.sqlite3"))
    db = _copy_db(original_db, tmp_path / "bot.sqlite3")
    before = corpus_snapshot(db)
    rng = random.Random(6)
    killed = 0
    for _ in range(8):
        was_running = _kill_during_ingest(second, db, 1, rng.uniform(0.0, 0.6 * window))
        killed += was_running
        assert consistency_problems(db) == []
        snapshot = corpus_snapshot(db)
        if snapshot != before:  # it committed before the kill: the new corpus, complete; start again from the old one
            assert len(snapshot["hashes"]) == SECOND_SIZE
            db = _copy_db(original_db, db)
            for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
                leftover.unlink(missing_ok=True)
    print(f"{killed} ingests killed while running")
    assert killed >= 1


# ---------------------------------------------------------------- a disk that refuses writes


@pytest.fixture
async def seeded(tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    store = await open_store(tmp_path / "bot.sqlite3")
    loader = CorpusLoader(store, corpus, workers=1)
    await loader.reload()
    _write_corpus(corpus, 30, seed=3)  # changes waiting for the next reload
    yield store, loader, tmp_path / "bot.sqlite3"
    await store.close()


async def _reads_work(store: Store) -> None:
    assert (await answers.search(store, "Kuril")).hits
    assert (await answers.experts(store)).experts
    assert await store.integrity_ok()


async def _fill_the_disk(store: Store) -> None:
    """SQLite's own "database or disk is full": the file may not grow by a single page."""
    async with store._writer.execute("PRAGMA page_count") as cur:
        (pages,) = await cur.fetchone()
    async with store._writer.execute(f"PRAGMA max_page_count = {pages}") as cur:
        await cur.fetchone()


async def _make_read_only(store: Store) -> None:
    await store._writer.execute("PRAGMA query_only = ON")


@pytest.mark.parametrize("fault, words", [(_fill_the_disk, "full"), (_make_read_only, "read-only")])
async def test_a_refused_write_is_a_clear_admin_error_and_reads_go_on(seeded, fault, words):
    store, loader, db = seeded
    before = corpus_snapshot(db)
    await fault(store)

    with pytest.raises(StoreError) as refused:
        await loader.reload()

    message = str(refused.value).lower()
    assert words in message and "nothing was changed" in message
    assert "Traceback" not in message
    await _reads_work(store)
    assert corpus_snapshot(db) == before
    assert consistency_problems(db) == []


async def test_a_disk_error_mid_reload_is_a_clear_admin_error(seeded, monkeypatch):
    """The disk fails after part of the reload was written: all of it is rolled back."""
    store, loader, db = seeded
    before = corpus_snapshot(db)
    from bot.store import corpus_writes, open_store

    calls = {"n": 0}
    original = corpus_writes.CorpusBatch.insert

    async def failing_insert(self, items):
        calls["n"] += 1
        await original(self, items)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(corpus_writes.CorpusBatch, "insert", failing_insert)
    with pytest.raises(StoreError) as refused:
        await loader.reload()
    assert calls["n"] >= 1
    assert "disk" in str(refused.value) and "nothing was changed" in str(refused.value).lower()
    await _reads_work(store)
    assert corpus_snapshot(db) == before

    monkeypatch.undo()
    report = await loader.reload()  # the disk is back: the next reload just works
    assert len(report.added) == 30
    assert consistency_problems(db) == []


async def test_settings_writes_on_a_full_disk_are_store_errors(seeded):
    store, _, _ = seeded
    await _fill_the_disk(store)
    for _ in range(200):  # enough rows to need a new page
        try:
            await store.set_meta(f"key-{_}", "x" * 500)
        except StoreError as exc:
            assert "full" in str(exc)
            break
    else:
        pytest.fail("a full disk went unnoticed")
    await _reads_work(store)


def test_cli_reports_an_unwritable_database_folder(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the database folder should be")
    corpus = copy_seeds(tmp_path / "corpus")
    done = _run_ingest(corpus, blocker / "bot.sqlite3")
    assert done.returncode == 1
    assert done.stderr.startswith("error:") and "Traceback" not in done.stderr


def test_cli_reports_a_full_disk_without_a_traceback(tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    db = tmp_path / "bot.sqlite3"
    assert _run_ingest(corpus, db).returncode == 0
    _write_corpus(corpus, 30, seed=4)
    conn = sqlite3.connect(db)
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.close()
    # The same CLI in a process whose SQLite connections may not grow the file.
    script = (
        "import sqlite3, sys\n"
        "from bot import cli\n"
        "original = sqlite3.connect\n"
        "def connect(*args, **kwargs):\n"
        "    conn = original(*args, **kwargs)\n"
        f"    conn.execute('PRAGMA max_page_count = {pages}')\n"
        "    return conn\n"
        "sqlite3.connect = connect\n"
        f"sys.exit(cli.main(['ingest', '--corpus', {str(corpus)!r}, '--db', {str(db)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error:") and "full" in done.stderr and "Traceback" not in done.stderr
    assert consistency_problems(db) == []


async def test_admin_reload_on_a_full_disk_tells_the_admin_and_search_goes_on(world, corpus_dir):
    await world.bot.ingest_task
    _write_corpus(corpus_dir, 30, seed=5)
    await _fill_the_disk(world.bot.store)
    result = await world.admin.slash(world.channel, "admin reload", what="corpus")
    reply = (result.followups[-1] if result.followups else result.response).content
    assert result.ephemeral and "full" in reply and "Nothing was changed" in reply
    search = await world.member.slash(world.channel, "search", query="Kuril")
    assert search.response.embeds and "Kuril" in search.response.embeds[0].description
    acknowledge_errors(world.env)
