"""PostgreSQL storage (asyncpg): the driver for several bot processes sharing one database.

`PostgresStore` is the whole `Store` interface on PostgreSQL: the corpus writes
(`PostgresCorpusWrites`), the corpus reads (`PostgresCorpusQueries`, with the SQLite
driver's results and order; searches read by `..search_syntax` and matched as
tsquery), the bot's own state (`PostgresBotState`) and the feeds (`PostgresFeedState`).
`PostgresDatabase` is their base: the pool, the migrations of `schema.py`, errors for admins.
"""
from __future__ import annotations

from .bot_state import PostgresBotState
from .corpus_queries import PostgresCorpusQueries
from .database import PostgresDatabase, describe
from .schema import SCHEMA_VERSION
from .store import PostgresStore

__all__ = ["SCHEMA_VERSION", "PostgresBotState", "PostgresCorpusQueries", "PostgresDatabase", "PostgresStore",
           "describe"]
