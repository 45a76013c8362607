"""Answers in turns: a few at work at once, the rest wait in line, first come, first served.

A burst of commands (a busy guild, a thousand at once) would otherwise start a
thousand answers together. Each answer is a chain of steps (a query in the
store's thread, ranking in a worker process, building pages), and their results
come back to the event loop in bunches: asyncio runs every callback that is
ready in one pass before a timer or the gateway gets a turn, so hundreds of
answer steps ran back to back and the loop stood still for up to a second
(bench/storm.py). With a few answers at work, a pass holds a few steps; the
store's one reader thread and the two answer workers cannot go faster with
more answers in flight anyway, so the burst is answered sooner than before.

A place in line is taken synchronously (`line_up`), so the order is the order
the commands arrived in, even when one of them awaits something (its "thinking…"
reply) before it waits for its turn.
"""
from __future__ import annotations

import asyncio
from collections import deque
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
        self.at_work = 0
        self._line: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for place in self._line if not place.done())

    def line_up(self) -> asyncio.Future[None]:
        """A place in line, done when it is this answer's turn (at once when a turn is free)."""
        place = asyncio.get_running_loop().create_future()
        if self.at_work < self.at_once and not self._line:
            self.at_work += 1
            place.set_result(None)
        else:
            self._line.append(place)
        return place

    async def run(self, work: Coroutine[Any, Any, T], place: asyncio.Future[None] | None = None) -> T:
        """Await `work` in its turn (at `place`, or a new place at the end of the line).

        Cancelled while still in line, `work` never starts and the place is given up.
        """
        place = self.line_up() if place is None else place
        try:
            await place
        except BaseException:
            self.leave(place)
            work.close()
            raise
        try:
            return await work
        finally:
            self._pass_on()

    def leave(self, place: asyncio.Future[None]) -> None:
        """Give up a place that will not be used; a turn it already holds passes on."""
        if place.done() and not place.cancelled():
            self._pass_on()
        else:
            place.cancel()  # skipped when its turn comes

    def _pass_on(self) -> None:
        while self._line:
            place = self._line.popleft()
            if not place.done():
                place.set_result(None)  # the turn goes straight to the next in line
                return
        self.at_work -= 1
