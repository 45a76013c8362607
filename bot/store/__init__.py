"""The store: everything the bot keeps, behind one interface (`Store`, interface.py).

Callers import from here only, and read the records of records.py, whatever the driver.
`open_store` opens the SQLite driver (`SqliteStore`: aiosqlite, schema and migrations,
corpus writes and queries, bot state, feeds). The bot state also has a PostgreSQL
driver (`bot.store.postgres`) behind the same `BotState` interface.
"""
from __future__ import annotations

from pathlib import Path

from .bot_state import SqliteBotState
from .corpus import SEARCH_NOT_READ, CorpusChanges, CorpusStore, FileStats, SearchSyntaxError
from .corpus_queries import CorpusQueries
from .corpus_writes import ArticleRows, CorpusWrites, PreparedArticle, article_rows
from .database import SchemaTooNewError, StoreError, StoreWriteError, utc_now
from .feed_state import SqliteFeedState
from .fts import search_expression, text_matches
from .interface import FeedState, Store
from .records import (HIT_END, HIT_START, Article, ArticleHead, CorpusCounts, DateMention, EventRecord, EventSource,
                      ExportData, ExportDate, ExportQuote, FeedPollState, PersonMatch, PersonRecord, QuoteCandidate,
                      QuoteRecord, SearchMatch, SeenEntry, SentenceHit, StorageInfo, StoredFeed, StoredFile,
                      StoredSentence)
from .schema import SCHEMA_VERSION
from .state import BotState, DigestSent, Subscription


class SqliteStore(CorpusWrites, CorpusQueries, SqliteBotState, SqliteFeedState):
    """The SQLite driver of `Store`: one database file (WAL), one writer and one reader connection."""


async def open_store(database: Path | str) -> Store:
    """The store at `database` (a SQLite file, created if missing), migrated to this bot's schema."""
    return await SqliteStore.open(database)


__all__ = ["HIT_END", "HIT_START", "SCHEMA_VERSION", "SEARCH_NOT_READ", "Article", "ArticleHead", "ArticleRows",
           "BotState", "CorpusChanges", "CorpusCounts", "CorpusStore", "DateMention", "DigestSent", "EventRecord",
           "EventSource", "ExportData", "ExportDate", "ExportQuote", "FeedPollState", "FeedState", "FileStats",
           "PersonMatch", "PersonRecord", "PreparedArticle", "QuoteCandidate", "QuoteRecord", "SchemaTooNewError",
           "SearchMatch", "SearchSyntaxError", "SeenEntry", "SentenceHit", "SqliteStore", "StorageInfo", "Store",
           "StoreError", "StoreWriteError", "StoredFeed", "StoredFile", "StoredSentence", "Subscription",
           "article_rows", "open_store", "search_expression", "text_matches", "utc_now"]
