"""Answers in turns: a few at work at once, the rest wait in line, first come, first served.

A burst of commands (a busy guild, a thousand at once) would otherwise start a
thousand answers together. Each answer is a chain of steps (a query in the
store's thread, ranking in a worker process, building pages), and their results
come back to the event loop in bunches: asyncio runs every callback that is
ready in one pass before a timer or the gateway gets a turn, so hundreds of
answer steps ran back to back and the loop stood still for up to a second
(bench/storm.py). With a few answers at work, a pass holds a few steps; the
store's one reader thread and the two answer workers cannot go faster with
more answers in flight anyway, so the burst is answered as fast as before.
"""
from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# The store reads on one thread and answers rank in two worker processes (offloop.ANSWER_WORKERS):
# a few answers in flight keep them all busy; more only wait inside the loop instead of in line.
ANSWERS_AT_ONCE = 4


class AnswerTurns:
    """At most `at_once` answers at work; the others wait their turn in arrival order."""

    def __init__(self, at_once: int = ANSWERS_AT_ONCE):
        if at_once < 1:
            raise ValueError(f"at_once must be at least 1, not {at_once}")
        self.at_once = at_once
        self._free = asyncio.Semaphore(at_once)  # fair: a newcomer never overtakes one already waiting
        self.waiting = 0

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Await `work` once it is its turn; if cancelled while still waiting, `work` never starts."""
        self.waiting += 1
        try:
            await self._free.acquire()
        except BaseException:
            work.close()
            raise
        finally:
            self.waiting -= 1
        try:
            return await work
        finally:
            self._free.release()
