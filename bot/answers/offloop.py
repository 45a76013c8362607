"""Running the Python part of an answer where it cannot hold up the event loop.

The bot has one event loop: while it ranks sentences or builds pages for one user,
nobody else's command, button or gateway heartbeat is served. SQLite work already
runs in aiosqlite's threads; `off_loop` runs a pure function (summarising, building
answer items, paginating) in a thread of its own. Python threads share one
interpreter lock, but the interpreter hands the lock back to the loop's thread every
few milliseconds (`sys.getswitchinterval()`), so an answer that takes a second costs
everybody else a few milliseconds at a time instead of a second at once.

A process pool would add true parallelism, but every argument and result would be
pickled on the loop's side, which for these answers costs about as much as the work.
"""
from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Two threads: one long answer does not queue every short one behind it, and few threads
# contend for the interpreter lock with the loop.
ANSWER_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="answer")


async def off_loop(function: Callable[..., T], /, *args, **kwargs) -> T:
    """`function(*args, **kwargs)` in an answer thread; it must not touch the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(function, *args, **kwargs))
