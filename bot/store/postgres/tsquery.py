"""A parsed search (`..search_syntax`) as PostgreSQL tsquery text, for `to_tsquery('briefing', …)`.

Every word is a quoted lexeme, so nothing a user types can change the tsquery's
structure; `to_tsquery` then folds accents and stems each one with the same
configuration that indexed the sentences. Words of two letters ending in "s"
get the same mark as in the index (schema.py, migration 3): SQLite's stemmer
leaves words shorter than three letters alone, PostgreSQL's would make "as" "a".
"""
from __future__ import annotations

from ..fts import words_query
from ..search_syntax import And, Node, Not, Nothing, Or, Phrase, Term, parse

SHORT_WORD_MARK = "0"  # appended to a two-letter word ending in "s", in the index and in queries


def marked(word: str) -> str:
    return word + SHORT_WORD_MARK if len(word) == 2 and word.endswith("s") else word


def _lexeme(term: Term) -> str:
    word = term.word if term.prefix else marked(term.word)
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if term.prefix else quoted


def render(node: Node) -> str | None:
    """The tsquery text of `node`; None when it matches nothing."""
    if isinstance(node, Nothing):
        return None
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(_lexeme(t) for t in node.terms) + ")"
    left, right = render(node.left), render(node.right)
    if isinstance(node, And):
        return None if left is None or right is None else f"({left} & {right})"
    if isinstance(node, Or):
        return left if right is None else right if left is None else f"({left} | {right})"
    assert isinstance(node, Not)
    return None if left is None else left if right is None else f"({left} & !{right})"


def search_tsquery(query: str) -> str | None:
    """The tsquery text of a search as typed; SearchSyntaxError when it cannot be read; None if it matches nothing."""
    node = parse(query)
    return None if node is None else render(node)


def words_tsquery(text: str | None) -> str | None:
    """Every word of `text` must match, as `fts.words_query` reads topics and filters; None without a word."""
    query = words_query(text or "")
    return None if query is None else search_tsquery(query)
