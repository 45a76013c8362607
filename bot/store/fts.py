"""Building FTS5 queries from what users type."""
from __future__ import annotations

import re
import sqlite3
import threading

from .database import bindable

_TERM = re.compile(r"[\w\u2019']+", re.UNICODE)
MAX_TERMS = 12
# Characters and operators that show the user meant FTS5 syntax (and wants to hear when it is wrong).
SEARCH_SYNTAX = re.compile(r'["()*^:{}]|\b(?:AND|OR|NOT|NEAR)\b')
# The sentences index's tokenizer (schema.py): a filter must find what /search finds.
SENTENCE_TOKENIZER = "porter unicode61 remove_diacritics 2"
SEARCH_HELP = ("use plain words, \"an exact phrase\", OR, NOT, or a prefix like treat*; "
               "check that quotes and parentheses are balanced")


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
        conn.execute("SELECT rowid FROM probe WHERE probe MATCH ?", bindable((query,))).fetchall()
    except sqlite3.OperationalError as exc:
        return str(exc)
    return None


def search_expression(text: str) -> str:
    """The FTS5 query for what a user typed, read as /search reads it; ValueError saying why when unreadable.

    Valid FTS5 is taken as typed; text with no search syntax in it (`Putin's`, `U.S.`)
    means its words; anything else is an error for the user to fix.
    """
    text = (text or "").strip()
    if not text:
        raise ValueError("the search is empty")
    if fts_syntax_error(text) is None:
        return text
    plain = None if SEARCH_SYNTAX.search(text) else words_query(text)
    if plain is None:
        raise ValueError(f"cannot read the search {text!r}: {SEARCH_HELP}")
    return plain


_matcher = threading.local()


def text_matches(expression: str, text: str) -> bool:
    """Whether `text` matches the FTS5 `expression` (from search_expression), as a sentence would in /search.

    One throwaway row in an in-memory index with the sentences' tokenizer, so stemming,
    case and accents work exactly as in /search.
    """
    conn = getattr(_matcher, "conn", None)
    if conn is None:
        conn = _matcher.conn = sqlite3.connect(":memory:")
        conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(text, tokenize='{SENTENCE_TOKENIZER}')")
    with conn:
        conn.execute("DELETE FROM doc")
        conn.execute("INSERT INTO doc(text) VALUES (?)", (text,))
        return conn.execute("SELECT 1 FROM doc WHERE doc MATCH ?", (expression,)).fetchone() is not None
