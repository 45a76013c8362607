"""PostgreSQL storage (asyncpg): for several bot processes sharing one database.

So far the bot's own state (`PostgresBotState`, the `state.BotState` interface);
the corpus still lives in SQLite. The full driver will extend `PostgresBotState`
and append its tables to `schema.MIGRATIONS`.
"""
from __future__ import annotations

from .bot_state import PostgresBotState
from .database import PostgresDatabase, describe
from .schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "PostgresBotState", "PostgresDatabase", "describe"]
