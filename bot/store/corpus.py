"""The corpus as one interface: the reads the answers need and the writes a reload makes.

SQLite (`SqliteStore`) implements it, and a PostgreSQL driver can: callers see only the
records of `records.py` and these operations, never SQL, a row type or a search dialect.
A topic is plain words (the store decides how to match them); a search is what the
user typed (words, "a phrase", OR, NOT, prefix*).
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

from .records import (Article, ArticleHead, CorpusCounts, DateMention, EventRecord, EventSource, ExportData,
                      PersonMatch, PersonRecord, PooledQuote, QuoteCandidate, QuoteRecord, SearchMatch, SentenceHit,
                      StorageInfo, StoredFile, StoredSentence)

if TYPE_CHECKING:
    from .corpus_writes import ArticleRows, PreparedArticle

# (article id, file size, file mtime in ns): a file whose bytes are unchanged but whose size or time on record is not.
FileStats = tuple[str, int | None, int | None]


class SearchSyntaxError(ValueError):
    """A search the store cannot read; the message says so to the user."""


SEARCH_NOT_READ = ("I couldn't read that search. Use plain words, \"an exact phrase\", OR, NOT, or a prefix like "
                   "treat*; check that quotes and parentheses are balanced.")


class CorpusChanges(Protocol):
    """The changes of one reload, inside one transaction (`CorpusStore.corpus_changes`)."""

    now: str  # the instant the reload stamps on what it writes

    async def remove(self, ids: Sequence[str]) -> None: ...

    async def insert(self, items: Sequence[ArticleRows]) -> None: ...

    async def record_file_stats(self, stats: Sequence[FileStats]) -> None: ...


class CorpusStore(Protocol):
    # ---------------------------------------------------------------- articles
    async def article_count(self) -> int: ...

    async def article(self, article_id: str) -> Article | None: ...

    async def article_extraction_counts(self, article_id: str) -> tuple[int, int]:
        """(quotes, dates) extracted from the article."""

    async def articles_titled(self, text: str, limit: int = 2) -> list[ArticleHead]:
        """Articles (copies too) whose label is `text`, ASCII case ignored."""

    async def articles_by_title(self, text: str, limit: int = 25) -> list[ArticleHead]:
        """Originals whose label starts with `text`, then those whose label or id contains it; newest first."""

    async def recent_articles(self, limit: int = 25, since: str | None = None) -> list[ArticleHead]:
        """Originals ingested after `since` (any time when None), newest ingest first."""

    async def carriers(self, article_id: str) -> list[ArticleHead]:
        """The other articles of this one's story (its original and copies), earliest published first."""

    async def sentences_of(self, article_id: str, indices: list[int] | None = None) -> list[StoredSentence]:
        """In order; only those of `indices` when given."""

    async def summary_sentences(self, limit_articles: int) -> list[SentenceHit]:
        """The summary sentences of the `limit_articles` most recently published originals."""

    # ---------------------------------------------------------------- full text
    async def topic_sentences(self, topic: str, limit: int = 60) -> list[SentenceHit]:
        """Sentences of originals with every word of `topic`, best first; [] when it has no word."""

    async def search(self, query: str, limit: int = 50) -> list[SearchMatch]:
        """Sentences of originals matching the search as typed, best first.

        Text with no search syntax in it (`Putin's`, `U.S.`) means its words; raises
        SearchSyntaxError when syntax was meant but cannot be read.
        """

    # ---------------------------------------------------------------- people and quotes
    async def people(self, limit: int = 500) -> list[PersonRecord]:
        """People quoted at least once, most quoted first."""

    async def all_people(self) -> list[PersonRecord]:
        """Everyone, by name."""

    async def person(self, person_id: int) -> PersonRecord | None:
        """Without aliases."""

    async def find_people(self, text: str, limit: int = 25) -> list[PersonMatch]:
        """People any of whose names equals, starts with, or contains `text`: best rank, then most quoted."""

    async def quotes_of(self, person_id: int, kind: str | None = None, topic: str | None = None,
                        limit: int = 1000) -> list[QuoteRecord]:
        """A person's quotes in originals (repeats left out), newest articles first; a topic keeps those
        whose sentence has all its words."""

    async def quote_pool(self, limit: int = 200) -> list[PooledQuote]:
        """Direct quotes of 40 to 400 characters by named people, newest ingest first."""

    async def quote_candidate(self, quote_id: int, name: str) -> QuoteCandidate | None:
        """One quote of the pool in full, said by the person named `name`; None when it is gone."""

    # ---------------------------------------------------------------- dates and timeline
    async def dates(self, year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                    topic: str | None = None, limit: int = 2000) -> list[DateMention]: ...

    async def events(self, year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                     topic: str | None = None, limit: int = 500) -> list[EventRecord]:
        """Chronological; a topic keeps events one of whose reporting sentences has all its words."""

    async def events_on(self, month: int, day: int, limit: int = 500) -> list[EventRecord]:
        """On a day of the year (any year), oldest first, unknown years last."""

    async def event_sources(self, event_ids: list[int], per_event: int = 50) -> list[EventSource]:
        """The first `per_event` articles reporting each event, by event, first reporter first."""

    # ---------------------------------------------------------------- export and status
    async def export(self) -> ExportData: ...

    async def corpus_counts(self) -> CorpusCounts: ...

    async def storage_info(self) -> StorageInfo: ...

    # ---------------------------------------------------------------- writes
    async def corpus_files(self) -> dict[str, StoredFile]:
        """Every stored article's file record, by article id (100,000 of them must come fast)."""

    async def record_file_stats(self, stats: Sequence[FileStats]) -> None: ...

    def corpus_changes(self, now: str | None = None, bulk: bool = False) -> AbstractAsyncContextManager[CorpusChanges]:
        """One transaction for a whole reload: readers see the previous corpus until it commits, an
        exception rolls it all back; people, outlet names and events are brought up to date at the end.
        `bulk`: much of the corpus is rewritten, so indexes may be rebuilt once instead of row by row."""

    async def apply_corpus_changes(self, upserts: Sequence[PreparedArticle], removals: Sequence[str]) -> None:
        """Replace `upserts` and delete `removals`, all or nothing."""
