"""Which quotes repeat words another quote of the same sentence already shows.

A sentence like `X said it was "a good step"` yields a reported and a direct
quote; a reader needs the fuller one only. Every count and list of quotes
(/experts, /quotes, autocomplete, the digest) leaves the repeats out, so they
all count the same quotes; the export keeps them.
"""
from __future__ import annotations

from collections.abc import Sequence

from .types import Quote


def _words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def repeated_quotes(quotes: Sequence[Quote]) -> set[int]:
    """Indices of the quotes whose words another, longer quote of the same sentence contains."""
    by_sentence: dict[int, list[str]] = {}
    for q in quotes:
        by_sentence.setdefault(q.sentence, []).append(_words(q.text))
    out = set()
    for i, q in enumerate(quotes):
        mine = _words(q.text)
        if any(mine != other and mine in other for other in by_sentence[q.sentence]):
            out.add(i)
    return out
