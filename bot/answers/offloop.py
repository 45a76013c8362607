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
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=ANSWER_WORKERS, initializer=pool_initializer,
                                    initargs=(os.getpid(),))
    pool = _pool
    try:
        future = pool.submit(function, *args)
        return await asyncio.get_running_loop().run_in_executor(None, future.result)
    except BrokenProcessPool:  # a worker died (killed, out of memory): the next answer starts afresh
        if _pool is pool:
            _pool = None
        raise


def shutdown_answer_workers() -> None:
    """Stop the workers (the bot calls this when it closes); the next answer starts new ones."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
