"""Running the CPU-heavy part of an answer where it cannot hold up the event loop.

The bot has one event loop: while it ranks sentences or builds pages for one user,
nobody else's command, button or gateway heartbeat is served. SQLite work already
runs in aiosqlite's threads (SQLite lets go of the interpreter lock while it works);
`off_loop` runs a pure function (summarising, building pages) in a worker process.

Not a thread: Python threads share one interpreter lock, and a thread busy in Python
keeps the loop's thread waiting for it. Measured on this 2-core machine, one such
thread delayed a 5 ms heartbeat by up to 63 ms, two threads by up to 183 ms; the
same work in worker processes leaves the loop free. The price is pickling the
arguments and the result, so callers hand over plain values (text, not rows) and
keep cheap work on the loop.

The workers exit with the bot, even when it is killed (`bot.workers.pool_initializer`).
They run at a lower priority than the bot (`ANSWER_WORKER_NICENESS`): on a busy machine the
OS then gives a core to the event loop before them. The long stalls of a storm of commands
on a shared machine are the loop's thread waiting for a core (bench/storm.py: 57 ms with
0.1 ms of CPU); the bot's own workers at least do not add to that wait.
"""
from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from ..workers import pool_initializer

T = TypeVar("T")

ANSWER_WORKERS = 2
ANSWER_WORKER_NICENESS = 10  # added to the bot's own: the loop's turns on a core come first
_pool: ProcessPoolExecutor | None = None


async def off_loop(function: Callable[..., T], /, *args) -> T:
    """`function(*args)` in an answer worker process: a module-level function, picklable arguments.

    Submitted from the loop's own thread: a worker is started by the thread that submits,
    and Linux ends it when that thread ends (`PR_SET_PDEATHSIG`), so no short-lived thread
    may start one. A thread of the loop's executor waits for the result, blocked without
    the interpreter lock; awaiting that thread is what the loop (and simcord's test
    harness, which follows executor work) sees.
    """
    global _pool
    pool = _answer_pool()
    try:
        future = pool.submit(function, *args)
        return await asyncio.get_running_loop().run_in_executor(None, future.result)
    except BrokenProcessPool:  # a worker died (killed, out of memory): the next answer starts afresh
        if _pool is pool:
            _pool = None
        raise


def start_answer_workers() -> None:
    """Start the workers now, from the loop's thread (the bot does at start-up).

    Starting them (forking, the pool's threads) holds the loop up for 10 ms of CPU and
    50 ms or more on a busy machine: paid at start-up, not by the first command.
    """
    _answer_pool().submit(int)


def _answer_pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=ANSWER_WORKERS, initializer=_start_answer_worker,
                                    initargs=(os.getpid(),))
    return _pool


def _start_answer_worker(parent_pid: int) -> None:
    pool_initializer(parent_pid)
    try:
        os.nice(ANSWER_WORKER_NICENESS)
    except (AttributeError, OSError):  # no nice() (Windows) or not allowed: the same work, at the same priority
        pass


def shutdown_answer_workers() -> None:
    """Stop the workers (the bot calls this when it closes); the next answer starts new ones."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
