"""Extractive summaries: pick the sentences that best stand for a text.

`summarize_article` scores each sentence of one article by how central its
words are to the article, how much it shares with the title and where it
sits (news puts the gist first), then picks the best ones while skipping
near-repeats. `summarize_many` does the same over sentences drawn from many
articles, optionally focused on a query.

Only real prose is ever picked: short lines, all-caps lines, lines without
end punctuation (headlines, captions, tag lists) and lines without anything
verb-like are left out even if the corpus layer let them through.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from .types import Doc

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say mr mrs ms dr one two would also told it's
    i'm we're they're he's she's that's there's don't didn't can't won't isn't wasn't""".split()
)

# Words that almost always signal a clause: auxiliaries and the commonest verbs.
VERBISH = frozenset(
    """is are was were be been being am has have had do does did will would shall should can could may
    might must said says say told tells tell made make makes took take takes gave give gives went go goes
    came come comes got get gets saw see sees knew know knows thought think thinks found find finds""".split()
)

# Openings and phrases of photo credits, captions and widgets.
FURNITURE = re.compile(
    r"^(image|photo|picture|video|watch|listen|read more|related|click|share|copyright|\u00a9|advertisement|"
    r"sign up|subscribe|follow us|tags?:|topics?:|see also)\b|getty images|\bap photo\b|\breuters/",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019]*")
END_PUNCT = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")

MIN_WORDS = 6
# Two sentences sharing more than this share of their content words say the same thing.
REDUNDANT_OVERLAP = 0.6


def _stem(word: str) -> str:
    """A deliberately crude stem so "talks"/"talk" and "islands"/"island" meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    out = []
    for w in WORD.findall(text.replace("\u2019", "'")):
        lw = w.lower()
        if lw not in STOPWORDS and len(lw) > 1:
            out.append(_stem(lw))
    return out


def is_prose(sentence: str) -> bool:
    """True for a real sentence; False for headlines, captions, tag lists and other furniture."""
    s = sentence.strip()
    words = WORD.findall(s)
    if len(words) < MIN_WORDS:
        return False
    if not END_PUNCT.search(s):
        return False
    letters = [c for c in s if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return False
    if FURNITURE.search(s):
        return False
    lower = [w.lower() for w in words]
    capitalised = sum(w[0].isupper() for w in words)
    if capitalised > 0.7 * len(words):
        return False
    return any(w in VERBISH or (w.endswith(("ed", "ing", "es")) and len(w) > 4) for w in lower) or any(
        w.endswith("s") and len(w) > 3 and w not in STOPWORDS for w in lower
    )


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set's words that the other one also has."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _pick(scores: dict[int, float], bags: dict[int, set[str]], n: int) -> list[int]:
    """Best-scoring indices first, skipping any that repeat an earlier pick."""
    chosen: list[int] = []
    for i in sorted(scores, key=lambda i: (-scores[i], i)):
        if len(chosen) >= n:
            break
        if any(_overlap(bags[i], bags[j]) > REDUNDANT_OVERLAP for j in chosen):
            continue
        chosen.append(i)
    return chosen


def summarize_article(doc: Doc, n: int | None = 3) -> list[int]:
    """Indices (in article order) of the `n` sentences that best summarise `doc`."""
    sentences = doc.sentences()
    candidates = [i for i, s in enumerate(sentences) if is_prose(s)]
    if n is None:
        n = 3
    if n <= 0 or not candidates:
        return []
    bags = {i: Counter(content_words(sentences[i])) for i in candidates}
    doc_bag: Counter = Counter()
    for bag in bags.values():
        doc_bag.update(bag.keys())
    title = set(content_words(doc.title or ""))
    scores: dict[int, float] = {}
    for rank, i in enumerate(candidates):
        bag = bags[i]
        # Centrality: likeness to the rest of the article (own words taken out).
        rest = doc_bag - Counter(bag.keys())
        centrality = _cosine(bag, rest)
        title_share = len(title & bag.keys()) / len(title) if title else 0.0
        position = 1.0 / (1.0 + rank)
        scores[i] = centrality + 0.3 * title_share + 0.5 * position
    word_sets = {i: set(bag) for i, bag in bags.items()}
    return sorted(_pick(scores, word_sets, n))


def summarize_many(candidates: Sequence[tuple[str, str]], n: int, query: str | None = None) -> list[int]:
    """Indices of `n` sentences (from many articles) that together cover the most, without repeats.

    `candidates` are (article_id, sentence) pairs. With a `query`, sentences sharing its words
    rank first. Picks spread over articles: a second sentence from an article already used
    only comes after every other article has had its turn.
    """
    if n <= 0 or not candidates:
        return []
    bags = {i: Counter(content_words(text)) for i, (_, text) in enumerate(candidates) if is_prose(text)}
    pool: Counter = Counter()
    for bag in bags.values():
        pool.update(bag.keys())
    query_words = set(content_words(query or ""))
    scores: dict[int, float] = {}
    for i, bag in bags.items():
        score = _cosine(bag, pool - Counter(bag.keys()))
        if query_words:
            hits = len(query_words & bag.keys()) / len(query_words)
            if not hits:
                continue
            score += 2.0 * hits
        scores[i] = score
    word_sets = {i: set(bag) for i, bag in bags.items()}
    chosen: list[int] = []
    used_articles: set[str] = set()
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    for allow_repeat_article in (False, True):
        for i in ranked:
            if len(chosen) >= n:
                return chosen
            if i in chosen or (not allow_repeat_article and candidates[i][0] in used_articles):
                continue
            if any(_overlap(word_sets[i], word_sets[j]) > REDUNDANT_OVERLAP for j in chosen):
                continue
            chosen.append(i)
            used_articles.add(candidates[i][0])
    return chosen
