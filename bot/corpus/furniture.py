"""Tell article prose from page furniture in scraped text.

General rules over the shape of lines, not lists of particular pages:
- widget and call-to-action lines (player, share link, comment and newsletter
  prompts) are short and built from a small vocabulary of web furniture;
- photo captions come as a block of short lines around a credit line (©);
- related-headline blocks are runs of short Title Case lines with no closing
  punctuation; tag lists are short comma-separated items with no verb;
- a lone short line with no closing punctuation inside the text is a caption.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .furniture_words import END_OF_ARTICLE, TEASER_HEADERS

MAX_FURNITURE_WORDS = 25
MAX_CAPTION_WORDS = 8

_CALL_TO_ACTION = re.compile(
    r"""\b(?:listen\ live|short\ url|share\ (?:this|on|via)|sign\ up|subscribe|newsletter|never\ miss
    |follow\ us|join\ us\ on|download\ (?:our|the)\ app|leave\ a\ (?:reply|comment)|comments?\ via
    |\d+\ comments?\b|community\ standards|email\ address\ will\ not\ be\ published|required\ fields
    |click\ here|read\ more|keep\ you\ posted|keep\ you\ up\ to\ speed|all\ rights\ reserved|advertisement
    |cookie\ policy|privacy\ policy|terms\ of\ (?:use|service)|print\ this|want\ to\ know\ the\ latest
    |telegram\ channel|whatsapp\ channel|report\ an\ error|skip\ to\ content)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|(?:photo|image|picture|video|graphic)s?\s*(?:credit|courtesy|source)?\s*(?:to|by)?\s*:)",
    re.IGNORECASE,
)
_SOURCE_NOTE = re.compile(r"^(?:reference|source|sources|read also|see also|related|related articles?)\s*:", re.IGNORECASE)
_TERMINAL = tuple('.!?"\u201d\u2019\'):;…')
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or over the to up via vs with nor is are be its it".split()
)
_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*|\d[\w.,-]*")


def words(line: str) -> list[str]:
    return _WORD.findall(line)


@lru_cache(maxsize=4096)
def word_count(line: str) -> int:
    # Cached: cleaning asks the same lines' length many times over (main block, captions, lists).
    return len(_WORD.findall(line))


def ends_like_sentence(line: str) -> bool:
    return line.rstrip().endswith(_TERMINAL)


def is_call_to_action(line: str) -> bool:
    return word_count(line) <= MAX_FURNITURE_WORDS and bool(_CALL_TO_ACTION.search(line))


def is_credit(line: str) -> bool:
    return bool(_CREDIT.match(line.strip()))


def is_source_note(line: str) -> bool:
    return bool(_SOURCE_NOTE.match(line.strip())) and word_count(line) <= MAX_FURNITURE_WORDS


def is_headline_like(line: str) -> bool:
    """Short, no closing punctuation, and most content words capitalised."""
    ws = words(line)
    if not 2 <= len(ws) <= 20 or ends_like_sentence(line):
        return False
    content = [w for w in ws if w.lower() not in _SMALL_WORDS]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.7


def is_tag_list(line: str) -> bool:
    """`treaty, territorial dispute, visit, Japan, Russia`: short comma-separated items."""
    if ends_like_sentence(line) or line.count(",") < 3:
        return False
    items = [i.strip() for i in line.split(",")]
    return all(0 < len(i.split()) <= 4 for i in items)


_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,[^.]*(?:--|\u2014|\u2013)\s*$")


def is_dateline(line: str) -> bool:
    """`JOHANNESBURG, August 7 (Xinhua) --`: where and when the story was filed."""
    return bool(_DATELINE.match(line))


def is_lone_caption(line: str) -> bool:
    return 0 < word_count(line) <= MAX_CAPTION_WORDS and not ends_like_sentence(line) and not is_dateline(line)


def source_from_credit(line: str) -> str | None:
    """`© Sputnik / Someone` -> Sputnik; `photo credit to: https://www.example.com` -> example.com."""
    url = re.search(r"https?://(?:www\.)?([\w.-]+)", line)
    if url:
        return url.group(1)
    m = re.match(r"^\s*(?:©|\(c\))\s*([^/|,]+)", line, re.IGNORECASE)
    if m:
        name = m.group(1).strip()
        return name or None
    return None


# ---------------------------------------------------------------- the article's main block
# A prose line is long enough and ends like a sentence; the main block is the run of lines
# where prose outweighs everything else, each other line costing NON_PROSE_COST words.
MIN_PROSE_WORDS = 8
NON_PROSE_COST = 10
# A line this long with no closing punctuation is unknown: endless prose, or a page footer run together.
MIN_UNPUNCTUATED_PROSE_WORDS = 80
# One line outweighs no more than this: a long run-together footer must not pull in a menu.
MAX_LINE_WEIGHT = 40
# Prose has a sentence end every 20 to 30 words; a long line with one per 60 words or fewer is not prose.
MIN_RUN_TOGETHER_WORDS = 60
WORDS_PER_SENTENCE_END = 60
_TEASER_HEADER = re.compile("|".join(f"(?:{p})" for p in TEASER_HEADERS), re.IGNORECASE)
_END_OF_ARTICLE = re.compile("|".join(f"(?:{p})" for p in END_OF_ARTICLE), re.IGNORECASE)


def is_prose(line: str) -> bool:
    n = word_count(line)
    return n >= MIN_PROSE_WORDS and ends_like_sentence(line) and not is_run_together(line)


_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019')]*(?:\s|$)")


def is_run_together(line: str) -> bool:
    """Headlines or menus run into one long line: far fewer sentence ends than prose of its length."""
    n = word_count(line)
    return n >= MIN_RUN_TOGETHER_WORDS and len(_SENTENCE_END.findall(line)) * WORDS_PER_SENTENCE_END < n


def is_end_of_article(line: str) -> bool:
    """A comment-thread, related-stories or site-notice line: nothing after it is the article."""
    return word_count(line) <= MAX_FURNITURE_WORDS and bool(_END_OF_ARTICLE.search(line))


_AGENCY_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]*(?:,\s*[\w. ]+)?\s*\(\s*[A-Z][\w ]*\)\s*(?:--|_|\u2014|\u2013)?\s*$")
_DATA_ROW = re.compile(r"^[^:]{1,40}:(?:\s*[-+$€£]?\d[\d.,%]*.{0,20})?$")


def is_data_row(line: str) -> bool:
    """`Injured: 4,877` or a `KENYA:` subhead: a row of a table or list inside the article."""
    return word_count(line) <= MAX_CAPTION_WORDS and bool(_DATA_ROW.match(line))


_COUNT_SUFFIX = re.compile(r"\(\d[\d,]*\)$")


def is_list_item(line: str) -> bool:
    """`Monday 3 January`, `Total dead: 192`: a short line carrying a number, as in a list or table."""
    return (0 < word_count(line) <= MAX_CAPTION_WORDS and any(c.isdigit() for c in line)
            and not _COUNT_SUFFIX.search(line))


def list_runs(lines: list[str]) -> set[int]:
    """Indexes of lines in runs of two or more list items: lists and tables, not captions or headlines."""
    flags = [is_list_item(line) for line in lines]
    return {i for i, flag in enumerate(flags)
            if flag and ((i > 0 and flags[i - 1]) or (i + 1 < len(flags) and flags[i + 1]))}


def line_weight(line: str) -> int:
    """What a line adds to the main block: prose its words, data rows nothing, other lines a cost."""
    n = word_count(line)
    if _COUNT_SUFFIX.search(line):  # `Headline of another story (185)`: a teaser with its comment count
        return -NON_PROSE_COST
    if is_run_together(line) or n >= MIN_UNPUNCTUATED_PROSE_WORDS and not ends_like_sentence(line):
        return 0
    if is_prose(line) or (n >= 3 and ends_like_sentence(line) and not line.endswith(":")):
        return min(n, MAX_LINE_WEIGHT)
    if is_data_row(line) or is_dateline(line) or _AGENCY_DATELINE.match(line):
        return 0
    if n <= MAX_FURNITURE_WORDS and _TEASER_HEADER.search(line):
        return -MAX_LINE_WEIGHT  # only a good stretch of article after it outweighs a related-stories header
    return -NON_PROSE_COST


def main_block(lines: list[str], captions: set[int] = frozenset()) -> range:
    """The indexes of the article's lines: the heaviest run of prose, up to an end-of-article line,
    with the neutral lines (a dateline) just before it and the data rows just after it.
    Photo `captions` and lists of short numbered lines weigh nothing."""
    in_lists = list_runs(lines)
    neutral = set(captions) | in_lists
    weights = [0 if i in neutral else line_weight(line) for i, line in enumerate(lines)]
    best, start, end = 0, 0, len(lines)
    total, run_start = 0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, run_start = 0, i
        if is_end_of_article(line) and total > 0:
            total, run_start = 0, i + 1
            continue
        total += weights[i]
        if total > best:
            best, start, end = total, run_start, i + 1
    while (start > 0 and weights[start - 1] == 0 and start - 1 not in in_lists
           and not is_end_of_article(lines[start - 1])):
        start -= 1
    while end < len(lines) and is_data_row(lines[end]):
        end += 1
    return range(start, end)
