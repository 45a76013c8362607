"""Split a paragraph into sentences.

A rule-based splitter: a sentence ends at `.`, `!` or `?` (plus any closing
quotes or brackets) when the next word starts like a sentence does, except
after a known abbreviation or a single initial ("Mr.", "U.S.", "J.").
"""
from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres
    gov't dept univ inc ltd co corp bros no nos vs etc al fig approx est
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.k u.n e.u d.c a.m p.m i.e e.g""".split()
)

# End punctuation, optional closing quotes/brackets, whitespace, then something
# that can open a sentence (capital, digit, opening quote or bracket; newswire
# archives write an opening quote as two single quotes: ''The).
_BOUNDARY = re.compile(r"""([.!?]+["'\u201d\u2019)\]]*)\s+(?=["'\u201c\u2018(\[]{0,2}[A-Z0-9\u0400-\u042f])""")
_LAST_WORD = re.compile(r"([\w.'\u2019]+)$")
# Two sentences pasted together without a space: "…from the Japan Times.Prime Minister Abe…".
# A lower-case word, a full stop, then a capitalised word; not inside a web address or an
# abbreviation ("Mrs.Smith"), which the callback checks.
_GLUED = re.compile(r"(?<![\w.])([A-Za-z]*[a-z]{2})\.(?=[A-Z][a-z]{2,}\b)")


def _unglue(text: str) -> str:
    def space(m: re.Match) -> str:
        word = m.group(1)
        if word.lower() in ABBREVIATIONS or word.lower() in ("www", "http", "https"):
            return m.group(0)
        return word + ". "
    return _GLUED.sub(space, text)


def _is_abbreviation(text_before: str) -> bool:
    m = _LAST_WORD.search(text_before)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # A single capital initial such as "J." in "J. Smith".
    return len(word) == 1 and m.group(1)[0].isupper()


def split_sentences(paragraph: str) -> list[str]:
    text = _unglue(" ".join(paragraph.split()))
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end_punct = m.group(1)
        if end_punct.startswith(".") and len(end_punct) == 1 and _is_abbreviation(text[start:m.start()]):
            continue
        out.append(text[start:m.end(1)])
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
