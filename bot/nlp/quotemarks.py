"""Where quotations start and end in a paragraph.

Handles straight and curly double quotes, single quotes used as quotation
marks (not apostrophes), a quote nested in another (kept inside the outer
one), and the newswire convention that a paragraph may open a quote and
leave it unclosed because the next paragraph continues it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "\u201c\u201e\u00ab"
_DOUBLE_CLOSE = "\u201d\u00bb"
_SINGLE_OPEN = "\u2018"
_SINGLE_CLOSE = "\u2019"
_ALL_MARKS = frozenset('"\'' + _DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE)
_OPEN_BEFORE = frozenset(" \t([{\u2014\u2013-/:;")  # what can come right before an opening mark
_CLOSE_AFTER = frozenset(" \t)]}.,;:!?\u2014\u2013-\u2026")  # what can follow a closing mark

_MARK_RE = re.compile("[" + re.escape("".join(sorted(_ALL_MARKS))) + "]")

MASK = "\x00"


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    open: int  # index of the opening mark (or 0 for a paragraph continuing a quote)
    close: int  # index of the closing mark, or len(text) when the quote runs on
    runs_on: bool  # unclosed at the end of the paragraph

    @property
    def start(self) -> int:
        return self.open + 1

    def text(self, paragraph: str) -> str:
        return paragraph[self.start:self.close]


def _looks_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPEN_BEFORE or before in _ALL_MARKS) and not after.isspace()


def _looks_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in _CLOSE_AFTER or after in _ALL_MARKS)


def find_quotes(text: str) -> list[QuoteSpan]:
    """Outermost quotations of one paragraph, in order."""
    marks = _MARK_RE.finditer(text)
    spans: list[QuoteSpan] = []
    depth_marks: list[str] = []  # opening marks of the quotes currently open
    outer_open = -1
    for m in marks:
        i = m.start()
        c = m.group()
        if c == '"':
            if depth_marks == ['"'] and _looks_opening(text, i) and not _looks_closing(text, i) \
                    and text[:i].rstrip()[-1:] in ".!?":
                # A new quotation opens while one is still open after a full stop: the first ran on
                # (newswire style, paragraphs run together). End it here and start the next.
                spans.append(QuoteSpan(outer_open, i - 1, False))
                outer_open = i
                continue
            if depth_marks and depth_marks[-1] == '"' and (_looks_closing(text, i) or not _looks_opening(text, i)):
                kind = "close"
            elif depth_marks and not _looks_opening(text, i):
                kind = "close"
            elif not depth_marks and _looks_closing(text, i) and not _looks_opening(text, i):
                continue  # a stray closing mark
            else:
                kind = "open"
        elif c in _DOUBLE_OPEN:
            # "... 51 percent.“": an opening mark in closing position closes.
            kind = "close" if depth_marks and _looks_closing(text, i) and not _looks_opening(text, i) else "open"
        elif c in _DOUBLE_CLOSE:
            # Some texts use the closing mark both ways.
            kind = "open" if not depth_marks and _looks_opening(text, i) and not _looks_closing(text, i) else "close"
        else:
            kind = _single_kind(text, i, c, depth_marks)
            if kind is None:
                continue
        if kind == "open":
            if not depth_marks:
                outer_open = i
            depth_marks.append(c)
        elif depth_marks:
            depth_marks.pop()
            if not depth_marks:
                spans.append(QuoteSpan(outer_open, i, False))
    if depth_marks and outer_open >= 0:
        if depth_marks[0] in "'\u2018":
            # An unclosed single mark was an apostrophe after all; keep any double quotes inside it.
            return spans + [s for s in find_quotes(text[outer_open + 1:]) if not s.runs_on]
        spans.append(QuoteSpan(outer_open, len(text), True))
    return spans


def _single_kind(text: str, i: int, c: str, open_marks: list[str]) -> str | None:
    """Single marks are quotation marks only in a clear opening/closing position."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return None  # don't, it's
    if open_marks and open_marks[-1] in "'\u2018":
        if not before.isspace() and (after in _CLOSE_AFTER or after in _ALL_MARKS):
            return "close"
        return None
    if any(m not in "'\u2018" for m in open_marks):
        return None  # single quotes inside a double quote stay part of it
    if c in "'\u2018" and (before in _OPEN_BEFORE or i == 0) and after.isalpha():
        return "open" if c == "\u2018" or _closes_later(text, i) else None
    return None


def _closes_later(text: str, i: int) -> bool:
    """A straight ' opens a quote only if a matching closing ' follows in the paragraph."""
    j = text.find("'", i + 1)
    while j != -1:
        after = text[j + 1] if j + 1 < len(text) else " "
        if not text[j - 1].isspace() and not (text[j - 1].isalpha() and after.isalpha()) and after in _CLOSE_AFTER:
            return True
        j = text.find("'", j + 1)
    return False


def mask_quotes(text: str, spans: list[QuoteSpan]) -> str:
    """The paragraph with every quotation (marks included) blanked out, same length."""
    if not spans:
        return text
    parts = []
    pos = 0
    for span in spans:
        parts.append(text[pos:span.open])
        end = min(len(text), span.close + 1)
        parts.append(MASK * (end - span.open))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
