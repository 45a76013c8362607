"""Load: 1,000 concurrent slash commands through simcord, all answered, none lost.

simcord's public `slash()` runs one interaction at a time, so the 1,000 are put on the
gateway together (the same steps as simcord's own slash(), without waiting for each) and
the bot handles them concurrently; then simcord settles once. Latency is measured from the
gateway event to the bot's first response (Discord's 3-second rule) and printed
(p50, p99, max); it depends on the machine, so only completeness is asserted.
"""
from __future__ import annotations

import asyncio
import random
import statistics
import time

import discord.webhook.async_ as webhook_adapter
from simcord import actors as simcord_actors
from simcord import interactions as simcord_interactions
from simcord.enums import AppCommandType, InteractionType
from simcord.results import InteractionResult

from tests.conftest import acknowledge_errors

INVOCATIONS = 1000
COMMANDS = [
    ("search", {"query": "peace treaty"}),
    ("search", {"query": "Kuril*"}),
    ("experts", {}),
    ("summary", {}),
    ("summary", {"topic": "islands"}),
    ("dates", {"year": 1956}),
    ("dates", {}),
    ("quotes", {"expert": "Kistanov"}),
    ("onthisday", {}),
    ("search", {"query": "\"unbalanced"}),  # refused: an answer all the same
    ("quotes", {"expert": "nobody-at-all"}),
]


def _emit_slash(actor, channel, name: str, options: dict):
    """simcord's slash(), up to putting the interaction on the gateway; returns its record."""
    parts = name.split()
    root = simcord_actors._resolve_visible_command(actor, channel.id, parts[0], AppCommandType.CHAT_INPUT)
    leaf, nesting = simcord_interactions.walk_to_subcommand(root, parts[1:])
    leaf_options, resolved = simcord_interactions.build_options(actor, name, leaf, options, channel_id=channel.id)
    data = {"id": root["id"], "name": root["name"], "type": root.get("type", AppCommandType.CHAT_INPUT),
            "options": simcord_interactions.nest_options(root, nesting, leaf_options)}
    if resolved:
        data["resolved"] = resolved
    backend = actor._env.backend
    record, payload = simcord_interactions.base_payload(
        backend, type=InteractionType.APPLICATION_COMMAND, channel_id=channel.id, guild_id=actor.guild.id,
        user_id=actor.id, data=data)
    actor._env._notify_dispatch_observers(record)
    backend.emit("INTERACTION_CREATE", payload)
    return record


async def _until_replied(env, records, timeout: float) -> None:
    """Let the bot work in real time until every command has its reply.

    simcord's settle() checks every pending task against every view and timer each
    time one task finishes; with a burst answered a few at a time (bot.answers.turns)
    that is quadratic and took minutes, so the test waits here and settles the rest.
    """
    waiting = list(records)
    deadline = time.perf_counter() + timeout
    while waiting and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
        waiting = [r for r in waiting if not _replied(InteractionResult(env, r))]


def _replied(result: InteractionResult) -> bool:
    message = result.followups[-1] if result.followups else result.response
    return message is not None and bool(message.content or message.embeds)


async def test_a_thousand_concurrent_commands_are_all_answered(world, monkeypatch):
    await world.bot.ingest_task
    rng = random.Random(1000)
    actors = [world.member, world.manager, world.admin]
    answered_at: dict[int, float] = {}
    respond = webhook_adapter.AsyncWebhookAdapter.create_interaction_response

    def timed_response(self, interaction_id, *args, **kwargs):
        answered_at.setdefault(int(interaction_id), time.perf_counter())
        return respond(self, interaction_id, *args, **kwargs)

    monkeypatch.setattr(webhook_adapter.AsyncWebhookAdapter, "create_interaction_response", timed_response)

    monkeypatch.setattr(world.env, "settle_timeout", 600)  # simcord's inner waits too: 1,000 commands take a while
    started = time.perf_counter()
    records = [_emit_slash(actors[i % 3], world.channel, *rng.choice(COMMANDS)) for i in range(INVOCATIONS)]
    emitted = time.perf_counter()
    await _until_replied(world.env, records, timeout=600)
    seconds = time.perf_counter() - started
    await world.env.settle(timeout=600)

    results = [InteractionResult(world.env, r) for r in records]
    answered = sum(1 for r in results if _replied(r))
    latencies = [answered_at[r.id] - started for r in records if r.id in answered_at]
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"\n{INVOCATIONS} concurrent commands (emitted in {emitted - started:.2f} s), all answered in "
          f"{seconds:.1f} s: {answered} answered; first response after p50 {quantiles[49] * 1000:.0f} ms, "
          f"p99 {quantiles[98] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    assert answered == INVOCATIONS and len(latencies) == INVOCATIONS, "none lost"
    assert len({r.response.id for r in results}) == INVOCATIONS, "every invocation got its own reply"
    assert world.bot.get_cog("Digest").digest_loop.is_running()
    acknowledge_errors(world.env)
