"""Building FTS5 queries from what users type."""
from __future__ import annotations

import re
import sqlite3
import threading

_TERM = re.compile(r"[\w\u2019']+", re.UNICODE)
MAX_TERMS = 12


def words_query(text: str) -> str | None:
    """Every word of `text` as a quoted FTS5 term, ANDed: safe from FTS syntax.

    Used for topics and filters, where the user means "about these words".
    None when the text has no searchable word.
    """
    terms = [t.replace('"', "") for t in _TERM.findall(text or "")][:MAX_TERMS]
    terms = [t for t in terms if t.strip("'\u2019")]
    if not terms:
        return None
    return " AND ".join(f'"{t}"' for t in terms)


_probe = threading.local()


def fts_syntax_error(query: str) -> str | None:
    """Why `query` is not valid FTS5 for the sentences index, or None when it is.

    The query is tried on an empty in-memory index with the same column, so an error
    there is the query's fault, never the database's: a locked database or a full disk
    must not be reported to the user as a typo.
    """
    conn = getattr(_probe, "conn", None)
    if conn is None:
        conn = _probe.conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    try:
        conn.execute("SELECT rowid FROM probe WHERE probe MATCH ?", (query,)).fetchall()
    except sqlite3.OperationalError as exc:
        return str(exc)
    return None
