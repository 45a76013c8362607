"""Opening the SQLite database: pragmas, migrations, one writer and one reader.

Reads go through their own connection, so while a reload writes its (single,
possibly long) transaction, queries keep answering from the last committed
corpus: that is what WAL mode gives us.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from .schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")


def utc_now() -> str:
    """Now, as the store writes instants: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """A database problem, phrased for an admin."""


class SchemaTooNewError(StoreError):
    pass


class StoreWriteError(StoreError):
    """The database refused a write; nothing of that write was kept."""


_HINTS = (
    ("full", "the disk is full (or the database reached its size limit): free some space, then reload"),
    ("readonly", "the database is read-only: check the permissions of the file and its folder"),
    ("read-only", "the database is read-only: check the permissions of the file and its folder"),
    ("i/o", "the disk reported an error: check it before reloading"),
    ("locked", "another program is writing to the database: stop it, or point `database:` at another file"),
    ("busy", "another program is writing to the database: stop it, or point `database:` at another file"),
    ("malformed", "the database file is damaged: restore a backup, or delete it and reload the corpus"),
)


def _is_refusal(exc: BaseException) -> bool:
    """A write the database itself refused, as opposed to a constraint the caller may expect (IntegrityError)."""
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


def _refused(path: Path, exc: BaseException) -> StoreWriteError:
    message = str(exc)
    hint = next((h for word, h in _HINTS if word in message.lower()), "see the log for details")
    return StoreWriteError(f"{path.name}: cannot write to the database ({message}): {hint}. "
                           "Nothing was changed; answers still come from the data already stored.")


async def _connect(path: Path, *, read_only: bool) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute("PRAGMA foreign_keys = ON")
    await conn.execute("PRAGMA busy_timeout = 5000")
    if read_only:
        await conn.execute("PRAGMA query_only = ON")
    return conn


async def migrate(conn: aiosqlite.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to `target`; returns the version it had before."""
    async with conn.execute("PRAGMA user_version") as cur:
        (version,) = await cur.fetchone()
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{path}: the database is at schema version {version}, newer than this bot understands "
            f"({SCHEMA_VERSION}). Upgrade the bot, or point `database:` at another file."
        )
    for number in range(version + 1, target + 1):
        script = MIGRATIONS[number - 1]
        await conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        log.info("database %s migrated to schema version %d", path, number)
    return version


def bindable(params: tuple | dict) -> tuple | dict:
    """Parameters as SQLite can take them, whatever a user typed.

    SQLite cannot bind a lone surrogate (Discord's JSON can carry one), and FTS5 and
    LIKE stop reading a pattern at a NUL. Neither can match stored text (the corpus
    layer strips them), so surrogates become U+FFFD and NULs are dropped.
    """
    if isinstance(params, dict):
        return {key: _bindable_value(value) for key, value in params.items()}
    return tuple(_bindable_value(value) for value in params)


def _bindable_value(value):
    if not isinstance(value, str) or (value.isascii() and "\x00" not in value):
        return value
    return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))


class Database:
    """The two connections; subclasses add the queries."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        # One connection writes; a reload's long transaction and a settings change must take turns.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str):
        path = Path(path)
        writer = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = await _connect(path, read_only=False)
            async with writer.execute("PRAGMA journal_mode = WAL") as cur:
                await cur.fetchone()
            await writer.execute("PRAGMA synchronous = NORMAL")
            await migrate(writer, path)
            reader = await _connect(path, read_only=True)
        except StoreError:
            if writer is not None:
                await writer.close()
            raise
        except (sqlite3.Error, OSError) as exc:
            if writer is not None:
                await writer.close()
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        return cls(path, writer, reader)

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            try:
                await conn.close()
            except (sqlite3.Error, ValueError):
                log.exception("closing the database")

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: everything in it lands, or nothing does.

        A database that refuses the write (full disk, read-only file, I/O error, locked)
        raises StoreWriteError, phrased for an admin; reads go on from what was committed.
        """
        async with self._write_lock:
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _refused(self.path, exc) from exc
            try:
                yield self._writer
                await self._writer.execute("COMMIT")
            except BaseException as exc:
                await self._rollback()
                if _is_refusal(exc):
                    raise _refused(self.path, exc) from exc
                raise

    async def _rollback(self) -> None:
        # SQLite may have ended the transaction itself (a full disk or an I/O error does).
        if not self._writer.in_transaction:
            return
        try:
            await self._writer.execute("ROLLBACK")
        except sqlite3.Error:
            log.exception("rolling back a failed write on %s", self.path)

    async def fetch_all(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        async with self._reader.execute(sql, bindable(params)) as cur:
            return list(await cur.fetchall())

    async def fetch_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        async with self._reader.execute(sql, bindable(params)) as cur:
            return await cur.fetchone()

    async def write(self, sql: str, params: tuple | dict = ()) -> int:
        """A single statement in its own transaction; returns the rows changed."""
        async with self.transaction() as conn:
            cur = await conn.execute(sql, bindable(params))
            return cur.rowcount

    # ---------------------------------------------------------------- turns between bot processes
    # A SQLite file serves one bot process: its loader already reloads one at a time and its feed
    # service polls one round at a time, and BEGIN IMMEDIATE orders the writes of any other program
    # on the file. (The PostgreSQL driver takes advisory locks here, for several processes.)
    @asynccontextmanager
    async def reload_lock(self) -> AsyncIterator[float]:
        """The corpus reload's turn; yields the seconds waited for another process (none here)."""
        yield 0.0

    @asynccontextmanager
    async def feed_poll_turn(self) -> AsyncIterator[bool]:
        """Whether this process polls the feeds now: always, with one process."""
        yield True

    async def integrity_ok(self) -> bool:
        row = await self.fetch_one("PRAGMA integrity_check")
        return row is not None and row[0] == "ok"
