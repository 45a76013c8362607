"""Which quotes repeat words another quote of the same sentence already shows.

A sentence like `X said it was "a good step"` yields a reported and a direct
quote; a reader needs one of them only: the quotation as spoken, which answers
show inside its sentence (so the reported words are there too). Between two
quotes of one kind, the longer one stays. Every count and list of quotes
(/experts, /quotes, autocomplete, the digest) leaves the repeats out, so they
all count the same quotes; the export keeps them.
"""
from __future__ import annotations

from collections.abc import Sequence

from .types import Quote


def _words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def repeated_quotes(quotes: Sequence[Quote]) -> set[int]:
    """Indices of the quotes another quote of the same sentence makes redundant: a reported quote
    around a direct one, else a quote whose words a longer quote of the same kind contains."""
    words = [_words(q.text) for q in quotes]
    out = set()
    for i, q in enumerate(quotes):
        for j, other in enumerate(quotes):
            if i == j or q.sentence != other.sentence or words[i] == words[j]:
                continue
            if q.kind == "indirect" and other.kind == "direct" and words[j] in words[i]:
                out.add(i)  # the spoken words, shown in their sentence, say all this one says
            elif words[i] in words[j] and not (q.kind == "direct" and other.kind == "indirect"):
                out.add(i)
    return out
