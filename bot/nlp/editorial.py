"""Sentences a summary must not lead with: the publisher speaking, or text broken by a cut.

The publisher's own voice ("X invites our readers to get acquainted with…",
"Subscribe to…", "Read the full story") is not the story; a scrape that cut
one sentence into another leaves a doubled word across the cut ("calls for
the The two leaders…"). Both are kept in the body and search, never shown as
a summary sentence.
"""
from __future__ import annotations

import re

# The publisher addressing its readers, inviting, promoting or signing off.
PROMOTIONAL = re.compile(
    r"\binvites? (?:our |its |the )?(?:readers|audience|viewers|listeners)\b"
    r"|\b(?:we|our editors?) (?:invite|encourage|recommend|suggest) (?:you|readers)\b"
    r"|\b(?:subscribe|sign up|register) (?:to|for|now)\b"
    r"|\bfollow us on\b|\bjoin us on\b|\blike us on\b"
    r"|\bread (?:the full|more|our)\b|\bclick here\b|\bdownload (?:our|the) app\b"
    r"|\bour (?:newsletter|podcast|weekly digest)\b",
    re.IGNORECASE,
)
# A lower-case word followed by the same word capitalised: "the The", "of Of".
_DOUBLED_ACROSS_CUT = re.compile(r"\b([a-z]+) ([A-Z][a-z]*)\b")


def is_promotional(sentence: str) -> bool:
    return bool(PROMOTIONAL.search(sentence))


def is_broken(sentence: str) -> bool:
    """True when the sentence runs into another through a cut ("which calls for the The two leaders")."""
    return any(m.group(1) == m.group(2).lower() for m in _DOUBLED_ACROSS_CUT.finditer(sentence))
