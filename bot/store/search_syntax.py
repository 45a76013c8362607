"""What users type in /search, read once for every driver: words, "a phrase", OR, NOT, prefix*, parentheses.

The syntax is SQLite FTS5's query syntax (the first driver's). `parse()` checks the
text on an empty in-memory FTS5 index first (`fts.fts_syntax_error`), so a query
is refused on every driver exactly when, and with the message with which, SQLite
refuses it; a valid query then becomes a small tree that another driver renders
in its own dialect (PostgreSQL: `postgres.tsquery`).

FTS5 in short: a bareword or a "quoted string" is a phrase of the words in it; `*`
after one makes its last word a prefix; `+` joins phrases; phrases side by side
must all match (implicit AND, which binds tightest); then NOT, AND, OR, in that
order of precedence, all binary and left-associative; parentheses group; `text:`
(the only column) changes nothing and `-text:` matches nothing. `^` (first word of
the sentence) and NEAR(…) have no equivalent elsewhere, so they are refused with a
clear message by `parse()`, and searched by SQLite alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import SearchSyntaxError
from .database import bindable
from .fts import fts_syntax_error

# The sentences index's tokenizer (unicode61) keeps letters and digits; everything else separates words.
_WORD = re.compile(r"[^\W_]+")
_SPACE = " \t\n\r\f\v"
_SINGLE = "(){}:,+*-^"  # each is a token of its own
_OPERATORS = ("AND", "OR", "NOT")
COLUMN = "text"  # the one column of the sentences index


class UnsupportedSearch(SearchSyntaxError):
    """Valid FTS5 that only SQLite can search (`^`, NEAR); the message says so to the user."""


def _unsupported(what: str) -> UnsupportedSearch:
    return UnsupportedSearch(f"{what} is not supported on this database: use plain words, \"an exact phrase\", "
                             "OR, NOT, or a prefix like treat*.")


@dataclass(frozen=True)
class Term:
    word: str  # lower case, as the tokenizer splits words
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    terms: tuple[Term, ...]  # in order, adjacent; empty for a string without a word (FTS5 drops it)


@dataclass(frozen=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    left: Node  # matches `left` but not `right`
    right: Node


@dataclass(frozen=True)
class Nothing:
    """Matches no sentence (`-text:…`: every column but the only one)."""


Node = Phrase | And | Or | Not | Nothing


def words_of(text: str) -> list[str]:
    """The words of `text` as the sentences index splits and folds them (before stemming)."""
    return _WORD.findall(text.lower())


def parse(query: str) -> Node | None:
    """The tree of a valid FTS5 query; None when it matches nothing (no word, or `-text:` only).

    SearchSyntaxError when SQLite would refuse the query (with SQLite's message), or
    when it uses `^` or NEAR, which only SQLite can search.
    """
    query = bindable((query,))[0]  # a lone surrogate or a NUL can be neither bound nor matched
    problem = fts_syntax_error(query)
    if problem is not None:
        raise SearchSyntaxError(problem)
    parser = _Parser(_tokens(query), query)
    node = parser.expression()
    parser.expect_end()
    return _simplified(node)


# ---------------------------------------------------------------- reading
@dataclass(frozen=True)
class _Token:
    kind: str  # "word" (bareword), "string" (quoted), an operator name, or one of _SINGLE
    text: str = ""


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(query):
        c = query[i]
        if c in _SPACE:
            i += 1
        elif c in _SINGLE:
            tokens.append(_Token(c))
            i += 1
        elif c == '"':
            text, i = _quoted(query, i + 1)
            tokens.append(_Token("string", text))
        elif _bareword_char(c):
            start = i
            while i < len(query) and _bareword_char(query[i]):
                i += 1
            word = query[start:i]
            tokens.append(_Token(word) if word in _OPERATORS else _Token("word", word))
        else:
            raise _unreadable(query, f"unexpected {c!r}")
    return tokens


def _quoted(query: str, i: int) -> tuple[str, int]:
    """The text of a string starting after its opening quote ("" is a quote), and where it ends."""
    parts = []
    while True:
        end = query.find('"', i)
        if end < 0:
            raise SearchSyntaxError("unterminated string")
        parts.append(query[i:end])
        if query.startswith('""', end):
            parts.append('"')
            i = end + 2
        else:
            return "".join(parts), end + 1


def _bareword_char(c: str) -> bool:
    return ord(c) >= 0x80 or c.isascii() and (c.isalnum() or c == "_") or c == "\x1a"


def _unreadable(query: str, why: str) -> SearchSyntaxError:
    return SearchSyntaxError(f"cannot read the search {query!r}: {why}")


class _Parser:
    """Recursive descent over FTS5's grammar: or := and (OR and)*; and := not (AND not)*;
    not := primary (NOT primary)*; primary := [colspec] ( "(" or ")" | phrase phrase … )."""

    def __init__(self, tokens: list[_Token], query: str):
        self.tokens = tokens
        self.query = query
        self.at = 0

    def peek(self, offset: int = 0) -> str | None:
        i = self.at + offset
        return self.tokens[i].kind if i < len(self.tokens) else None

    def take(self, kind: str) -> _Token:
        if self.peek() != kind:
            raise _unreadable(self.query, f"expected {kind!r}")
        self.at += 1
        return self.tokens[self.at - 1]

    def expect_end(self) -> None:
        if self.peek() is not None:
            raise _unreadable(self.query, f"unexpected {self.peek()!r}")

    def expression(self) -> Node:
        node = self.conjunction()
        while self.peek() == "OR":
            self.at += 1
            node = Or(node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.peek() == "AND":
            self.at += 1
            node = And(node, self.negation())
        return node

    def negation(self) -> Node:
        node = self.primary()
        while self.peek() == "NOT":
            self.at += 1
            node = Not(node, self.primary())
        return node

    def primary(self) -> Node:
        if self.peek() == "(":
            return self.group()
        if self._colspec_ahead():
            start = self.at
            keep = self.colspec()
            if self.peek() == "(":
                node = self.group()
                return node if keep else Nothing()
            self.at = start  # the colspec of a phrase: read with it below
        # Side by side, a phrase without a word is dropped; anywhere else it matches nothing.
        nodes = [self.phrase_with_colspec()]
        while self.peek() in ("word", "string", "-", "{", "^"):
            nodes.append(self.phrase_with_colspec())
        nodes = [n for n in nodes if n != Phrase(())] or [Nothing()]
        node = nodes[0]
        for other in nodes[1:]:
            node = And(node, other)
        return node

    def group(self) -> Node:
        self.take("(")
        node = self.expression()
        self.take(")")
        return node

    def _colspec_ahead(self) -> bool:
        if self.peek() in ("-", "{"):
            return True
        return self.peek() in ("word", "string") and self.peek(1) == ":"

    def colspec(self) -> bool:
        """Reads `[-]name:` or `[-]{names}:`; whether the sentence column is searched."""
        negated = self.peek() == "-"
        if negated:
            self.at += 1
        if self.peek() == "{":
            self.at += 1
            names = []
            while self.peek() in ("word", "string"):
                names.append(self.tokens[self.at].text)
                self.at += 1
            self.take("}")
        else:
            names = [self.tokens[self.at].text]
            self.at += 1
        self.take(":")
        named = any(name.lower() == COLUMN for name in names)
        return named != negated

    def phrase_with_colspec(self) -> Node:
        keep = self.colspec() if self._colspec_ahead() else True
        if self._near_ahead():
            raise _unsupported("NEAR(…)")
        node = self.phrase()
        return node if keep or not node.terms else Nothing()

    def _near_ahead(self) -> bool:
        return self.peek() == "word" and self.tokens[self.at].text == "NEAR" and self.peek(1) == "("

    def phrase(self) -> Phrase:
        terms = self.phrase_part()
        while self.peek() == "+":
            self.at += 1
            terms += self.phrase_part()
        return Phrase(tuple(terms))

    def phrase_part(self) -> list[Term]:
        if self.peek() == "^":
            raise _unsupported("^ (a sentence's first word)")
        if self.peek() not in ("word", "string"):
            raise _unreadable(self.query, "expected a word or a \"phrase\"")
        words = words_of(self.tokens[self.at].text)
        self.at += 1
        prefix = self.peek() == "*"
        if prefix:
            self.at += 1
        terms = [Term(word) for word in words]
        if prefix and terms:
            terms[-1] = Term(terms[-1].word, prefix=True)
        return terms


# ---------------------------------------------------------------- simplifying
def _simplified(node: Node) -> Node | None:
    """The same matches without `Nothing` inside (FTS5's rules); None when it matches nothing."""
    if isinstance(node, Nothing):
        return None
    if isinstance(node, Phrase):
        return node if node.terms else None
    left, right = _simplified(node.left), _simplified(node.right)
    if isinstance(node, And):
        return None if left is None or right is None else And(left, right)
    if isinstance(node, Or):
        return left if right is None else right if left is None else Or(left, right)
    return None if left is None else left if right is None else Not(left, right)
