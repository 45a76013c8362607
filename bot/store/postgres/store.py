"""The PostgreSQL driver of `Store`: the corpus, the bot's state and the feeds in one PostgreSQL database."""
from __future__ import annotations

from .bot_state import PostgresBotState
from .corpus_queries import PostgresCorpusQueries
from .corpus_writes import PostgresCorpusWrites
from .feed_state import PostgresFeedState


class PostgresStore(PostgresCorpusWrites, PostgresCorpusQueries, PostgresBotState, PostgresFeedState):
    """Open with `await PostgresStore.open(dsn)` (a postgresql:// URL), close with `await store.close()`.

    Several bot processes may share the database: its constraints and locks keep them consistent.
    """
