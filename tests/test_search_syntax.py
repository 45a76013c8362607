"""The /search syntax read once for every driver: the parsed tree means what SQLite FTS5 means by the
query, and PostgreSQL finds the same sentences as FTS5 for it."""
from __future__ import annotations

import random
import re
import sqlite3

import asyncpg
import pytest

from bot.store.fts import SENTENCE_TOKENIZER, fts_syntax_error, words_query
from bot.store.postgres import PostgresDatabase
from bot.store.postgres.tsquery import render, search_tsquery, words_tsquery
from bot.store.search_syntax import And, Not, Nothing, Or, Phrase, SearchSyntaxError, Term, parse

SENTENCES = [
    "The peace treaty was signed in Moscow on 12 March 1956, officials said.",
    "Treaties between Japan and Russia remain unsigned; the talks are treated as routine.",
    "A well-known diplomat said the islands' status is unresolved.",
    "Putin's spokesman declined to comment on the U.S. proposal.",
    "The US and Japan held talks in Tokyo as expected.",
    "As well as fishing rights, the talks covered visa-free travel.",
    "Les négociations à Moscou ont échoué, said ÉTIENNE Dupré.",
    "МОСКВА и Токио возобновили переговоры о мирном договоре.",
    "The 3.5% tariff on seafood was cut to 2% by the ministry.",
    "Is it true that I expected a treaty by 2025? He asked.",
    "Running fishing boats near Shikotan is dangerous, the coast guard said.",
    "The fishermen ran their boats near the coast at dawn.",
    "Talks on a peace deal stalled after the sanctions.",
    "Sanctions on Russia were tightened; peace talks were suspended.",
    "Kuril islanders said they expect nothing from the talks.",
    "An e-mail from the ministry, sent to press@example.com, denied it.",
    "x_y coordinates and NEAR misses were logged by the radar.",
    "Prime minister Abe and President Putin met 27 times.",
    "The treaty's text was never published in full.",
    "She said \"peace is possible\" but gave no date.",
]

QUERIES = [
    "peace", "Peace", "treaty", "treaties", "treat*", "TREAT*", "treaty*", '"peace treaty"', '"peace talks"',
    "peace talks", "peace OR sanctions", "peace NOT treaty", "peace AND talks NOT sanctions",
    "talks OR peace NOT treaty", "(talks OR peace) NOT treaty", "fishing boats", '"fishing boats"', "run*",
    "running", "ran", '"well known"', '"known diplomat"', "well", '"well-known diplomat"',
    "us", "US", '"U.S."', "u", "is", "as", "as*", '"as well as"', '"is possible"', "i", "a", "s",
    '"Putin\'s"', "Putin’s", "putin", "Moscow", "moscou", "négociations", "negociations", "etienne", "dupre",
    "москва", "Москва", "МОСКВА", "переговоры", "3", '"3 5"', "2025", "press", '"example com"', "x_y",
    "x", "near", "NEAR", "text:peace", "-text:peace", "peace -text:talks", "peace + treaty", "pea* + treat*",
    '""', 'peace ""', '"" NOT peace', "talks NOT \"\"", "(peace)", "((peace OR treaty)) AND talks",
    "expect*", "expected", "said NOT (peace OR talks)", "times", "time", "abe putin", "e mail", '"e-mail"',
    "seafood tariff", "tariffs", "coast*", "islands", "island", "islanders",
]

INVALID = ['"peace', "peace AND (", "(peace", "peace)", "NOT peace", "peace OR", "AND", "peace.talks",
           "don't", "well-known", "foo:peace", "-peace", "+peace", "()", "peace (talks OR treaty)", "* peace"]
# The one known difference: PostgreSQL stems a prefix of two letters ending in "s" ("as*" is "a*" there).
SHORT_PREFIX = re.compile(r"(?<![^\W_])[^\W_][sS]\*")
# Valid FTS5 that only SQLite can search.
SQLITE_ONLY = ["^peace", "NEAR(peace treaty)", "NEAR(peace treaty, 3)", "talks NEAR(peace treaty)"]


@pytest.fixture(scope="module")
def fts5() -> sqlite3.Connection:
    """The sentences in an FTS5 index with the store's tokenizer."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(text, tokenize='{SENTENCE_TOKENIZER}')")
    conn.executemany("INSERT INTO doc(rowid, text) VALUES (?, ?)", list(enumerate(SENTENCES)))
    return conn


def fts5_matches(conn: sqlite3.Connection, query: str) -> set[int]:
    return {row[0] for row in conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,))}


def as_fts5(node) -> str:
    """A tree back as FTS5, every phrase quoted and every operation in parentheses."""
    if node is None:
        return '""'
    if isinstance(node, Nothing):
        return '(-text:"x")'
    if isinstance(node, Phrase):
        return " + ".join('"' + t.word + '"' + ("*" if t.prefix else "") for t in node.terms)
    operator = {And: "AND", Or: "OR", Not: "NOT"}[type(node)]
    return f"({as_fts5(node.left)}) {operator} ({as_fts5(node.right)})"


def random_queries(count: int, seed: int = 12) -> list[str]:
    """Queries made of the corpus' words and every piece of syntax, those FTS5 accepts."""
    rng = random.Random(seed)
    words = sorted({w for s in SENTENCES for w in s.split() if w.isalpha()})[:40]
    pieces = ["AND", "OR", "NOT", "(", ")", "*", "+", '"', "text:", "-text:", '""']
    queries: list[str] = []
    while len(queries) < count:
        parts = [rng.choice(words) if rng.random() < 0.55 else rng.choice(pieces) for _ in range(rng.randint(1, 9))]
        query = " ".join(parts).replace(" *", "*")
        if fts_syntax_error(query) is None and "NEAR" not in query:
            queries.append(query)
    return queries


def test_a_parsed_query_means_what_fts5_means_by_it(fts5):
    checked = 0
    for query in QUERIES + random_queries(400):
        node = parse(query)
        assert fts5_matches(fts5, as_fts5(node)) == fts5_matches(fts5, query), (query, node)
        checked += 1
    assert checked == len(QUERIES) + 400


def test_precedence_is_fts5s_implicit_and_then_not_then_and_then_or():
    p = [Phrase((Term(w),)) for w in "abcd"]
    assert parse("a OR b c") == Or(p[0], And(p[1], p[2]))
    assert parse("a NOT b c") == Not(p[0], And(p[1], p[2]))
    assert parse("a OR b NOT c AND d") == Or(p[0], And(Not(p[1], p[2]), p[3]))
    assert parse('"a b"* + c') == Phrase((Term("a"), Term("b", prefix=True), Term("c")))
    assert parse('-text:a OR b') == p[1]
    assert parse('"" OR "!!"') is None


@pytest.mark.parametrize("query", INVALID)
def test_an_invalid_query_gets_sqlites_own_message(query):
    expected = fts_syntax_error(query)
    assert expected is not None
    with pytest.raises(SearchSyntaxError) as raised:
        parse(query)
    assert str(raised.value) == expected


@pytest.mark.parametrize("query", SQLITE_ONLY)
def test_first_word_and_near_are_refused_with_a_clear_message(query):
    with pytest.raises(SearchSyntaxError, match=r"is not supported"):
        parse(query)


def test_every_word_is_quoted_so_no_input_can_change_the_tsquery():
    assert render(parse('"it\'s" OR o\u2019brien*')) == "(('it' <-> 's') | ('o' <-> 'brien':*))"
    assert search_tsquery("peace -text:talks") is None
    assert words_tsquery("Putin's war, 2025!") == "((('putin' <-> 's') & ('war')) & ('2025'))"
    assert words_query("!!") is None and words_tsquery("!!") is None


@pytest.fixture
async def pg_sentences(postgres_database):
    """The sentences in the PostgreSQL corpus tables (a raw insert: only the search is under test)."""
    database = await PostgresDatabase.open(postgres_database)
    async with database.transaction() as conn:
        await conn.execute("INSERT INTO articles(id, path, content_hash, body, ingested_at) "
                           "VALUES ('a', 'a.txt', 'h', 'body', '2026-01-01T00:00:00Z')")
        await conn.executemany("INSERT INTO sentences(article_id, idx, paragraph, text) VALUES ('a', $1, 0, $2)",
                               list(enumerate(SENTENCES)))
    yield database
    await database.close()


async def pg_matches(database: PostgresDatabase, tsquery: str | None) -> set[int]:
    if tsquery is None:
        return set()
    rows = await database.fetch_all("SELECT idx FROM sentences WHERE words @@ to_tsquery('briefing', $1)", tsquery)
    return {row["idx"] for row in rows}


@pytest.mark.postgresql
async def test_postgresql_finds_the_sentences_fts5_finds(fts5, pg_sentences):
    differences = {}
    for query in QUERIES + random_queries(150, seed=7):
        expected = fts5_matches(fts5, query)
        found = await pg_matches(pg_sentences, search_tsquery(query))
        if found != expected and not (SHORT_PREFIX.search(query) and found > expected):
            differences[query] = (sorted(expected), sorted(found))
    assert differences == {}
    assert await pg_matches(pg_sentences, search_tsquery("peace")) == {0, 12, 13, 19}


@pytest.mark.postgresql
async def test_topic_words_find_the_same_sentences_on_postgresql(fts5, pg_sentences):
    for topic in ["peace treaty", "Putin's spokesman", "the talks", "fishing, boats!", "U.S. proposal", "is as us"]:
        expected = fts5_matches(fts5, words_query(topic))
        assert await pg_matches(pg_sentences, words_tsquery(topic)) == expected, topic


@pytest.mark.postgresql
async def test_no_typed_text_breaks_the_tsquery(pg_sentences):
    for query in ["'", "\\", "':*", "a'b", "'peace' | 'x'", "é'\\'", "peace:*", "&|!<->"]:
        for tsquery in (words_tsquery(query),):
            if tsquery is not None:
                try:
                    await pg_matches(pg_sentences, tsquery)
                except asyncpg.PostgresError as exc:  # pragma: no cover - the failure being tested for
                    pytest.fail(f"{query!r} -> {tsquery!r}: {exc}")


def test_a_snippet_marks_the_matched_words_as_written_around_the_first_match():
    from bot.store.postgres.snippets import snippet
    assert snippet("Putin's spokesman, as usual, said", "\x02putin\x03 \x02s\x03 spokesman \x02as0\x03 usual said") == (
        "\x02Putin\x03'\x02s\x03 spokesman, \x02as\x03 usual, said")
    words = [f"w{i}" for i in range(60)]
    marked = " ".join(f"\x02{w}\x03" if i == 30 else w for i, w in enumerate(words))
    shown = snippet(" ".join(words) + ".", marked)
    assert shown == "…" + " ".join(words[27:30]) + " \x02w30\x03 " + " ".join(words[31:51]) + "…"
    assert snippet(" ".join(words) + ".", marked.replace("w58", "\x02w58\x03").replace("\x02w30\x03", "w30")).endswith(
        "\x02w58\x03 w59.")
    assert snippet("Ünï café", "\x02uni\x03") == "Ünï café", "cuts that disagree leave the sentence unmarked"
