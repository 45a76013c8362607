"""A short headline for an article without a title, made from its first sentence.

The dateline goes ("MOSCOW, Jan 18 (Reuters) -", "TOKYO —"); a sentence that fits
is kept whole; a longer one is cut at the last clause boundary (a comma, a dash,
"which", "before" ...; not "and", which often joins two names) that leaves a
headline of HEADLINE_MIN to HEADLINE_MAX characters; failing that, at a word
boundary with "…".
"""
from __future__ import annotations

import re

from ..clip import clip

HEADLINE_MIN = 40
HEADLINE_MAX = 80

_DASH = r"\s*(?:--|[-–—:])\s+"
_DATE_PART = r"(?:,\s*[\w .]{1,25}?)?"
_AGENCY = r"\s*\([A-Za-z][\w .&/-]{0,30}\)"
_DATELINE = re.compile(
    # "MOSCOW, Jan 18 (Reuters) - " or "NEW YORK — ": a place in capitals.
    rf"^(?:[A-Z][A-Z.'\-]{{2,}}(?:\s+[A-Z][A-Z.'\-]+){{0,3}}{_DATE_PART}(?:{_AGENCY})?{_DASH}"
    # "Tokyo, 18 January (Kyodo) — ": a place in ordinary case needs the agency.
    rf"|[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){{0,2}}{_DATE_PART}{_AGENCY}{_DASH})")
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[-–—]\s|\s(?=(?:but|which|who|that|while|after|before|until|since|because|when|where|amid|despite|following)\s)")


def headline(sentence: str) -> str:
    text = " ".join(sentence.split())
    shorter = _DATELINE.sub("", text, count=1)
    if len(shorter) >= HEADLINE_MIN // 2:  # a dateline with almost nothing after it is no dateline
        text = shorter
    text = text.rstrip(" .")
    if len(text) <= HEADLINE_MAX:
        return text
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text, 0, HEADLINE_MAX + 1)
              if HEADLINE_MIN <= m.start() <= HEADLINE_MAX]
    if breaks:
        return text[:breaks[-1]].rstrip(" ,;:-–—")
    return clip(text, HEADLINE_MAX)
