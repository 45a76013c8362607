"""The store: everything the bot keeps, behind one interface (`Store`, interface.py).

Callers import from here only, and read the records of records.py, whatever the driver.
`open_store` (opening.py) opens the driver `database:` names: the SQLite driver for a file
(`SqliteStore`: aiosqlite, schema and migrations, corpus writes and queries, bot state,
feeds), the PostgreSQL driver (`bot.store.postgres`, imported only then) for a
postgresql:// URL.
"""
from __future__ import annotations


from .bot_state import SqliteBotState
from .corpus import SEARCH_NOT_READ, CorpusChanges, CorpusStore, FileStats, SearchSyntaxError
from .corpus_queries import CorpusQueries
from .corpus_writes import ArticleRows, CorpusWrites, PreparedArticle, article_rows
from .database import SchemaTooNewError, StoreError, StoreWriteError, utc_now
from .feed_state import SqliteFeedState
from .fts import search_expression, text_matches
from .interface import FeedState, ProcessTurns, Store
from .records import (HIT_END, HIT_START, Article, ArticleHead, CorpusCounts, DateMention, EventRecord, EventSource,
                      ExportData, ExportDate, ExportQuote, FeedPollState, PersonMatch, PersonRecord, PooledQuote,
                      QuoteCandidate, QuoteRecord, SearchMatch, SeenEntry, SentenceHit, StorageInfo, StoredFeed, StoredFile,
                      StoredSentence)
from .schema import SCHEMA_VERSION
from .state import BotState, DigestSent, Subscription


class SqliteStore(CorpusWrites, CorpusQueries, SqliteBotState, SqliteFeedState):
    """The SQLite driver of `Store`: one database file (WAL), one writer and one reader connection."""


from .opening import describe_database, open_store  # noqa: E402  (opening.py needs SqliteStore)


__all__ = ["HIT_END", "HIT_START", "SCHEMA_VERSION", "SEARCH_NOT_READ", "Article", "ArticleHead", "ArticleRows",
           "BotState", "CorpusChanges", "CorpusCounts", "CorpusStore", "DateMention", "describe_database", "DigestSent", "EventRecord",
           "EventSource", "ExportData", "ExportDate", "ExportQuote", "FeedPollState", "FeedState", "FileStats",
           "PersonMatch", "PersonRecord", "PooledQuote", "PreparedArticle", "ProcessTurns", "QuoteCandidate", "QuoteRecord", "SchemaTooNewError",
           "SearchMatch", "SearchSyntaxError", "SeenEntry", "SentenceHit", "SqliteStore", "StorageInfo", "Store",
           "StoreError", "StoreWriteError", "StoredFeed", "StoredFile", "StoredSentence", "Subscription",
           "article_rows", "open_store", "search_expression", "text_matches", "utc_now"]
