"""Ingest worker processes never outlive the process that started them, even after SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.ingest import POOL_THRESHOLD

from .helpers import ROOT
from .test_crash_safety import _write_corpus

ARTICLES = 10 * POOL_THRESHOLD  # enough for the pool to start and still be busy when killed
ORPHAN_GRACE_SECONDS = 10

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
                                reason="needs Linux /proc and at least two cores for a worker pool")


def _children(pid: int) -> set[int]:
    """Pids whose parent is `pid`, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _stat(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name (state first); empty once the pid is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _started(pid: int) -> str:
    """The start time of `pid`, which tells a worker from a later process given the same pid."""
    fields = _stat(pid)
    return fields[19] if fields else ""


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z"  # a zombie has exited; it only waits to be reaped


def _kill_leftovers(started: dict[int, str]) -> None:
    """SIGKILL whatever of ours still runs, whatever failed; never a stranger that reused a pid."""
    for pid, start in started.items():
        if _started(pid) == start:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _wait_for_workers(process: subprocess.Popen) -> set[int]:
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        workers = _children(process.pid)
        if workers:
            time.sleep(0.2)  # the pool forks all its workers together; let the last one appear
            return _children(process.pid)
        time.sleep(0.01)
    return set()


def test_sigkill_of_an_ingest_leaves_no_worker_running(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus", ARTICLES, seed=1)
    command = [sys.executable, "-m", "bot", "ingest", "--corpus", str(corpus), "--db", str(tmp_path / "bot.sqlite3")]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    started = {process.pid: _started(process.pid)}
    try:
        workers = _wait_for_workers(process)
        started.update((pid, _started(pid)) for pid in workers)
        assert workers, "the ingest started a worker pool"
        assert process.poll() is None, "the ingest was still running when killed"

        os.kill(process.pid, signal.SIGKILL)  # the parent only: nobody shuts its pool down
        process.wait(timeout=30)

        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if _alive(pid)] == [], "every worker exited after its parent died"
    finally:
        _kill_leftovers(started)
        process.wait(timeout=30)


# A pool whose workers only have the polling thread (as on a system without prctl): the parent
# prints its worker's pid and then sleeps until killed.
POLL_ONLY_PARENT = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from bot import workers
workers._ask_kernel_for_sigterm_on_parent_death = lambda: None
pool = ProcessPoolExecutor(max_workers=1, initializer=workers.pool_initializer, initargs=(os.getpid(),))
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(600)
"""


def test_without_prctl_the_watch_thread_still_ends_an_orphaned_worker():
    process = subprocess.Popen([sys.executable, "-c", POLL_ONLY_PARENT], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True, start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    started = {process.pid: _started(process.pid)}
    try:
        worker = int(process.stdout.readline())
        started[worker] = _started(worker)
        assert _alive(worker), "the worker runs while its parent lives"

        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the worker exited after its parent died"
    finally:
        _kill_leftovers(started)
        process.wait(timeout=30)
        process.stdout.close()


# The answer workers (bot/answers/offloop.py): the parent runs one answer step, prints the worker
# that ran it, and lives on after the loop and its executor threads are gone.
ANSWER_PARENT = """
import asyncio, os, time
from bot.answers import off_loop
print(asyncio.run(off_loop(os.getpid)), flush=True)
time.sleep(600)
"""


def test_answer_workers_serve_while_the_bot_lives_and_exit_when_it_is_killed():
    process = subprocess.Popen([sys.executable, "-c", ANSWER_PARENT], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True, start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    started = {process.pid: _started(process.pid)}
    try:
        worker = int(process.stdout.readline())
        started[worker] = _started(worker)
        assert worker != process.pid, "the answer ran in a worker process"
        time.sleep(1.0)  # longer than the parent-pid watch's poll
        assert _alive(worker), "the worker outlives the thread that waited for it, while the bot lives"

        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the worker exited after the bot died"
    finally:
        _kill_leftovers(started)
        process.wait(timeout=30)
        process.stdout.close()


async def test_answer_workers_run_at_a_lower_priority_than_the_bot():
    from bot.answers import off_loop
    from bot.answers.offloop import ANSWER_WORKER_NICENESS

    assert await off_loop(os.nice, 0) == min(os.nice(0) + ANSWER_WORKER_NICENESS, 19)
