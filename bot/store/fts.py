"""Building FTS5 queries from what users type."""
from __future__ import annotations

import re

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
