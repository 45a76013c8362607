"""What the store hands back: frozen dataclasses, decoded, the same whichever database holds them.

No driver's row type and no JSON text leaves the store: a summary is a tuple of sentence
indexes, aliases and quote parts are tuples of strings. Every driver returns these.
"""
from __future__ import annotations

from dataclasses import dataclass

HIT_START, HIT_END = "\x02", "\x03"  # around the matched words of a search snippet; the renderer turns them bold


# ---------------------------------------------------------------- articles
@dataclass(frozen=True, slots=True)
class ArticleHead:
    """What names and dates an article in an answer."""
    id: str
    title: str | None
    label: str | None  # the title, or a headline made from the first sentence
    published: str | None
    captured: str | None
    written_year: int | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article, whole."""
    head: ArticleHead
    path: str
    content_hash: str
    published_kind: str | None
    body: str
    summary: tuple[int, ...]  # indexes of its summary sentences
    ingested_at: str
    host: str | None
    copy_of: str | None  # the original of the story when this article is a copy of it

    @property
    def id(self) -> str:
        return self.head.id


@dataclass(frozen=True, slots=True)
class StoredSentence:
    idx: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class SentenceHit:
    """A sentence of an article: for a corpus summary or a topic."""
    article: ArticleHead
    idx: int
    text: str


@dataclass(frozen=True, slots=True)
class SearchMatch:
    """A sentence that matches a search; `snippet` marks the matched words with HIT_START and HIT_END."""
    article: ArticleHead
    idx: int
    snippet: str


# ---------------------------------------------------------------- people and quotes
@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    name: str
    role: str | None
    quote_count: int
    kind: str
    aliases: tuple[str, ...] = ()  # the other names the person goes by


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A person whose names match typed text; rank 0: a name equals it, 1: starts with it, 2: contains it."""
    id: int
    name: str
    role: str | None
    quote_count: int
    kind: str
    rank: int


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    id: int
    article: ArticleHead
    sentence: int  # index of the sentence it stands in
    kind: str  # 'direct' | 'indirect'
    text: str
    parts: tuple[str, ...]  # the parts split by the attribution, as extracted; () when not split
    speaker: str | None  # the name the article used
    sentence_text: str | None


@dataclass(frozen=True, slots=True)
class PooledQuote:
    """A quote in the pool for the quote of the day: enough to tell whether it was shown lately."""
    id: int
    article_id: str
    sentence: int
    name: str  # the person's corpus-wide name


@dataclass(frozen=True, slots=True)
class QuoteCandidate:
    """A direct quote by a named person: a candidate for the quote of the day."""
    id: int
    article: ArticleHead
    sentence: int
    text: str
    parts: tuple[str, ...]
    name: str  # the person's corpus-wide name
    role: str | None
    sentence_text: str | None


# ---------------------------------------------------------------- dates and timeline
@dataclass(frozen=True, slots=True)
class DateMention:
    article: ArticleHead
    sentence_idx: int
    text: str
    value: str
    year: int | None
    month: int | None
    day: int | None
    sentence: str


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A timeline event: one date value as the corpus reports it."""
    id: int
    value: str
    year: int | None
    month: int | None
    day: int | None
    label: str
    sentence_text: str
    reports: int  # how many articles report it
    first_reported: str | None


@dataclass(frozen=True, slots=True)
class EventSource:
    event_id: int
    article: ArticleHead


# ---------------------------------------------------------------- export and status
@dataclass(frozen=True, slots=True)
class ExportQuote:
    article_id: str
    kind: str
    text: str
    sentence: int
    speaker: str | None  # the corpus-wide name; the article's own spelling where none is known


@dataclass(frozen=True, slots=True)
class ExportDate:
    article_id: str
    text: str
    value: str
    sentence: str  # the text of the sentence it was found in


@dataclass(frozen=True, slots=True)
class ExportData:
    """The whole corpus, ordered for a stable export."""
    articles: list[Article]  # by id
    people: list[PersonRecord]  # by name
    quotes: list[ExportQuote]  # by article, sentence, then as extracted
    dates: list[ExportDate]  # by article, then as extracted


@dataclass(frozen=True, slots=True)
class CorpusCounts:
    articles: int
    sentences: int
    people: int
    quotes: int
    dates: int


@dataclass(frozen=True, slots=True)
class StorageInfo:
    """Where the data lives, for admins."""
    engine: str  # 'SQLite', 'PostgreSQL'
    where: str  # a file path, or a database address without its password
    size_bytes: int | None  # None when the engine cannot tell


# ---------------------------------------------------------------- corpus files
@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the store remembers of a corpus file, to tell whether it changed."""
    content_hash: str
    size: int | None
    mtime_ns: int | None


# ---------------------------------------------------------------- feeds
@dataclass(frozen=True, slots=True)
class StoredFeed:
    url: str
    name: str | None
    every_minutes: int
    match: str | None
    added_by: int | None
    added_at: str


@dataclass(frozen=True, slots=True)
class FeedPollState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    failures: int = 0
    next_attempt: str | None = None
    new_articles: int = 0


@dataclass(frozen=True, slots=True)
class SeenEntry:
    updated: str | None
    outcome: str  # 'ingested' | 'filtered' | 'failed' | 'skipped'
    attempts: int
