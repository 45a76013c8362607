"""Copies of one story on PostgreSQL, inside an open corpus transaction.

The rule is the SQLite driver's (bot/store/copies.py, whose pure helpers this reuses): a new
article is checked against the stored articles sharing an LSH key with it, best candidates
first, and joins the group of each one it copies; the original of a group is its most senior
article; when the original leaves, the most senior of the rest leads. Results are read in
the order SQLite gives them (code-point order), so both drivers make the same groups.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Sequence

import asyncpg

from ..copies import (COMMON_KEY, MAX_ESTIMATED, ShingleCache, _Article, _likely, _unpack_sketch, _verified_pairs,
                      copy_groups, group_merges)


async def _articles(conn: asyncpg.Connection, ids: Iterable[str]) -> dict[str, _Article]:
    rows = await conn.fetch("SELECT id, published, ingested_at, copy_of FROM articles WHERE id = ANY($1::text[])",
                            sorted(set(ids)))
    return {r[0]: _Article(*r) for r in rows}


async def _bodies(conn: asyncpg.Connection, ids: Iterable[str]) -> dict[str, str]:
    rows = await conn.fetch("SELECT id, body FROM articles WHERE id = ANY($1::text[])", sorted(set(ids)))
    return {r[0]: r[1] for r in rows}


async def _sketches(conn: asyncpg.Connection, ids: Iterable[str]) -> dict[str, tuple[int, tuple[int, ...]]]:
    rows = await conn.fetch("SELECT id, minhash FROM articles WHERE id = ANY($1::text[])", sorted(set(ids)))
    return {r[0]: _unpack_sketch(r[1]) for r in rows}


async def _move_quotes(conn: asyncpg.Connection, article_ids: Sequence[str], sign: int,
                       balance: Counter[str]) -> None:
    """Articles became copies (-1) or originals (+1): their quotes leave or join the counts."""
    if not article_ids:
        return
    rows = await conn.fetch("SELECT speaker, count(*) FROM quotes WHERE article_id = ANY($1::text[]) "
                            "AND speaker IS NOT NULL AND NOT repeat GROUP BY speaker", sorted(set(article_ids)))
    for speaker, n in rows:
        balance[speaker] += sign * n


async def _candidates(conn: asyncpg.Connection, bands: Sequence[tuple[int, str]]) -> dict[str, list[str]]:
    """For each new article (of `bands`), the other articles sharing a key with it, rarest keys first."""
    keys_of: dict[str, set[int]] = {}
    for key, article_id in bands:
        keys_of.setdefault(article_id, set()).add(key)
    # At most one past the cap is read of each key: a common key's tens of thousands are never walked.
    # Each key by its own index lookup: inside a reload the planner has no statistics of the rows written.
    rows = await conn.fetch(
        "SELECT j.key, h.article_id FROM unnest($1::bigint[]) AS j(key) "
        "CROSS JOIN LATERAL (SELECT c.article_id FROM article_bands c WHERE c.key = j.key LIMIT $2) AS h",
        sorted({key for key, _ in bands}), COMMON_KEY + 1)
    held: dict[int, list[str]] = {}
    for key, article_id in rows:
        held.setdefault(key, []).append(article_id)
    # In SQLite's order (by key, then id by code point), so both drivers weigh candidates alike.
    holders = {key: sorted(ids) for key, ids in sorted(held.items()) if len(ids) <= COMMON_KEY}
    found = {}
    for new_id, keys in keys_of.items():
        weight: Counter[str] = Counter()
        for key in keys:
            for other in holders.get(key, ()):
                if other != new_id:
                    weight[other] += 1 / len(holders[key])
        if weight:
            found[new_id] = [other for other, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    return found


async def join_copies(conn: asyncpg.Connection, bands: Sequence[tuple[int, str]], quote_balance: Counter[str],
                      switched: set[str], known: ShingleCache | None = None) -> None:
    """Store the LSH keys of new articles, then put each new article that copies another in its group.

    Articles that stop being originals are added to `switched`. `known`: shingles at hand (the
    bodies of the others are read and hashed, and kept there)."""
    if not bands:
        return
    # The articles are new to the table (a reload removes an article before writing it again), so only
    # a key an article holds twice can repeat: COPY, the fast path, takes the rest as they are.
    await conn.copy_records_to_table("article_bands", records=list(dict.fromkeys(bands)),
                                     columns=("key", "article_id"))
    candidates = await _candidates(conn, bands)
    if not candidates:
        return
    looked_at = {i for new_id, others in candidates.items() for i in (new_id, *others[:MAX_ESTIMATED])}
    candidates = _likely(candidates, await _sketches(conn, looked_at))
    if not candidates:
        return
    wanted = {i for new_id, others in candidates.items() for i in (new_id, *others)}
    articles = await _articles(conn, wanted)
    roots = {i: a.root for i, a in articles.items()}
    known = ShingleCache() if known is None else known
    bodies = await _bodies(conn, {i for i in wanted if i not in known})
    pairs = await asyncio.to_thread(_verified_pairs, candidates, roots, bodies, known)
    components = copy_groups(pairs, articles)
    merges = group_merges(components, await _articles(conn, {r for rs in components for r in rs}))
    if merges:
        await conn.executemany("UPDATE articles SET copy_of = $1 WHERE copy_of = $2 OR id = $2", merges)
        await _move_quotes(conn, [old for _, old in merges], -1, quote_balance)
    switched.update(old for _, old in merges)


async def promote_successors(conn: asyncpg.Connection, leaving: Sequence[str], quote_balance: Counter[str],
                             switched: set[str]) -> None:
    """Before `leaving` are deleted: each leaving original hands its group to the most senior copy that stays
    (added to `switched`)."""
    gone = set(leaving)
    rows = await conn.fetch("SELECT id, published, ingested_at, copy_of FROM articles WHERE copy_of = ANY($1::text[])",
                            sorted(gone))
    groups: dict[str, list[_Article]] = {}
    for a in (_Article(*r) for r in rows):
        if a.id not in gone:
            groups.setdefault(a.copy_of, []).append(a)
    leaders = []
    for old_root, members in groups.items():
        leader = min(members, key=lambda a: a.seniority)
        await conn.execute("UPDATE articles SET copy_of = $1 WHERE copy_of = $2", leader.id, old_root)
        await conn.execute("UPDATE articles SET copy_of = NULL WHERE id = $1", leader.id)
        leaders.append(leader.id)
    await _move_quotes(conn, leaders, +1, quote_balance)
    switched.update(leaders)
