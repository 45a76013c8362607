"""Near-duplicate bodies: the same story carried by several outlets (wire copies, republished pages).

A body becomes the set of its word 5-grams ("shingles"), each hashed to 64 bits. Two bodies
are copies when most of the shorter one's shingles are in the longer one and neither is much
longer than the other (`are_copies`). An edited copy (another headline, byline, boilerplate,
a paragraph dropped or added) keeps most of its 5-grams; two stories on one topic share
names and phrases but almost no run of five words.

To find the candidates without comparing against every stored body, a body also gets a
MinHash signature (one-permutation hashing: each shingle hash falls into one of `BINS` bins,
each bin keeps its smallest hash; an empty bin borrows from the next bin that has one) cut
into `BANDS` bands of `ROWS` values. Each band is hashed into one key; bodies that share a key
are candidates, which `are_copies` then checks exactly. With 32 bands of 2 rows, a pair whose
shingle Jaccard is 0.35 shares a key with probability 0.98; one at 0.05, 0.08.
Pure functions: no I/O; the store keeps the keys in an indexed table.
"""
from __future__ import annotations

import hashlib
import operator
import re
import zlib
from itertools import repeat

SHINGLE_WORDS = 5
BINS = 64
ROWS = 2
BANDS = BINS // ROWS
# Below this many shingles (about 35 words) a body is too short to call a copy of anything.
MIN_SHINGLES = 30
# Two bodies are copies when this share of the shorter body's shingles is in the longer one ...
# Measured (bench/near_duplicates.py) on 761 real news articles: edited copies (new headline and
# byline, a paragraph dropped and one added, the last sentence reworded, a sign-off) keep 0.64 to
# 1.0; distinct stories on one topic reach 0.47 at most, except rewritten updates of one story.
MIN_CONTAINMENT = 0.6
# ... and the shorter has at least this share of the longer's shingles: an analysis that quotes
# a whole wire story, and adds as much again of its own, is a story of its own.
MIN_SIZE_RATIO = 0.5

# A candidate is checked exactly only when its signature puts the containment at this or more.
# From the estimated Jaccard J and the two sizes, containment = J (|A| + |B|) / ((1 + J) min).
# Its standard error over 64 values is about 0.10 at the loosest copy (containment 0.6 of a
# body half the other's size), so a copy is seldom missed; two bodies of one size sharing a
# fifth of their 5-grams (containment 0.33) pass one time in twenty.
MIN_ESTIMATED_CONTAINMENT = 0.45

_WORD = re.compile(r"\w+")
_VALUE_MASK = (1 << 58) - 1
_SECOND_CRC_START = 0x9E3779B9


def shingles(body: str) -> frozenset[int]:
    """The hashed word 5-grams of a body, case and punctuation ignored."""
    words = _WORD.findall(body.lower())
    # Each 5-gram's hash is two CRC-32s with different starting values, high and low: stable across
    # processes and Python versions (the keys are stored), and a third of the cost of a cryptographic
    # hash. Spelt out with map and zip: this runs on every body at ingest and on every candidate a
    # copy check reads back, and per-shingle function calls were most of its cost.
    grams = [g.encode("utf-8") for g in map(" ".join, zip(*(words[k:] for k in range(SHINGLE_WORDS))))]
    return frozenset([high << 32 | low for high, low in
                      zip(map(zlib.crc32, grams), map(zlib.crc32, grams, repeat(_SECOND_CRC_START)))])


def signature(body_shingles: frozenset[int]) -> tuple[int, ...]:
    """The MinHash of a body: `BINS` unsigned 64-bit values; empty for a body too short to compare.

    One-permutation hashing, densified by rotation (an empty bin borrows from the next bin).
    """
    if len(body_shingles) < MIN_SHINGLES:
        return ()
    bins: list[int | None] = [None] * BINS
    for h in body_shingles:
        b, value = h % BINS, (h // BINS) & _VALUE_MASK
        if bins[b] is None or value < bins[b]:
            bins[b] = value
    values = []
    for i in range(BINS):
        for distance in range(BINS):
            found = bins[(i + distance) % BINS]
            if found is not None:
                # The distance is part of the value, so a borrowed minimum never equals a real one.
                values.append(found + (distance << 58))
                break
    return tuple(values)


def band_keys(body_signature: tuple[int, ...]) -> tuple[int, ...]:
    """The LSH keys of a signature (signed 64-bit, as SQLite stores integers)."""
    keys = []
    for band in range(len(body_signature) // ROWS):
        rows = body_signature[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(f"{band}:{list(rows)}".encode("ascii"), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return tuple(keys)


def similarity_estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The share of equal signature values: an estimate of the two bodies' shingle Jaccard."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(map(operator.eq, a, b)) / len(a)


def may_be_copies(a: tuple[int, ...], a_size: int, b: tuple[int, ...], b_size: int) -> bool:
    """Whether two bodies, known by signature and shingle count, are worth checking with `are_copies`."""
    small, large = sorted((a_size, b_size))
    if small < MIN_SHINGLES or small < MIN_SIZE_RATIO * large:
        return False
    j = similarity_estimate(a, b)
    return j * (small + large) / ((1 + j) * small) >= MIN_ESTIMATED_CONTAINMENT


def are_copies(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two bodies (as their shingles) are one story: see MIN_CONTAINMENT and MIN_SIZE_RATIO."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) < MIN_SHINGLES or len(small) < MIN_SIZE_RATIO * len(large):
        return False
    return len(small & large) >= MIN_CONTAINMENT * len(small)
