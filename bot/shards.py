"""Which servers this bot process serves when the bot runs as several processes, each with some shards.

Discord sends a server's events to shard `(guild_id >> 22) % shard_count`. A process
that runs some of the shards (`shard_ids`) owns exactly the servers of those shards:
their digests are its job, whether or not the server is in its cache yet (after a
restart, or during an outage, the cache is incomplete; the rule is not). A process
that runs every shard (`shard_ids` None, the default) owns every server.
"""
from __future__ import annotations

from collections.abc import Collection


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord routes this server's events to."""
    return (guild_id >> 22) % shard_count


def serves_guild(guild_id: int, shard_count: int | None, shard_ids: Collection[int] | None) -> bool:
    """Whether a process running `shard_ids` of `shard_count` shards owns this server."""
    if shard_ids is None or shard_count is None:
        return True
    return shard_of(guild_id, shard_count) in shard_ids


def describe_shards(shard_count: int | None, shard_ids: Collection[int] | None) -> str:
    """For /admin status: "0, 2 of 4", "all 3", or "all (one process)" before the count is known."""
    if shard_count is None:
        return "all (one process)"
    if shard_ids is None or len(shard_ids) == shard_count:
        return f"all {shard_count}"
    return f"{', '.join(map(str, sorted(shard_ids)))} of {shard_count}"
