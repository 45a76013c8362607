"""Key dates across articles: one chronological list of events.

Several articles often report the same event ("the declaration was signed on
19 October 1956"). `build_timeline` merges date mentions that carry the same
normalised value and say much the same thing around it, keeps the clearest
sentence and lists every article that reported it. The events of one value
depend only on the mentions of that value (and the other dates of their own
sentences), so the store can rebuild the events of the values an article
touches and leave every other event as it is. `anniversaries` finds the
mentions that fall on a given month and day in any year (/onthisday).

A date a large archive mentions thousands of times is grouped in two steps, so
that a change costs what it touches, not what the date has gathered: its first
CORE_MENTIONS mentions (in the order given: first reported first) are its core.
The core alone decides how rare each word is, which events there are to join
and which sentence stands for each; every later mention joins the first core
event it matches or is an event of its own. A date with fewer mentions is
grouped as a whole, exactly as before the split. The store uses this to update
a busy date in place when only later mentions change (bot/store/events.py).
The price: a story that first appears after a date's core cannot gather the
later reports of the same story; each of them stands alone.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Collection, Iterable

from .dates import date_sort_key
from .summarize import STOPWORDS, content_words, is_prose


@dataclass(frozen=True, slots=True)
class TimelineMention:
    article_id: str
    article_title: str | None
    value: str  # ISO 8601 with X for unknown digits; START/END for ranges
    text: str  # the date as written, e.g. "October 19, 1956"
    sentence: str  # the sentence the date was found in
    sentence_idx: int | None = None  # where that sentence is in its article
    article_year: int | None = None  # when the article was written, where known


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    value: str
    label: str  # the date as written in the chosen sentence
    sentence: str  # the clearest sentence reporting the event
    articles: tuple[str, ...]  # every article that reported it, first reporter first
    source: TimelineMention | None = None  # the mention the sentence and label come from
    reports: tuple[TimelineMention, ...] = ()  # each article's first mention of it, in `articles` order


# A value a timeline can place: a (possibly partly unknown) year first.
PLACEABLE = re.compile(r"^[\dX]{4}(?:[-/]|$)")
MONTH_DAY = re.compile(r"^[\dX]{4}-(\d{2})-(\d{2})\b")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\b")

# When two sentences around one date value report the same event. Only the
# words beyond the date itself count, each weighted by how rare it is among
# all the mentions, so the story's own words ("Japan" in a corpus about
# Japan, "million" in earnings reports) count little; and figures must not
# disagree ("$2.3 million" / "$1.1 million" are different facts).
# - A full date (year, month and day known) is strong evidence in itself:
#   a fifth of the shorter sentence's weight in common is enough.
# - A full date of an earlier year than the article, written out in full
#   ("October 19, 1956", not "that Tuesday"), is a day the writer cites from
#   the past: a landmark. Two such citations are one occasion when they share
#   two words beyond the date (the parties, the place) and no figure
#   disagrees: reports of a day decades ago name the same parties in
#   different words ("the declaration signed on ...", "relations restored
#   on ..."). The days of current news still need the overlap above: on one
#   day in one place many things happen.
# - A day of an unknown year may be a different year: nearly a third.
# - A bare month or year is shared by many events: most of both must agree.
# Merely sharing the day is not enough: on a broad corpus, one "Tuesday"
# carries many unrelated stories.
SAME_DAY_MIN_SHARED = 2
FULL_DATE_OVERLAP = 0.2
SAME_DAY_OVERLAP = 0.3
VAGUE_DATE_JACCARD = 0.4
RARITY_PRIOR_MENTIONS = 30
RARITY_UNITS = 1 << 20  # weights are counted in millionths or so (see `_units`)
# Words compared by their first letters, so "Japan"/"Japanese" and
# "signed"/"signing" meet without a real stemmer.
MATCH_PREFIX = 5
# "the 1956 declaration", "a 2013 joint statement": the date names a thing.
DETERMINERS = frozenset("the a an this that its their his her our".split())
NAMED_THING_WORDS = 4
PHRASE_BREAK = re.compile(r"[,.;:!?()\"\u201c\u201d\[\]]")
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A mention is compared with the first this many events of its date; one that matches none
# starts an event of its own. Bounds the cost on a date that a large archive mentions
# thousands of times in different contexts.
MAX_EVENTS_COMPARED = 100
# The mentions of a date that decide its events (see the module's docstring): enough for the
# words' rarity to settle, few enough that re-grouping them after a change is quick.
CORE_MENTIONS = 300
# A best sentence longer than this is usually a run-on or a scraping accident.
LONG_SENTENCE_WORDS = 45


@dataclass(frozen=True, slots=True)
class _Signature:
    """What a mention says about its date, in a form cheap to compare."""

    words: frozenset[str]  # the sentence's content words, less the date's own
    # Words naming the thing a date modifies ("the 1956 Soviet joint declaration"):
    # all of them, and the common nouns among them (written in lower case).
    named_thing: frozenset[str]
    named_common: frozenset[str]
    numbers: frozenset[str]  # figures in the sentence other than the date's own
    cited_from_the_past: bool  # a full date written out in full, of a year before the article's


def normalise_value(value: str) -> str:
    return "".join(value.split()).upper()


def _precision(value: str) -> str:
    if FULL_DATE.match(value):
        return "full"
    return "day" if MONTH_DAY.match(value) else "vague"


def _match_words(text: str) -> set[str]:
    return {w[:MATCH_PREFIX] for w in content_words(text)}


def _named_thing(mention: TimelineMention) -> tuple[frozenset[str], frozenset[str]]:
    """Words right after a date used as a modifier ("the 1956 joint declaration" -> joint, declaration)."""
    sentence = mention.sentence
    at = sentence.lower().find(mention.text.lower()) if mention.text else -1
    if at < 0:
        return frozenset(), frozenset()
    before = WORD.findall(sentence[:at])
    if not before or before[-1].lower() not in DETERMINERS:
        return frozenset(), frozenset()
    after = PHRASE_BREAK.split(sentence[at + len(mention.text):], maxsplit=1)[0]
    every, common = set(), set()
    for word in WORD.findall(after)[:NAMED_THING_WORDS]:
        if word.lower() in STOPWORDS:
            break
        key = word.lower()[:MATCH_PREFIX]
        every.add(key)
        if word[0].islower():
            common.add(key)
    return frozenset(every), frozenset(common)


def _signature(mention: TimelineMention) -> _Signature:
    words = _match_words(mention.sentence) - _match_words(mention.text)
    own_numbers = set(NUMBER.findall(mention.text))
    numbers = set(NUMBER.findall(mention.sentence)) - own_numbers
    return _Signature(frozenset(words), *_named_thing(mention), frozenset(numbers),
                      _cited_from_the_past(mention, own_numbers))


def _mention_key(mention: TimelineMention) -> tuple:
    """What a mention's signature depends on besides its value (one value's mentions share it)."""
    return mention.sentence, mention.text, mention.article_year


def _cited_from_the_past(mention: TimelineMention, written_numbers: set[str]) -> bool:
    """A full date whose text shows its year and day (not "Tuesday"), of a year before the article's."""
    value = mention.value
    if not FULL_DATE.match(value) or mention.article_year is None or int(value[:4]) >= mention.article_year:
        return False
    day = int(value[8:10])
    return value[:4] in written_numbers and any(n.isdigit() and int(n) == day for n in written_numbers)


def _rarity(signatures: Iterable[_Signature]) -> dict[str, int]:
    """Inverse document frequency of each word over the mentions of one date, in RARITY_UNITS.

    Smoothed as if RARITY_PRIOR_MENTIONS more mentions lacked every word: among a
    handful of reports every shared word would otherwise look common, and the
    weights only start to tell a story's own words apart once a date has dozens.
    """
    counts: Counter = Counter()
    total = 0
    for signature in signatures:
        counts.update(signature.words)
        total += 1
    return {w: _units(math.log((total + RARITY_PRIOR_MENTIONS) / c)) for w, c in counts.items()}


def _units(weight: float) -> int:
    """A weight as a whole number: sums of them do not depend on the order of a set's words, which
    differs between processes, so a rebuild and an update in place always decide alike."""
    return round(weight * RARITY_UNITS)


def _same_event(a: _Signature, b: _Signature, precision: str, rarity: dict[str, int],
                weight_a: int, weight_b: int) -> bool:
    """`weight_a`, `weight_b`: the summed rarity of each one's words."""
    # The same thing named by the date; a shared proper name alone ("the 2016
    # Russia-Japan summit" / "the 2016 Russia-Japan trade deal") is not enough.
    if (a.named_common & b.named_thing) or (b.named_common & a.named_thing):
        return True
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        return False
    shared = a.words & b.words
    if not shared:
        return False
    if precision == "full" and a.cited_from_the_past and b.cited_from_the_past:
        return len(shared) >= SAME_DAY_MIN_SHARED
    if precision in ("full", "day"):
        needed = FULL_DATE_OVERLAP if precision == "full" else SAME_DAY_OVERLAP
        smaller = min(weight_a, weight_b)
        return len(shared) >= SAME_DAY_MIN_SHARED and sum(map(rarity.__getitem__, shared)) >= needed * smaller
    # (map, not a generator: this sum is most of the cost of grouping a busy date's mentions)
    in_both = sum(map(rarity.__getitem__, shared))
    return in_both >= VAGUE_DATE_JACCARD * (weight_a + weight_b - in_both)


def _cluster(signatures: list[_Signature], precision: str, rarity: dict[str, int],
             weights: list[int]) -> list[list[int]]:
    """Group mentions of one value into events: a mention joins the first event whose first
    mention it matches. Matching the first one, not any member, keeps loosely related
    mentions from chaining into one big event.
    """
    clusters: list[list[int]] = []
    # A mention that says exactly what an earlier one said joins the event that one joined
    # (the first events, and so the comparisons, are the same): repeats cost nothing.
    joined: dict[_Signature, int] = {}
    for i, signature in enumerate(signatures):
        known = joined.get(signature)
        if known is not None:
            clusters[known].append(i)
            continue
        for k, cluster in enumerate(clusters[:MAX_EVENTS_COMPARED]):
            first = cluster[0]
            if _same_event(signature, signatures[first], precision, rarity, weights[i], weights[first]):
                cluster.append(i)
                joined[signature] = k
                break
        else:
            clusters.append([i])
    return clusters


class ValueCore:
    """The first CORE_MENTIONS mentions of one value, grouped: what decides the events of that value."""

    def __init__(self, value: str, mentions: list[TimelineMention], signatures: list[_Signature]):
        self.value = value
        self.mentions = mentions
        self.signatures = signatures
        self.precision = _precision(value)
        self.rarity = _rarity(signatures)
        # A word no core mention uses weighs as if one did.
        self.unseen = _units(math.log(len(signatures) + RARITY_PRIOR_MENTIONS))
        self.weights = [self.weight(s) for s in signatures]
        self.clusters = _cluster(signatures, self.precision, self.rarity, self.weights)
        # What a later mention joined, by what decides it (`_mention_key`): the answer is remembered,
        # not the signature, which is several kilobytes of word sets where the answer is a number.
        self._joins: dict[tuple, int | None] = {}
        # The events a later mention can join share a word with its first mention, or name the same
        # thing (see `_same_event`): indexed, so a mention is compared with those only.
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._by_thing: dict[str, list[int]] = defaultdict(list)
        self._by_common: dict[str, list[int]] = defaultdict(list)
        for k, cluster in enumerate(self.clusters[:MAX_EVENTS_COMPARED]):
            first = signatures[cluster[0]]
            for index, words in ((self._by_word, first.words), (self._by_thing, first.named_thing),
                                 (self._by_common, first.named_common)):
                for word in words:
                    index[word].append(k)

    @classmethod
    def of(cls, value: str, mentions: list[TimelineMention]) -> ValueCore:
        """`mentions`: the value's kept mentions (`kept_mentions`) in order; only the first CORE_MENTIONS count."""
        core = mentions[:CORE_MENTIONS]
        said: dict[tuple, _Signature] = {}  # wire copies repeat sentences: each worked out once
        signatures = []
        for mention in core:
            key = _mention_key(mention)
            if key not in said:
                said[key] = _signature(mention)
            signatures.append(said[key])
        return cls(value, core, signatures)

    def weight(self, signature: _Signature) -> int:
        return sum(self.rarity.get(w, self.unseen) for w in signature.words)

    def event_of_mention(self, mention: TimelineMention) -> int | None:
        """The core event (index in `clusters`) a later mention joins; None: it is an event of its own."""
        key = _mention_key(mention)
        if key in self._joins:
            return self._joins[key]
        if len(self._joins) >= ValueGrouping.REMEMBERED:
            self._joins.clear()
        found = self._joins[key] = self._find_event(_signature(mention))
        return found

    def _find_event(self, signature: _Signature) -> int | None:
        candidates = set()
        for index, words in ((self._by_word, signature.words), (self._by_thing, signature.named_common),
                             (self._by_common, signature.named_thing)):
            for word in words:
                candidates.update(index.get(word, ()))
        found = None
        mine = self.weight(signature)
        for k in sorted(candidates):
            first = self.clusters[k][0]
            if _same_event(signature, self.signatures[first], self.precision, self.rarity, mine, self.weights[first]):
                found = k
                break
        return found

    def events(self) -> list[TimelineEvent]:
        """The core's own events, in the order they were founded."""
        return [_event(self.value, [self.mentions[i] for i in c], [self.signatures[i] for i in c])
                for c in self.clusters]


def _best(mentions: list[TimelineMention], signatures: list[_Signature]) -> TimelineMention:
    """Prefer real prose of a sane length, then the sentence agreeing most with the others for its size."""

    # How many other mentions share each word: a mention's agreement with all the
    # others is then the sum over its own words, in one pass instead of every pair.
    members_with: Counter = Counter(w for signature in signatures for w in signature.words)
    # Wire copies repeat sentences: judge each distinct sentence once.
    prose_of: dict[str, tuple[bool, bool]] = {}

    def agreement(i: int) -> float:
        words = signatures[i].words
        return -sum(members_with[w] - 1 for w in words) / (len(words) + 1) ** 0.5

    def kind(i: int) -> tuple[bool, bool]:
        sentence = mentions[i].sentence
        prose = prose_of.get(sentence)
        if prose is None:
            prose = prose_of[sentence] = (not is_prose(sentence), len(sentence.split()) > LONG_SENTENCE_WORDS)
        return prose

    if len(mentions) == 1:
        return mentions[0]
    # The best is the most agreeing sentence that is prose of a sane length; only when none is,
    # the order (prose, sane length, agreement) decides among all. Judging prose lazily, in the
    # order of agreement, usually looks at one sentence.
    order = sorted(range(len(mentions)), key=lambda i: (agreement(i), i))
    for i in order:
        if kind(i) == (False, False):
            return mentions[i]
    return mentions[min(order, key=lambda i: (*kind(i), agreement(i), i))]


def _drop_coarse_repeats(mentions: list[TimelineMention]) -> list[TimelineMention]:
    """Leave out "1956" ("60 years ago") when its sentence also gives the full date inside it."""
    values_by_sentence: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        values_by_sentence[(m.article_id, m.sentence)].add(m.value)
    return [
        m
        for m in mentions
        if not any(v.startswith(m.value + "-") for v in values_by_sentence[(m.article_id, m.sentence)])
    ]


def kept_mentions(mentions: Iterable[TimelineMention],
                  values: Collection[str] | None = None) -> dict[str, list[TimelineMention]]:
    """The mentions that can make events, by normalised value, in the order given.

    `values` (normalised): only these values; the other mentions given only tell which year is
    repeated by a full date of its own sentence (see `_drop_coarse_repeats`). Mentions whose value
    is not a calendar date are left out.
    """
    placeable = []
    for mention in mentions:
        value = normalise_value(mention.value)
        # A bare "XXXX" (some unknown year) cannot be placed.
        if PLACEABLE.match(value) and any(c.isdigit() for c in value):
            placeable.append(mention if value == mention.value else _with_value(mention, value))
    by_value: dict[str, list[TimelineMention]] = defaultdict(list)
    for mention in _drop_coarse_repeats(placeable):
        if values is None or mention.value in values:
            by_value[mention.value].append(mention)
    return by_value


def build_timeline(mentions: Iterable[TimelineMention], values: Collection[str] | None = None) -> list[TimelineEvent]:
    """Events in chronological order; one event reported by several articles appears once.

    `values` (normalised): build only the events of these values; the other
    mentions given only tell which year is repeated by a full date of its own
    sentence (see `_drop_coarse_repeats`).

    Values with an unknown year come after all dated ones, ordered by month
    and day; a month or year alone comes after the full dates inside it;
    ranges sort by their start. Mentions whose value is not a calendar date
    are ignored.
    """
    return events_of_values(kept_mentions(mentions, values))


def events_of_values(by_value: dict[str, list[TimelineMention]]) -> list[TimelineEvent]:
    """`build_timeline` from the kept mentions by value (`kept_mentions`), grouped one value at a time."""
    events: list[TimelineEvent] = []
    for value in sorted(by_value, key=date_sort_key):
        grouping = ValueGrouping(value)
        grouping.add(by_value[value])
        events.extend(grouping.events())
    return events


class ValueGrouping:
    """The events of one value from its kept mentions (`kept_mentions`), fed in order a batch at a time.

    Only the core and, for each event, its first mention per article are kept, not every mention
    nor what each says: a date mentioned 100,000 times is grouped in bounded memory.
    """

    # Repeated sentences (wire copies) are worked out once, up to this many remembered.
    REMEMBERED = 20_000

    def __init__(self, value: str):
        self.value = value
        self.core_mentions: list[TimelineMention] = []
        self.core: ValueCore | None = None
        self.joined: list[dict[str, TimelineMention]] = []  # per core event: article: its first later mention
        self.lone: list[TimelineMention] = []  # later mentions that joined no core event, in order

    def add(self, mentions: Iterable[TimelineMention]) -> None:
        for mention in mentions:
            if self.core is None:
                self.core_mentions.append(mention)
                if len(self.core_mentions) == CORE_MENTIONS:
                    self._close_core()
                continue
            k = self.core.event_of_mention(mention)
            if k is None:
                self.lone.append(mention)
            else:
                self.joined[k].setdefault(mention.article_id, mention)

    def _close_core(self) -> None:
        self.core = ValueCore.of(self.value, self.core_mentions)
        self.joined = [{} for _ in self.core.clusters]

    def events(self) -> list[TimelineEvent]:
        """The value's events, the most widely reported first, then the first founded."""
        if self.core is None:
            if not self.core_mentions:
                return []
            self._close_core()
        founded = []  # (event, order of founding)
        for k, (event, later) in enumerate(zip(self.core.events(), self.joined)):
            reports = dict(zip(event.articles, event.reports))
            for article_id, mention in later.items():
                reports.setdefault(article_id, mention)
            founded.append((_with_reports(event, reports), k))
        for i, mention in enumerate(self.lone, start=len(self.core.clusters)):
            founded.append((lone_event(mention), i))
        founded.sort(key=lambda pair: (-len(pair[0].articles), pair[1]))
        return [event for event, _ in founded]


def _with_reports(event: TimelineEvent, reports: dict[str, TimelineMention]) -> TimelineEvent:
    return TimelineEvent(value=event.value, label=event.label, sentence=event.sentence, articles=tuple(reports),
                         source=event.source, reports=tuple(reports.values()))


def order_of_events(events: list[tuple[int, int, tuple]]) -> list[int]:
    """Ranks of the events of one value from (articles reporting, founded in the core (0) or later (1), order
    of founding): the most widely reported first, then the first founded."""
    order = sorted(range(len(events)), key=lambda i: (-events[i][0], events[i][1], events[i][2]))
    ranks = [0] * len(events)
    for rank, i in enumerate(order):
        ranks[i] = rank
    return ranks


def lone_event(mention: TimelineMention) -> TimelineEvent:
    """The event of a later mention that joins no core event."""
    return _event(mention.value, [mention], [_signature(mention)])


def _event(value: str, members: list[TimelineMention], signatures: list[_Signature]) -> TimelineEvent:
    best = _best(members, signatures)
    first_mentions: dict[str, TimelineMention] = {}
    for m in members:
        first_mentions.setdefault(m.article_id, m)
    return TimelineEvent(value=value, label=best.text, sentence=best.sentence, articles=tuple(first_mentions),
                         source=best, reports=tuple(first_mentions.values()))


def _with_value(mention: TimelineMention, value: str) -> TimelineMention:
    return TimelineMention(mention.article_id, mention.article_title, value, mention.text, mention.sentence,
                           mention.sentence_idx, mention.article_year)


def anniversaries(mentions: Iterable[TimelineMention], month: int, day: int) -> list[TimelineMention]:
    """Mentions whose date (either end of a range) falls on this month and day, in any year.

    Oldest first; those with an unknown year last.
    """
    hits = []
    for mention in mentions:
        value = normalise_value(mention.value)
        for end in value.split("/"):
            m = MONTH_DAY.match(end)
            if m and int(m[1]) == month and int(m[2]) == day:
                hits.append(mention)
                break
    return sorted(hits, key=lambda m: date_sort_key(normalise_value(m.value)))


def event_sort_key(value: str) -> str:
    """`date_sort_key` as text that sorts the same way, for a database index."""
    group, year, month, day, text = date_sort_key(value)
    return f"{group}|{year:05d}|{month:03d}|{day:010.3f}|{text}"
