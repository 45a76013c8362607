"""The one way text is shortened: at a word boundary, ending with "…"."""
from __future__ import annotations

ELLIPSIS = "…"
# A cut that would lose more than this share of the room cuts inside the word instead.
MAX_WORD_LOSS = 0.5


def clip(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its start cut after a whole word, plus "…"."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 0)
    cut = text[:room]
    if not text[room].isspace():
        start_of_word = cut.rfind(" ")
        if start_of_word > room * (1 - MAX_WORD_LOSS):
            cut = cut[:start_of_word]
    return cut.rstrip(" ,;:-–—") + ELLIPSIS
