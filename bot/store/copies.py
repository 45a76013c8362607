"""Copies of one story inside an open corpus transaction: which article of a group is the original.

Every copy stays an article (its file, body, quotes and dates are kept and exported); its
`copy_of` names the group's original, which answers show in its place. The original is the
earliest published article of the group, else the earliest ingested, else the smallest id.
A group is found again whenever one of its articles arrives or leaves, in the same transaction.
"""
from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from ..nlp.near_duplicates import copy_groups, shingles


@dataclass(frozen=True, slots=True)
class _Member:
    id: str
    published: str | None
    ingested_at: str
    copy_of: str | None
    body: str

    @property
    def seniority(self) -> tuple:
        return (self.published is None, self.published or "", self.ingested_at, self.id)


async def insert_bands(conn: aiosqlite.Connection, bands: Iterable[tuple[int, str]]) -> None:
    await conn.executemany("INSERT OR IGNORE INTO article_bands(key, article_id) VALUES (?, ?)", list(bands))


async def candidates(conn: aiosqlite.Connection, bands: Sequence[tuple[int, str]]) -> set[str]:
    """The new articles (of `bands`) that share a key with another article, and those others."""
    keys = json.dumps(sorted({key for key, _ in bands}))
    async with conn.execute("SELECT key, article_id FROM article_bands WHERE key IN (SELECT value FROM json_each(?))",
                            (keys,)) as cur:
        by_key: dict[int, set[str]] = {}
        for key, article_id in await cur.fetchall():
            by_key.setdefault(key, set()).add(article_id)
    found: set[str] = set()
    for ids in by_key.values():
        if len(ids) > 1:
            found |= ids
    return found


async def group_members(conn: aiosqlite.Connection, ids: Iterable[str], leaving: Iterable[str] = ()) -> set[str]:
    """Every article in a group with one of `ids`, except those `leaving`."""
    wanted = json.dumps(sorted(set(ids)))
    async with conn.execute(
            "WITH roots AS (SELECT DISTINCT coalesce(copy_of, id) AS id FROM articles "
            "  WHERE id IN (SELECT value FROM json_each(?))) "
            "SELECT id FROM articles WHERE id IN (SELECT id FROM roots) "
            "UNION SELECT id FROM articles WHERE copy_of IN (SELECT id FROM roots)", (wanted,)) as cur:
        members = {r[0] for r in await cur.fetchall()}
    return members - set(leaving)


async def regroup(conn: aiosqlite.Connection, ids: set[str], quote_balance: Counter[str]) -> bool:
    """Find the groups among `ids` (closed under groups) again and set every `copy_of`; True if any changed.

    An article that becomes a copy takes its quotes out of `quote_balance`; one that becomes an
    original puts them back.
    """
    if not ids:
        return False
    async with conn.execute(
            "SELECT id, published, ingested_at, copy_of, body FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(ids)),)) as cur:
        members = {r[0]: _Member(*r) for r in await cur.fetchall()}
    groups = await asyncio.to_thread(_groups, members)
    changes = []
    for group in groups:
        original = min((members[i] for i in group), key=lambda m: m.seniority)
        for i in group:
            wanted = None if i == original.id else original.id
            if members[i].copy_of != wanted:
                changes.append((wanted, i))
    if not changes:
        return False
    await conn.executemany("UPDATE articles SET copy_of = ? WHERE id = ?", changes)
    for wanted, i in changes:
        was_original = members[i].copy_of is None
        if was_original == (wanted is None):
            continue  # a copy that now copies another original: its quotes stay out
        sign = 1 if wanted is None else -1
        async with conn.execute("SELECT speaker, COUNT(*) FROM quotes WHERE article_id = ? AND speaker IS NOT NULL "
                                "AND NOT repeat GROUP BY speaker", (i,)) as cur:
            for speaker, n in await cur.fetchall():
                quote_balance[speaker] += sign * n
    return True


def _groups(members: dict[str, _Member]) -> list[set[str]]:
    return copy_groups({i: shingles(m.body) for i, m in members.items()})
