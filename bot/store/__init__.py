"""SQLite storage (aiosqlite): schema and migrations, corpus writes, queries, bot state.

The bot state also has a PostgreSQL driver (`bot.store.postgres`) behind the same `BotState` interface."""
from __future__ import annotations

from .bot_state import SqliteBotState
from .corpus_queries import HIT_END, HIT_START, CorpusQueries, FtsSyntaxError
from .corpus_writes import CorpusWrites, PreparedArticle
from .database import SchemaTooNewError, StoreError, StoreWriteError
from .feed_state import FeedPollState, FeedState, SeenEntry, StoredFeed
from .schema import SCHEMA_VERSION
from .state import BotState, DigestSent, Subscription


class Store(CorpusWrites, CorpusQueries, SqliteBotState, FeedState):
    """Everything the bot keeps. Open with `await Store.open(path)`, close with `await store.close()`."""


__all__ = ["HIT_END", "HIT_START", "SCHEMA_VERSION", "BotState", "DigestSent", "FeedPollState", "FtsSyntaxError",
           "PreparedArticle", "SchemaTooNewError", "SeenEntry", "Store", "StoreError", "StoreWriteError",
           "StoredFeed", "Subscription"]
