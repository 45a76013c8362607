"""Copies of one story inside an open corpus transaction: which article of a group is the original.

Every copy stays an article (its file, body, quotes and dates are kept and exported); its
`copy_of` names the group's original, which answers show in its place. The original is the
earliest published article of the group, else the earliest ingested, else the smallest id.

A group grows one verified pair at a time: a new article is compared (`are_copies`) with the
stored articles that share an LSH key with it, best candidates first, and joins the group of
each one it copies (two groups it bridges become one). An article that leaves takes nothing
else with it: when the original leaves, the most senior of the rest leads the group. Groups are
never split again pair by pair, so an arrival or a departure costs a few candidates, not a
comparison of every member with every other.
"""
from __future__ import annotations

import asyncio
import json
import struct
from array import array
from collections import Counter, OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from ..nlp.near_duplicates import BINS, are_copies, may_be_copies, shingles, similarity_estimate

# Candidates whose signatures are compared, per new article: those sharing the rarest keys first
# (a key that hundreds of articles hold is a common phrase, such as a sign-off or a title).
MAX_ESTIMATED = 50
# Of those, the ones most alike by their signatures that are checked exactly.
MAX_VERIFIED = 8
# A key held by more articles than this is a common phrase, not a story: it names no candidates. Copies
# share most of their keys, so they still find each other by the rarer ones; without the cap, every
# new article holding such a key would read and weigh every holder (tens of thousands at 100,000 articles).
COMMON_KEY = 100
# articles.minhash: the body's shingle count, then its signature.
_SKETCH = struct.Struct(f"<Q{BINS}Q")
# Bodies whose shingles a reload keeps at hand (about 4 KB each, packed): the articles it wrote last
# and the candidates it checked last. The same few articles are candidates of many new ones (at
# 10,000 articles, 25,000 checks read 6,000 distinct bodies), and hashing a body again was most of
# the cost of a check.
KEPT_SHINGLES = 4096


def pack_sketch(size: int, signature: tuple[int, ...]) -> bytes | None:
    return _SKETCH.pack(size, *signature) if signature else None


def _unpack_sketch(blob: bytes | None) -> tuple[int, tuple[int, ...]]:
    if not blob:
        return 0, ()
    values = _SKETCH.unpack(blob)
    return values[0], values[1:]


@dataclass(frozen=True, slots=True)
class _Article:
    id: str
    published: str | None
    ingested_at: str
    copy_of: str | None

    @property
    def seniority(self) -> tuple:
        return (self.published is None, self.published or "", self.ingested_at, self.id)

    @property
    def root(self) -> str:
        return self.copy_of or self.id


def pack_shingles(body_shingles: frozenset[int]) -> bytes:
    return array("Q", body_shingles).tobytes()


class ShingleCache:
    """The packed shingles of the last KEPT_SHINGLES bodies a reload wrote or checked, by article id.

    One reload's: an article it removes or rewrites must be dropped (`discard`) before anything else
    is stored under its id."""

    def __init__(self, size: int = KEPT_SHINGLES):
        self.size = size
        self._packed: OrderedDict[str, bytes] = OrderedDict()

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._packed

    def put(self, article_id: str, packed: bytes) -> None:
        self._packed[article_id] = packed
        self._packed.move_to_end(article_id)
        if len(self._packed) > self.size:
            self._packed.popitem(last=False)

    def get(self, article_id: str) -> frozenset[int] | None:
        packed = self._packed.get(article_id)
        if packed is None:
            return None
        self._packed.move_to_end(article_id)
        return frozenset(array("Q", packed))

    def discard(self, article_ids: Iterable[str]) -> None:
        for article_id in article_ids:
            self._packed.pop(article_id, None)

    def clear(self) -> None:
        self._packed.clear()


async def _articles(conn: aiosqlite.Connection, ids: Iterable[str]) -> dict[str, _Article]:
    async with conn.execute("SELECT id, published, ingested_at, copy_of FROM articles "
                            "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),)) as cur:
        return {r[0]: _Article(*r) for r in await cur.fetchall()}


async def _bodies(conn: aiosqlite.Connection, ids: Iterable[str]) -> dict[str, str]:
    async with conn.execute("SELECT id, body FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                            (json.dumps(sorted(set(ids))),)) as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


async def _move_quotes(conn: aiosqlite.Connection, article_ids: Sequence[str], sign: int,
                      balance: Counter[str]) -> None:
    """Articles became copies (-1) or originals (+1): their quotes leave or join the counts."""
    if not article_ids:
        return
    async with conn.execute("SELECT speaker, COUNT(*) FROM quotes WHERE article_id IN (SELECT value FROM json_each(?)) "
                            "AND speaker IS NOT NULL AND NOT repeat GROUP BY speaker",
                            (json.dumps(sorted(set(article_ids))),)) as cur:
        for speaker, n in await cur.fetchall():
            balance[speaker] += sign * n


async def _candidates(conn: aiosqlite.Connection, bands: Sequence[tuple[int, str]]) -> dict[str, list[str]]:
    """For each new article (of `bands`), the other articles sharing a key with it, rarest keys first."""
    keys_of: dict[str, set[int]] = {}
    for key, article_id in bands:
        keys_of.setdefault(article_id, set()).add(key)
    # Holders are counted only up to one past the cap: a common key's tens of thousands are never walked.
    async with conn.execute(
            "SELECT b.key, b.article_id FROM json_each(?) j JOIN article_bands b ON b.key = j.value "
            "WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM article_bands c WHERE c.key = j.value LIMIT ?)) <= ?",
            (json.dumps(sorted({key for key, _ in bands})), COMMON_KEY + 1, COMMON_KEY)) as cur:
        holders: dict[int, list[str]] = {}
        for key, article_id in await cur.fetchall():
            holders.setdefault(key, []).append(article_id)
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


async def _sketches(conn: aiosqlite.Connection, ids: Iterable[str]) -> dict[str, tuple[int, tuple[int, ...]]]:
    async with conn.execute("SELECT id, minhash FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                            (json.dumps(sorted(set(ids))),)) as cur:
        return {r[0]: _unpack_sketch(r[1]) for r in await cur.fetchall()}


def _likely(candidates: dict[str, list[str]], sketches: dict[str, tuple[int, tuple[int, ...]]]) -> dict[str, list[str]]:
    """The candidates alike enough by their sketches to be worth an exact check, most alike first."""
    out = {}
    for new_id, others in candidates.items():
        size, mine = sketches[new_id]
        kept = []
        for other in others[:MAX_ESTIMATED]:
            other_size, theirs = sketches[other]
            if may_be_copies(mine, size, theirs, other_size):
                kept.append((-similarity_estimate(mine, theirs), other))
        if kept:
            out[new_id] = [o for _, o in sorted(kept)[:MAX_VERIFIED]]
    return out


async def join_copies(conn: aiosqlite.Connection, bands: Sequence[tuple[int, str]], quote_balance: Counter[str],
                      switched: set[str], known: ShingleCache | None = None,
                      stored: Collection[tuple[int, str]] = ()) -> None:
    """Store the LSH keys of new articles (but those `stored` already), then put each new article that
    copies another in its group.

    Articles that stop being originals are added to `switched`. `known`: shingles at hand (the
    bodies of the others are read and hashed, and kept there)."""
    if not bands:
        return
    await conn.executemany("INSERT OR IGNORE INTO article_bands(key, article_id) VALUES (?, ?)",
                           [band for band in bands if band not in stored])
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
    await _merge(conn, merges, quote_balance)
    switched.update(old for _, old in merges)


def copy_groups(pairs: Sequence[tuple[str, str]], articles: dict[str, _Article]) -> list[set[str]]:
    """The roots (originals) that verified pairs join into one group; each set is one group."""
    parent: dict[str, str] = {}

    def find(root: str) -> str:
        while parent.get(root, root) != root:
            root = parent[root]
        return root

    for a, b in pairs:
        ra, rb = find(articles[a].root), find(articles[b].root)
        if ra != rb:
            parent[rb] = ra
    components: dict[str, set[str]] = {}
    for root in {articles[i].root for pair in pairs for i in pair}:
        components.setdefault(find(root), set()).add(root)
    return list(components.values())


def group_merges(components: list[set[str]], roots: dict[str, _Article]) -> list[tuple[str, str]]:
    """(leader, old root) per joined group: the senior original leads, the others' groups join it."""
    merges = []
    for members in components:
        if len(members) > 1:
            leader, *others = sorted((roots[r] for r in members), key=lambda a: a.seniority)
            merges.extend((leader.id, old.id) for old in others)
    return merges


def _verified_pairs(candidates: dict[str, list[str]], roots: dict[str, str],
                    bodies: dict[str, str], known: ShingleCache) -> list[tuple[str, str]]:
    """The candidate pairs that are copies; one verified pair per group is enough to join it.

    Shingles come from `known`, else from `bodies` (then kept in `known`)."""
    # Everything `known` has is taken first: keeping the bodies' shingles may push some out of it.
    wanted = {i for new_id, others in candidates.items() for i in (new_id, *others)}
    cache = {i: found for i in wanted if (found := known.get(i)) is not None}

    def shingles_of(article_id: str) -> frozenset[int]:
        if article_id not in cache:
            cache[article_id] = shingles(bodies[article_id])
            known.put(article_id, pack_shingles(cache[article_id]))
        return cache[article_id]

    pairs = []
    for new_id, others in candidates.items():
        joined: set[str] = set()
        for other in others:
            if roots[other] not in joined and are_copies(shingles_of(new_id), shingles_of(other)):
                pairs.append((new_id, other))
                joined.add(roots[other])
    return pairs


async def _merge(conn: aiosqlite.Connection, merges: list[tuple[str, str]], quote_balance: Counter[str]) -> None:
    """Each (leader, old root): the old root and its copies become copies of the leader, the most senior original."""
    if not merges:
        return
    await conn.executemany("UPDATE articles SET copy_of = ? WHERE copy_of = ? OR id = ?",
                           [(leader, old, old) for leader, old in merges])
    await _move_quotes(conn, [old for _, old in merges], -1, quote_balance)


async def promote_successors(conn: aiosqlite.Connection, leaving: Sequence[str], quote_balance: Counter[str],
                             switched: set[str]) -> None:
    """Before `leaving` are deleted: each leaving original hands its group to the most senior copy that stays
    (added to `switched`)."""
    gone = set(leaving)
    async with conn.execute(
            "SELECT id, published, ingested_at, copy_of FROM articles WHERE copy_of IN "
            "(SELECT value FROM json_each(?))", (json.dumps(sorted(gone)),)) as cur:
        copies = [_Article(*r) for r in await cur.fetchall()]
    groups: dict[str, list[_Article]] = {}
    for a in copies:
        if a.id not in gone:
            groups.setdefault(a.copy_of, []).append(a)
    leaders = []
    for old_root, members in groups.items():
        leader = min(members, key=lambda a: a.seniority)
        await conn.execute("UPDATE articles SET copy_of = ? WHERE copy_of = ?", (leader.id, old_root))
        await conn.execute("UPDATE articles SET copy_of = NULL WHERE id = ?", (leader.id,))
        leaders.append(leader.id)
    await _move_quotes(conn, leaders, +1, quote_balance)
    switched.update(leaders)
