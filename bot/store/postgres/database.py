"""Opening a PostgreSQL database (asyncpg): a connection pool, migrations, admin-readable errors.

The base every PostgreSQL driver class builds on, as `..database.Database` is
for SQLite: subclasses add the queries. Several bot processes may share one
database; the database's own constraints and locks keep them consistent.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import asyncpg

from ..database import SchemaTooNewError, StoreError, StoreWriteError, bindable
from .schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0  # seconds: a server that does not answer by then is reported, not waited for
MIGRATION_LOCK = 0x6B7572696C  # advisory lock key ("kuril") held while migrating
RELOAD_LOCK = MIGRATION_LOCK + 1  # held by the bot process reloading the corpus
FEED_POLL_LOCK = MIGRATION_LOCK + 2  # held by the bot process polling the feeds
POOL_SIZE = 10

# Errors of the connection rather than of the statement: the server went away or cannot be reached.
_CONNECTION_ERRORS = (OSError, asyncio.TimeoutError, asyncpg.InterfaceError,
                      asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError)

_HINTS = (  # SQLSTATE prefixes
    ("53", "the database server is out of resources (disk full, memory or connections): free some, then retry"),
    ("25006", "the database is read-only (a standby, or read-only by configuration): point `database:` "
              "at the primary"),
    ("42501", "the database user lacks a privilege: grant it, or use the user that owns the bot's tables"),
    ("57P", "the database server is shutting down or restarting: retry once it is back"),
    ("08", "the connection to the database server was lost: check that it is running"),
)


def describe(dsn: str) -> str:
    """The connection string without its password, for messages and logs."""
    try:
        parts = urlsplit(dsn)
        if parts.scheme not in ("postgres", "postgresql"):  # a key=value string may hold password=…
            return "the PostgreSQL database (its address is not a postgresql:// URL)"
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
    except ValueError:
        return "postgresql://(unreadable address)"
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def _refused(where: str, exc: BaseException) -> StoreWriteError:
    code = getattr(exc, "sqlstate", None) or ("08" if isinstance(exc, _CONNECTION_ERRORS) else "")
    hint = next((h for prefix, h in _HINTS if code.startswith(prefix)), "see the log for details")
    return StoreWriteError(f"{where}: cannot write to the database ({type(exc).__name__}: {exc}): {hint}. "
                           "Nothing was changed.")


def _is_refusal(exc: BaseException) -> bool:
    """A write the server refused or could not take, as opposed to a constraint the caller may expect."""
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return False
    return isinstance(exc, (asyncpg.PostgresError, *_CONNECTION_ERRORS))


def rows_changed(status: str) -> int:
    """The row count of a command tag such as 'INSERT 0 1' or 'DELETE 3'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


async def _version(conn: asyncpg.Connection) -> int:
    if await conn.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return await conn.fetchval("SELECT version FROM schema_version") or 0


def _not_newer(version: int, where: str) -> int:
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{where}: the database is at schema version {version}, newer than this bot understands "
            f"({SCHEMA_VERSION}). Upgrade the bot, or point `database:` at another database.")
    return version


async def migrate(conn: asyncpg.Connection, where: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to `target`; returns the version it had before. Processes take turns.

    A database already at `target` is only read, so a read-only one (a standby) opens too.
    """
    version = _not_newer(await _version(conn), where)
    if version >= target:
        return version
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        version = _not_newer(await _version(conn), where)  # another process may have migrated while we waited
        async with conn.transaction():
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            if await conn.fetchval("SELECT count(*) FROM schema_version") == 0:
                await conn.execute("INSERT INTO schema_version(version) VALUES (0)")
        for number in range(version + 1, target + 1):
            async with conn.transaction():
                await conn.execute(MIGRATIONS[number - 1])
                await conn.execute("UPDATE schema_version SET version = $1", number)
            log.info("database %s migrated to schema version %d", where, number)
        return version
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)


class PostgresDatabase:
    """A pool of connections; subclasses add the queries."""

    def __init__(self, where: str, pool: asyncpg.Pool):
        self.where = where  # the address without its password
        self._pool = pool

    @classmethod
    async def open(cls, dsn: str, pool_size: int = POOL_SIZE):
        where = describe(dsn)
        pool = None
        try:
            pool = await asyncpg.create_pool(dsn, min_size=1, max_size=pool_size, timeout=CONNECT_TIMEOUT)
            async with pool.acquire() as conn:
                await migrate(conn, where)
        except StoreError:
            await _close_pool(pool)
            raise
        except (asyncpg.PostgresError, ValueError, *_CONNECTION_ERRORS) as exc:
            await _close_pool(pool)
            raise StoreError(f"{where}: cannot open the database ({type(exc).__name__}: {exc})") from exc
        return cls(where, pool)

    async def close(self) -> None:
        await _close_pool(self._pool)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """One write transaction: everything in it lands, or nothing does.

        A server that refuses the write (out of disk, read-only, gone) raises
        StoreWriteError, phrased for an admin.
        """
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                yield conn
        except BaseException as exc:
            if _is_refusal(exc):
                raise _refused(self.where, exc) from exc
            raise

    async def fetch_all(self, sql: str, *args) -> list[asyncpg.Record]:
        try:
            return await self._pool.fetch(sql, *bindable(args))
        except _CONNECTION_ERRORS as exc:
            raise self._unreachable(exc) from exc

    async def fetch_one(self, sql: str, *args) -> asyncpg.Record | None:
        try:
            return await self._pool.fetchrow(sql, *bindable(args))
        except _CONNECTION_ERRORS as exc:
            raise self._unreachable(exc) from exc

    async def write(self, sql: str, *args) -> int:
        """A single statement in its own transaction; returns the rows changed."""
        async with self.transaction() as conn:
            return rows_changed(await conn.execute(sql, *bindable(args)))

    async def write_returning(self, sql: str, *args) -> asyncpg.Record | None:
        """A single statement with RETURNING in its own transaction; its first row, if any."""
        async with self.transaction() as conn:
            return await conn.fetchrow(sql, *bindable(args))

    def _unreachable(self, exc: BaseException) -> StoreError:
        return StoreError(f"{self.where}: cannot read from the database ({type(exc).__name__}: {exc}): "
                          "check that the server is running")

    # ---------------------------------------------------------------- turns between bot processes
    @asynccontextmanager
    async def reload_lock(self) -> AsyncIterator[float]:
        """The corpus reload's turn among every bot process on this database; yields the seconds waited.

        A process that asks while another reloads waits for it (and then finds little
        left to do). The lock is a session-level advisory lock on a connection kept for
        the reload: the server frees it when that connection ends, so a process killed
        mid-reload never leaves it taken.
        """
        started = time.monotonic()
        async with self._advisory_lock(RELOAD_LOCK, wait=True, what="a corpus reload") as waited:
            yield time.monotonic() - started if waited else 0.0

    @asynccontextmanager
    async def feed_poll_turn(self) -> AsyncIterator[bool]:
        """True: this process polls the feeds now; False: another one is polling (skip this round)."""
        async with self._advisory_lock(FEED_POLL_LOCK, wait=False, what="a feed poll") as waited:
            yield waited is not None

    @asynccontextmanager
    async def _advisory_lock(self, key: int, wait: bool, what: str) -> AsyncIterator[bool | None]:
        """Hold lock `key` for the block; yields whether it had to wait (None: not taken, `wait` being false)."""
        try:
            conn = await self._pool.acquire()
        except _CONNECTION_ERRORS as exc:
            raise self._unreachable(exc) from exc
        held = False
        try:
            try:
                held = await conn.fetchval("SELECT pg_try_advisory_lock($1)", key)
                waited = False
                if not held and wait:
                    log.info("waiting for %s running in another bot process", what)
                    await conn.execute("SELECT pg_advisory_lock($1)", key)
                    held = waited = True
            except _CONNECTION_ERRORS as exc:
                raise self._unreachable(exc) from exc
            yield waited if held else None
        finally:
            await self._unlock(conn, key, held)

    async def _unlock(self, conn: asyncpg.Connection, key: int, held: bool) -> None:
        try:
            if held:
                await conn.execute("SELECT pg_advisory_unlock($1)", key)
        except (asyncpg.PostgresError, *_CONNECTION_ERRORS) as exc:
            # The connection is gone, and the server freed the lock with it.
            log.warning("releasing an advisory lock failed (%s); dropping its connection", exc)
            conn.terminate()
        finally:
            # The pool resets a connection it takes back (pg_advisory_unlock_all among others), so a
            # lock granted just as a wait was cancelled does not outlive the block either.
            await self._pool.release(conn)


async def _close_pool(pool: asyncpg.Pool | None) -> None:
    if pool is None:
        return
    try:
        await asyncio.wait_for(pool.close(), CONNECT_TIMEOUT)
    except (asyncio.TimeoutError, OSError, asyncpg.InterfaceError):
        log.warning("closing the database pool took too long; closing its connections forcibly")
        pool.terminate()
