"""SQLite storage (aiosqlite): schema and migrations, corpus writes, queries, bot state."""
from __future__ import annotations

from .bot_state import BotState
from .corpus_queries import HIT_END, HIT_START, CorpusQueries, FtsSyntaxError
from .corpus_writes import CorpusWrites, PreparedArticle
from .database import SchemaTooNewError, StoreError, StoreWriteError
from .feed_state import FeedPollState, FeedState, SeenEntry, StoredFeed
from .schema import SCHEMA_VERSION


class Store(CorpusWrites, CorpusQueries, BotState, FeedState):
    """Everything the bot keeps. Open with `await Store.open(path)`, close with `await store.close()`."""


__all__ = ["HIT_END", "HIT_START", "SCHEMA_VERSION", "FeedPollState", "FtsSyntaxError", "PreparedArticle",
           "SchemaTooNewError", "SeenEntry", "Store", "StoreError", "StoreWriteError", "StoredFeed"]
