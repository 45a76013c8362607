"""Answers in turns: a burst is answered a few at a time, in arrival order, none lost."""
from __future__ import annotations

import asyncio
import random

import discord
import pytest
from simcord.results import InteractionResult

from bot import answers
from bot.answers.turns import AnswerTurns
from tests.test_load import _emit_slash


class Gate:
    """Work that starts, records itself and waits until released: who is at work, in which order."""

    def __init__(self):
        self.started: list[int] = []
        self.at_work = 0
        self.most_at_work = 0
        self.release = asyncio.Event()

    async def work(self, number: int) -> int:
        self.started.append(number)
        self.at_work += 1
        self.most_at_work = max(self.most_at_work, self.at_work)
        try:
            await self.release.wait()
            return number
        finally:
            self.at_work -= 1


async def test_a_burst_runs_at_most_at_once_and_in_arrival_order():
    turns, gate = AnswerTurns(at_once=3), Gate()
    tasks = [asyncio.create_task(turns.run(gate.work(n))) for n in range(20)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert gate.started == [0, 1, 2]
    assert turns.waiting == 17
    gate.release.set()
    assert await asyncio.gather(*tasks) == list(range(20))
    assert gate.started == list(range(20))
    assert gate.most_at_work == 3
    assert turns.waiting == 0


async def test_a_failed_answer_frees_its_turn():
    turns = AnswerTurns(at_once=1)

    async def fail():
        raise ValueError("bad input")

    async def succeed():
        return "ok"

    first, second = asyncio.create_task(turns.run(fail())), asyncio.create_task(turns.run(succeed()))
    with pytest.raises(ValueError):
        await first
    assert await second == "ok"


async def test_an_answer_cancelled_while_waiting_never_starts_and_takes_no_turn():
    turns, gate = AnswerTurns(at_once=1), Gate()
    running = asyncio.create_task(turns.run(gate.work(1)))
    waiting = asyncio.create_task(turns.run(gate.work(2)))
    after = asyncio.create_task(turns.run(gate.work(3)))
    await asyncio.sleep(0)
    waiting.cancel()
    gate.release.set()
    assert await running == 1 and await after == 3
    assert waiting.cancelled()
    assert gate.started == [1, 3]


async def test_places_are_taken_in_the_order_asked_even_if_the_first_awaits_before_waiting():
    turns, gate = AnswerTurns(at_once=1), Gate()
    holder = asyncio.create_task(turns.run(gate.work(0)))
    await asyncio.sleep(0)
    first, second = turns.line_up(), turns.line_up()
    later = asyncio.create_task(turns.run(gate.work(2), second))
    await asyncio.sleep(0)  # the first is still busy elsewhere (telling the user "thinking…")
    earlier = asyncio.create_task(turns.run(gate.work(1), first))
    gate.release.set()
    await asyncio.gather(holder, earlier, later)
    assert gate.started == [0, 1, 2]


async def test_a_place_given_up_after_its_turn_came_passes_the_turn_on():
    turns, gate = AnswerTurns(at_once=1), Gate()
    holder = asyncio.create_task(turns.run(gate.work(0)))
    await asyncio.sleep(0)
    abandoned = turns.line_up()
    after = asyncio.create_task(turns.run(gate.work(1)))
    gate.release.set()
    await holder
    assert abandoned.done() and gate.started == [0]  # the turn is the abandoned place's now
    turns.leave(abandoned)
    assert await after == 1
    assert turns.at_work == 0


def test_at_least_one_at_once():
    with pytest.raises(ValueError, match="at_once must be at least 1"):
        AnswerTurns(at_once=0)


async def test_a_burst_of_slash_commands_is_answered_in_turns_every_one_in_its_own_reply(world, monkeypatch):
    await world.bot.ingest_task
    world.bot.answer_turns = AnswerTurns(at_once=2)
    experts = [e.name for e in (await answers.experts(world.bot.store)).experts]
    asked: list[str] = []
    at_work = most_at_work = 0
    quotes_by = answers.quotes_by

    async def counted_quotes_by(store, expert, topic=None, kind=None):
        nonlocal at_work, most_at_work
        asked.append(topic)
        at_work += 1
        most_at_work = max(most_at_work, at_work)
        try:
            return await quotes_by(store, expert, None, kind)  # the topic only numbers the command
        finally:
            at_work -= 1

    monkeypatch.setattr(answers, "quotes_by", counted_quotes_by)
    deferred: list[int] = []
    defer = discord.InteractionResponse.defer

    async def counted_defer(response, **kwargs):
        deferred.append(response._parent.id)
        return await defer(response, **kwargs)

    monkeypatch.setattr(discord.InteractionResponse, "defer", counted_defer)
    rng = random.Random(7)
    actors = [world.member, world.manager, world.admin]
    topics = [f"command {n}" for n in range(30)]
    records = [_emit_slash(actors[n % 3], world.channel, "quotes", {"expert": rng.choice(experts), "topic": topic})
               for n, topic in enumerate(topics)]
    await world.env.settle(timeout=120)

    results = [InteractionResult(world.env, r) for r in records]
    assert all(r.response is not None and r.response.embeds for r in results), "every command answered"
    assert len({r.response.id for r in results}) == len(records), "each in its own reply"
    assert asked == topics, "answered in the order asked"
    assert most_at_work == 2
    assert deferred, "those waiting in line said \"thinking…\" first"
    assert world.bot.answer_turns.at_work == 0 and world.bot.answer_turns.waiting == 0
