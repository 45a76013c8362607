"""A storm of slash commands over a stored corpus, with a lean transport: the bot's own time per command.

    python bench/run.py --articles 10000 --phases storm          # via run.py, in a process of its own

The bot is made with `bot.discord_app.create_bot` and its cogs loaded, but no
Discord, real or simulated, is involved: each interaction is handed to discord.py's
own gateway handler (`ConnectionState.parse_interaction_create`, what the gateway
calls after reading an INTERACTION_CREATE), and the HTTP calls a reply makes
(response, follow-up, original message) are answered at once after serialising
their JSON as discord.py would send it. So every figure here is the bot's own:
discord.py's dispatch, the command, the answer, the pages, the reply.

Per command:
  loop time   CPU time of the event-loop steps run on its behalf (every callback whose
              context is the command's), from dispatch to its reply: its cost to everyone
              else (CPU time, so neither a busy machine nor other threads inflate it)
  latency     dispatch to first response, and to the answer (after a defer), wall clock:
              with N commands at once this includes waiting behind the others
A heartbeat task sleeps 5 ms at a time and records how late it wakes: the longest
stall of the loop during the storm, answers' own CPU time included. On a shared machine
that wall-clock figure also holds the time the loop's thread waited for a core; the CPU
time of the longest loop pass (every callback run between two waits for events, garbage
collections included) is the bot's own part of it, whatever the load; and of the longest
stall, the time the loop's thread spent waiting for a core is given (Linux).
"""
from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import gc
import itertools
import json
import os
import random
import threading
import time
from pathlib import Path

HEARTBEAT_S = 0.005
STALLED_AFTER_S = 60.0  # no command answered for this long: stop waiting (the rest count as unanswered)
GUILD_ID, CHANNEL_ID, APPLICATION_ID = 4242, 4343, 4444
STRING, INTEGER = 3, 4  # Discord's option types

_COMMAND: contextvars.ContextVar[int | None] = contextvars.ContextVar("storm_command", default=None)


@dataclasses.dataclass
class Tally:
    dispatched: dict[int, float] = dataclasses.field(default_factory=dict)
    responded: dict[int, float] = dataclasses.field(default_factory=dict)  # first response (reply or defer)
    answered: dict[int, float] = dataclasses.field(default_factory=dict)  # the message with the answer
    loop_time: dict[int, float] = dataclasses.field(default_factory=dict)
    kinds: dict[int, str] = dataclasses.field(default_factory=dict)


def _message(channel_id: int, message_id: int) -> dict:
    return {"id": str(message_id), "channel_id": str(channel_id), "type": 0, "content": "", "embeds": [],
            "attachments": [], "author": {"id": str(APPLICATION_ID), "username": "bot", "discriminator": "0",
                                          "avatar": None},
            "timestamp": "2026-12-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "pinned": False, "flags": 0,
            "components": []}


def lean_transport(tally: Tally):
    """Replace discord.py's webhook HTTP calls with instant answers; returns a function that undoes it."""
    import discord.webhook.async_ as webhook

    adapter = webhook.AsyncWebhookAdapter
    saved = {name: getattr(adapter, name) for name in
             ("create_interaction_response", "execute_webhook", "get_original_interaction_response",
              "edit_original_interaction_response")}
    ids = itertools.count(10_000)
    DEFER = 5

    async def create_interaction_response(self, interaction_id, token, *, params, **_):
        json.dumps(params.payload)  # what discord.py would put on the wire
        now = time.perf_counter()
        interaction_id = int(interaction_id)
        tally.responded.setdefault(interaction_id, now)
        if params.payload.get("type") != DEFER:
            tally.answered.setdefault(interaction_id, now)
        return {"interaction": {"id": str(interaction_id), "type": 2, "response_message_id": str(next(ids))}}

    async def execute_webhook(self, webhook_id, token, *, payload=None, wait=False, **_):
        json.dumps(payload)
        tally.answered.setdefault(int(token), time.perf_counter())  # the token is the interaction id (below)
        return _message(CHANNEL_ID, next(ids)) if wait else None

    async def original_message(self, application_id, token, **_):
        return _message(CHANNEL_ID, next(ids))

    adapter.create_interaction_response = create_interaction_response
    adapter.execute_webhook = execute_webhook
    adapter.get_original_interaction_response = original_message
    adapter.edit_original_interaction_response = original_message

    def undo() -> None:
        for name, value in saved.items():
            setattr(adapter, name, value)
    return undo


def count_loop_time(tally: Tally):
    """Time every event-loop callback run in a command's context; returns a function that undoes it."""
    handle = asyncio.events.Handle
    original = handle._run

    def timed_run(self):
        command = self._context.get(_COMMAND) if self._context is not None else None
        if command is None or command in tally.answered:
            return original(self)
        started = time.thread_time()
        try:
            return original(self)
        finally:
            tally.loop_time[command] = tally.loop_time.get(command, 0.0) + time.thread_time() - started

    handle._run = timed_run

    def undo() -> None:
        handle._run = original
    return undo


def _runqueue_clock():
    """The time this thread has spent waiting for a core, in seconds (Linux), or None elsewhere."""
    try:
        stats = open(f"/proc/self/task/{threading.get_native_id()}/schedstat", "rb", buffering=0)
    except OSError:
        return None

    def waited() -> float:
        stats.seek(0)
        return int(stats.read().split()[1]) / 1e9
    return waited


def count_pass_time(loop: asyncio.AbstractEventLoop, passes: list[float]):
    """Record the CPU time of every pass of `loop`; returns a function that undoes it."""
    original = loop._run_once

    def timed_once():
        started = time.thread_time()
        original()
        passes.append(time.thread_time() - started)

    loop._run_once = timed_once

    def undo() -> None:
        del loop._run_once
    return undo


def interaction_payload(number: int, command: str, options: dict) -> dict:
    user = 1_000_000 + number  # each command its own user: per-user cooldowns do not refuse the storm
    return {
        "id": str(number), "application_id": str(APPLICATION_ID), "type": 2, "token": str(number), "version": 1,
        "guild_id": str(GUILD_ID), "locale": "en-US", "attachment_size_limit": 26_214_400,
        "app_permissions": "2147483647", "entitlements": [],
        "channel": {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "news", "position": 0,
                    "permission_overwrites": [], "nsfw": False, "parent_id": None},
        "member": {"user": {"id": str(user), "username": f"user{user}", "discriminator": "0", "avatar": None,
                            "global_name": None},
                   "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0,
                   "permissions": "2147483647"},
        "data": {"id": "1", "name": command, "type": 1,
                 "options": [{"name": k, "type": INTEGER if isinstance(v, int) else STRING, "value": v}
                             for k, v in options.items()]},
    }


def commands_for(mix, skip: set[str]) -> list[tuple[str, dict]]:
    """What a busy guild types, drawn from the corpus like the query mix."""
    article_id, title = mix.rng.choice(mix.titles)
    year = mix.rng.choice(mix.years)
    out = [("search", {"query": mix.search_query()}), ("summary", {}), ("summary", {"topic": mix.topic()}),
           ("summary", {"article": mix.rng.choice([article_id, title])}), ("quotes", {"expert": mix.expert()}),
           ("experts", {}), ("article", {"article": article_id}),
           ("dates", {"year": year}), ("dates", {}), ("onthisday", {"date": "2026-10-19"})]
    return [c for c in out if c[0] not in skip]


class FullCollections:
    """The garbage collector's full (oldest-generation) collections and how long each took."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._started = 0.0

    def record(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds.append(time.perf_counter() - self._started)


async def storm(corpus: Path, db: Path, count: int, skip: set[str]) -> dict:
    from discord import ClientUser
    from run import QueryMix, percentile

    from bot.config import Config
    from bot.discord_app import create_bot

    config = dataclasses.replace(Config(), database=db, corpus=corpus)
    bot = create_bot(config)
    await bot._async_setup_hook()
    await bot.setup_hook()
    bot._connection.user = ClientUser(state=bot._connection, data={
        "id": str(APPLICATION_ID), "username": "bot", "discriminator": "0", "avatar": None, "bot": True,
        "verified": True, "mfa_enabled": False, "flags": 0})
    bot._connection.application_id = APPLICATION_ID
    tally = Tally()
    undo_transport = lean_transport(tally)
    undo_timing = count_loop_time(tally)
    beats: list[float] = []
    passes: list[float] = []
    full_collections = FullCollections()
    done = asyncio.Event()

    waited = _runqueue_clock() or (lambda: 0.0)
    queued: list[float] = []  # per beat: how long the loop's thread waited for a core meanwhile

    async def heartbeat() -> None:
        while not done.is_set():
            started, wait = time.perf_counter(), waited()
            await asyncio.sleep(HEARTBEAT_S)
            beats.append(time.perf_counter() - started - HEARTBEAT_S)
            queued.append(waited() - wait)

    def dispatch(number: int, payload: dict) -> None:
        _COMMAND.set(number)
        tally.dispatched[number] = time.perf_counter()
        started = time.thread_time()
        bot._connection.parse_interaction_create(payload)
        tally.loop_time[number] = tally.loop_time.get(number, 0.0) + time.thread_time() - started

    try:
        mix = await QueryMix.from_store(bot.store)
        mix.rng = random.Random(count)
        beat = asyncio.create_task(heartbeat())
        undo_passes = count_pass_time(asyncio.get_running_loop(), passes)
        gc.callbacks.append(full_collections.record)
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        for number in range(1, count + 1):
            command, options = mix.rng.choice(commands_for(mix, skip))
            tally.kinds[number] = command
            contextvars.copy_context().run(dispatch, number, interaction_payload(number, command, options))
            await asyncio.sleep(0)  # one gateway event per loop turn, as the websocket reader delivers them
        emitted = time.perf_counter() - started
        last_progress, answered = time.perf_counter(), 0
        while len(tally.answered) < count and time.perf_counter() - last_progress < STALLED_AFTER_S:
            await asyncio.sleep(0.05)
            if len(tally.answered) > answered:
                last_progress, answered = time.perf_counter(), len(tally.answered)
        seconds = time.perf_counter() - started
        done.set()
        await beat
        undo_passes()
        gc.callbacks.remove(full_collections.record)
    finally:
        undo_timing()
        undo_transport()
        await bot.close()
    own = [tally.loop_time.get(n, 0.0) * 1000 for n in tally.answered]
    first = [(tally.responded[n] - tally.dispatched[n]) * 1000 for n in tally.responded]
    full = [(tally.answered[n] - tally.dispatched[n]) * 1000 for n in tally.answered]
    by_kind: dict[str, list[float]] = {}
    for n in tally.answered:
        by_kind.setdefault(tally.kinds[n], []).append(tally.loop_time.get(n, 0.0) * 1000)
    return {"commands": count, "answered": len(tally.answered), "seconds": seconds, "emitted_s": emitted,
            "skipped_commands": sorted(skip),
            "loop_ms_per_command": {"p50": percentile(own, 50), "p99": percentile(own, 99), "max": max(own, default=0)},
            "loop_ms_p99_by_command": {k: percentile(v, 99) for k, v in sorted(by_kind.items())},
            "loop_ms_max_by_command": {k: max(v) for k, v in sorted(by_kind.items())},
            "first_response_ms": {"p50": percentile(first, 50), "p99": percentile(first, 99)},
            "answer_ms": {"p50": percentile(full, 50), "p99": percentile(full, 99)},
            "max_stall_ms": max(beats, default=0.0) * 1000, "p99_stall_ms": percentile(beats, 99) * 1000,
            "max_pass_cpu_ms": max(passes, default=0.0) * 1000,
            "full_collections": len(full_collections.seconds),
            "longest_full_collection_ms": max(full_collections.seconds, default=0.0) * 1000,
            "max_stall_waiting_for_a_core_ms": max(zip(beats, queued), default=(0.0, 0.0))[1] * 1000,
            "load_average_after": os.getloadavg()[0]}
