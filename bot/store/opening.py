"""One place that opens the store the configuration names: a SQLite file, or a PostgreSQL database.

`database` is what `bot.config` parsed: a `Path` (SQLite, the default) or a
postgresql:// URL (a plain string is a SQLite path too). The PostgreSQL driver, and so asyncpg, is imported only when
a URL asks for it.
"""
from __future__ import annotations

from pathlib import Path

from .database import StoreError
from .interface import Store


def is_postgres(database: Path | str) -> bool:
    """A postgresql:// (or postgres://) URL; anything else is a SQLite file path."""
    return isinstance(database, str) and database.split("://", 1)[0].lower() in ("postgresql", "postgres") \
        and "://" in database


def describe_database(database: Path | str) -> str:
    """Where the store lives, for messages and logs: a file path, or the URL without its password."""
    if is_postgres(database):
        from .postgres.database import describe
        return describe(database)
    return str(database)


async def open_store(database: Path | str) -> Store:
    """The store at `database` (a SQLite file is created if missing), migrated to this bot's schema;
    StoreError, phrased for an admin, when it cannot be opened."""
    if is_postgres(database):
        try:
            from .postgres.store import PostgresStore
        except ImportError as exc:  # a partial install
            raise StoreError(f"{describe_database(database)}: the PostgreSQL driver cannot be loaded ({exc}): "
                             "install the bot with its dependencies (pip install .)") from exc
        return await PostgresStore.open(database)
    from . import SqliteStore
    return await SqliteStore.open(database)
