"""Answers as plain data: what a reply says, with no idea of how it is shown."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from operator import attrgetter


class UserError(Exception):
    """An expected problem with a request; the message is shown to the user as is."""


class NotFound(UserError):
    pass


def not_a_whole_number(value: object, option: str | None = None) -> str:
    """The one wording, in Discord and in the console, for a number that is not one."""
    return f"{option} must be a whole number, not {value!r}." if option else f"{value!r} is not a whole number."


def pickled_as_values(cls: type) -> type:
    """Pickle a frozen dataclass with slots as its class and its field values, rebuilt by `cls(*values)`.

    Answers cross to the answer workers and their pages come back (offloop.py), pickled on
    the process pool's threads, which share the interpreter lock with the event loop. By
    default such a class pickles through dataclasses' `__getstate__`/`__setstate__`, which
    look up the fields again for every object: a timeline of 500 entries took 2.3 ms to
    pickle and 2.5 ms to unpickle at 10,000 articles, as class and values 0.9 and 1.1 ms.
    """
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@pickled_as_values
@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    title: str | None
    published: str | None  # when it was published (front matter or page metadata); never a capture time
    source: str | None = None
    label: str | None = None  # the title, or the start of the first sentence
    captured: str | None = None  # when the page was saved, from its own timestamp line
    written_year: int | None = None  # the year an undated article's own words settle

    @property
    def display_title(self) -> str:
        return self.title or self.label or self.id

    @property
    def display_date(self) -> str | None:
        """The publication day; failing that, the year the text settles or the capture day, each said as such."""
        if self.published:
            return self.published[:10]
        if self.written_year:
            return f"written {self.written_year} (from the text)"
        if self.captured:
            return f"captured {self.captured_day}"
        return None

    @property
    def captured_day(self) -> str | None:
        """`2 June 2020`: the day the page was saved."""
        if not self.captured:
            return None
        day = dt.date.fromisoformat(self.captured[:10])
        return f"{day.day} {day:%B %Y}"


CHOICE_CHARS = 100  # Discord's limit for an autocomplete suggestion's name and value


@pickled_as_values
@dataclass(frozen=True, slots=True)
class Choice:
    """One autocomplete suggestion: what the user sees and what the command receives."""

    name: str
    value: str


@pickled_as_values
@dataclass(frozen=True, slots=True)
class SummaryLine:
    text: str
    article: ArticleRef


@pickled_as_values
@dataclass(frozen=True, slots=True)
class SummaryAnswer:
    heading: str
    lines: tuple[SummaryLine, ...]
    # For one article: the other articles of its story (copies, or the original it copies).
    also_carried_by: tuple[ArticleRef, ...] = ()


@pickled_as_values
@dataclass(frozen=True, slots=True)
class Expert:
    name: str
    role: str | None
    quote_count: int
    aliases: tuple[str, ...] = ()
    kind: str = "person"  # or "organisation" / "group" (bot/nlp/source_words.KINDS)


@pickled_as_values
@dataclass(frozen=True, slots=True)
class QuoteItem:
    text: str
    kind: str
    article: ArticleRef
    speaker: str | None = None
    role: str | None = None
    key: str = ""  # stable across re-ingest: article id, sentence, speaker
    # A direct quote interrupted by its attribution: each part as written, shown apart
    # ("...,” … “..."), never run together. Empty when the quote is one part (`text`).
    parts: tuple[str, ...] = ()
    # A quoted fragment ('He said Japan "would be willing to visit" the islands') shown in its
    # sentence: the words before, the quoted words as written, the words after. None when the
    # quote is a sentence of its own, shown as today.
    in_sentence: tuple[str, str, str] | None = None


@pickled_as_values
@dataclass(frozen=True, slots=True)
class QuotesAnswer:
    expert: Expert
    quotes: tuple[QuoteItem, ...]
    filters: str = ""
    truncated: bool = False  # only the newest quotes are listed


@pickled_as_values
@dataclass(frozen=True, slots=True)
class ExpertsAnswer:
    experts: tuple[Expert, ...]  # people
    sources: tuple[Expert, ...] = ()  # organisations and groups quoted, listed apart


@pickled_as_values
@dataclass(frozen=True, slots=True)
class TimelineEntry:
    value: str
    when: str  # the date in words
    sentence: str
    articles: tuple[ArticleRef, ...]  # the first reporters (at most answers.timeline.SOURCES_SHOWN)
    reports: int | None = None  # how many articles reported it, when more than `articles` lists


@pickled_as_values
@dataclass(frozen=True, slots=True)
class TimelineAnswer:
    heading: str
    entries: tuple[TimelineEntry, ...]
    truncated: bool = False


@pickled_as_values
@dataclass(frozen=True, slots=True)
class SearchHit:
    article: ArticleRef
    snippet: str  # search terms wrapped in HIT_START / HIT_END markers


@pickled_as_values
@dataclass(frozen=True, slots=True)
class SearchAnswer:
    query: str
    hits: tuple[SearchHit, ...]


@pickled_as_values
@dataclass(frozen=True, slots=True)
class ArticleAnswer:
    article: ArticleRef
    paragraphs: tuple[str, ...]
    summary: tuple[str, ...]
    quote_count: int
    date_count: int
    also_carried_by: tuple[ArticleRef, ...] = ()  # the other articles of its story, earliest first


# The digest names this many anniversaries and coming dates (each list, first ones first).
DIGEST_DATES = 5


@pickled_as_values
@dataclass(frozen=True, slots=True)
class DigestAnswer:
    day: dt.date
    new_articles: tuple[ArticleRef, ...]
    summary: tuple[SummaryLine, ...]
    quote: QuoteItem | None
    on_this_day: tuple[TimelineEntry, ...]  # the first DIGEST_DATES
    coming: tuple[TimelineEntry, ...]  # the first DIGEST_DATES
    from_archive: tuple[SummaryLine, ...] = ()  # on a day with nothing new: an older article, not yesterday's news
    extra: dict = field(default_factory=dict)


@pickled_as_values
@dataclass(frozen=True, slots=True)
class StatusAnswer:
    counts: dict
    last_ingest: str | None
    last_report: tuple[str, ...]
    database_bytes: int | None  # None when the database cannot tell
    schema_version: int
    extra: dict = field(default_factory=dict)  # filled by the caller: latency, uptime, loops
