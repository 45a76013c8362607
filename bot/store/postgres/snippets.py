"""Search snippets on PostgreSQL: the matched words of a sentence marked, around the first match.

`ts_headline` marks the words of the text as the index cut them (schema.py, migration 3:
every run of letters or digits one word), so it runs on that cut text; the marks are
then carried over to the sentence as written, word for word. The window of at most
`SNIPPET_WORDS` words, with an ellipsis where it cuts, is as SQLite's snippet shows.
"""
from __future__ import annotations

import re

from ..records import HIT_END, HIT_START

SNIPPET_WORDS = 24  # as SQLite's snippet(…, 24)
WORDS_BEFORE_HIT = 3
ELLIPSIS = "…"
_WORD = re.compile(r"[^\W_]+")
# The sentence as the index reads it (keep in step with the generated column `sentences.words`).
INDEXED_TEXT = (r"""regexp_replace(regexp_replace(lower({} COLLATE "und-x-icu"), '[^[:alnum:]]+', ' ', 'g'), """
                r"""'\m([[:alnum:]]s)\M', '\10', 'g')""")
HEADLINE_OPTIONS = f'StartSel="{HIT_START}", StopSel="{HIT_END}", HighlightAll=true'


def snippet(text: str, marked: str) -> str:
    """`text` with the words `marked` marks (ts_headline over the indexed words of `text`) marked alike."""
    hits = [word.startswith(HIT_START) for word in marked.split()]
    words = list(_WORD.finditer(text))
    if len(words) != len(hits):  # the two cuts disagree on some rare letter: show the sentence unmarked
        hits = [False] * len(words)
    first = next((i for i, hit in enumerate(hits) if hit), 0)
    start = max(0, min(first - WORDS_BEFORE_HIT, len(words) - SNIPPET_WORDS))
    end = min(len(words), start + SNIPPET_WORDS)
    out = [ELLIPSIS] if start > 0 else []
    position = words[start].start() if start > 0 and words else 0
    for i in range(start, end):
        word = words[i]
        out.append(text[position:word.start()])
        out.append(f"{HIT_START}{word.group()}{HIT_END}" if hits[i] else word.group())
        position = word.end()
    if end < len(words):
        out.append(ELLIPSIS)
    else:
        out.append(text[position:])
    return "".join(out)
