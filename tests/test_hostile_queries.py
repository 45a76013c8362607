"""Hostile queries: FTS5 syntax, SQL metacharacters, huge and odd unicode options.

Whatever a user types, every answer function and every console command either answers
or raises answers.UserError (a message meant for the user); nothing else escapes, and
the SQL of the bot binds every user string as a parameter. The answers are tried on both store
drivers (`store_driver`); the console and the SQL checks on SQLite.
"""
from __future__ import annotations

import ast
import asyncio
import datetime as dt
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import answers
from bot.answers import UserError
from bot.console import COMMANDS, Session, run_line
from bot.ingest import CorpusLoader
from bot.export import export_document
from bot.render.pages import pages_for
from bot.store import Store, open_store

from .helpers import ROOT, copy_seeds
from .hostile_support import consistency_problems, corpus_snapshot, profile

# Pieces of FTS5 and SQL syntax, and characters that have broken search boxes before.
HOSTILE_PIECES = (
    '"', '""', "'", "*", "^", "-", "+", ":", "(", ")", "{", "}", "[", "]", ",", ";", "--", "/*", "*/", "%", "_",
    "\\", "NEAR", "NEAR(", "NEAR/3", "AND", "OR", "NOT", "MATCH", "text:", "{text}:", "{text title}:",
    "- text:", "sentences_fts:", "rowid:", "title:", "^treaty", "treat*", "*treaty", "\"peace treaty\"",
    "NEAR(peace treaty, 2)", "' OR 1=1 --", "'; DROP TABLE articles; --", "\"; DELETE FROM sentences; --",
    "%' OR '1'='1", "\x00", "\x1b[31m", "\u202e", "\u200b", "\ufeff", "\U0001F600", "\u6771\u4eac",
    "\u041c\u043e\u0441\u043a\u0432\u0430", "Kuril", "peace", "treaty", "Japan", "1956", "@everyone",
    "<@123>", "`", "|| ||", "\n", "\t",
)
hostile_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=0, max_size=12).map(" ".join),
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=12).map("".join),
    st.text(max_size=300),
    st.text(min_size=1, max_size=3).map(lambda t: t * 3000),  # very long
)
hostile_int = st.one_of(st.integers(-10, 3000), st.integers(), st.just(2**63), st.just(-(2**63) - 1))


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> tuple[Path, Path]:
    """A database holding the seeds plus an article written to tempt injections."""
    root = tmp_path_factory.mktemp("queries")
    corpus = copy_seeds(root / "corpus")
    (corpus / "tricky.txt").write_text(
        "---\ntitle: \"Robert'); DROP TABLE articles;--\"\npublished: 2021-03-05\n---\n"
        "The 100% figure_ was quoted as \"peace * treaty\" NEAR the islands, officials said on Monday.\n\n"
        "\"It's {text}: a test,\" said Marta O'Neill, the harbour's spokeswoman.\n", encoding="utf-8")
    db = root / "bot.sqlite3"

    async def load():
        async with await open_store(db) as store:
            await CorpusLoader(store, corpus, workers=1).reload()

    asyncio.run(load())
    return db, corpus


@pytest.fixture(scope="module")
def postgres_corpus(corpus_db, postgres_server) -> str:
    """The same corpus in a database on the throwaway PostgreSQL server; its connection string."""
    from bot.store.postgres import PostgresStore
    _, corpus = corpus_db
    name = f"hostile_{secrets.token_hex(4)}"
    dsn = postgres_server.create_database(name)

    async def load():
        async with await PostgresStore.open(dsn) as store:
            await CorpusLoader(store, corpus, workers=1).reload()

    # In a thread of its own: an async test may be the first to ask for it, inside its event loop.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, load()).result()
    yield dsn
    postgres_server.drop_database(name)


def opener(driver: str, request, corpus_db):
    """Opens the corpus of `corpus_db` on `driver`: `async with await opener(...)() as store`."""
    if driver == "sqlite":
        return lambda: open_store(corpus_db[0])
    from bot.store.postgres import PostgresStore
    dsn = request.getfixturevalue("postgres_corpus")
    return lambda: PostgresStore.open(dsn)


async def _answers_for(store: Store, text: str, number: int, day: dt.date, today: dt.date = dt.date(2020, 10, 19)
                       ) -> list:
    """Every answer function, fed `text` (and `number`, `day`) wherever it takes user input.

    `today` comes from the clock, not from users: it stays a realistic date.
    """
    calls = [
        lambda: answers.search(store, text),
        lambda: answers.summary(store, text),
        lambda: answers.summary(store, None, 3, text),
        lambda: answers.summary(store, "tricky", 3, text),
        lambda: answers.summary(store, None, number),
        lambda: answers.find_article(store, text),
        lambda: answers.article(store, text),
        lambda: answers.article_choices(store, text),
        lambda: answers.quotes_by(store, text),
        lambda: answers.quotes_by(store, "O'Neill", text),
        lambda: answers.quotes_by(store, "O'Neill", None, text),
        lambda: answers.resolve_expert(store, text),
        lambda: answers.expert_choices(store, text),
        lambda: answers.timeline(store, number),
        lambda: answers.timeline(store, None, number, number + 1 if number < 2**62 else None),
        lambda: answers.timeline(store, None, None, None, text),
        lambda: answers.on_this_day(store, day),
        lambda: answers.coming_dates(store, today),
        lambda: answers.digest(store, today, since=text, guild_id=number if -(2**63) <= number < 2**63 else None),
        lambda: answers.quote_of_the_day(store, today, None),
    ]
    results = []
    for call in calls:
        try:
            results.append(await call())
        except UserError as exc:
            assert str(exc).strip(), "a user error says what is wrong"
    return results


@profile(2)
@given(hostile_text, hostile_int, st.dates(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_no_exception_but_user_error_escapes_an_answer(corpus_db, store_driver, request, text, number, day, today):
    open_corpus = opener(store_driver, request, corpus_db)

    async def run():
        async with await open_corpus() as store:
            for result in await _answers_for(store, text, number, day, today):
                if type(result).__name__.endswith("Answer"):
                    pages_for(result)  # and the reply can be drawn

    asyncio.run(run())


@pytest.mark.parametrize("query", [
    '"peace', "peace)", "(peace", "NEAR(peace", "peace AND", "OR", "NOT peace", "*", "^", "text:peace",
    "{text}: peace", "nosuchcolumn:peace", "peace treaty\"", "' OR 1=1 --", "'; DROP TABLE articles; --", "\x00",
    "\"\"", "-peace", "+peace", "peace:", "a" * 200,
])
async def test_fts_syntax_is_answered_or_refused_kindly(corpus_db, store_driver, request, query):
    async with await opener(store_driver, request, corpus_db)() as store:
        try:
            result = await answers.search(store, query)
        except UserError as exc:
            assert "select" not in str(exc).lower() and "fts5" not in str(exc).lower(), "no SQL in a user message"
        else:
            assert result.query == query.strip()


async def test_injection_attempts_change_nothing(corpus_db, store_driver, request):
    db, _ = corpus_db
    before = corpus_snapshot(db)
    async with await opener(store_driver, request, corpus_db)() as store:
        exported = await export_document(store)
        for text in ("'; DROP TABLE articles; --", "\"; DELETE FROM sentences; --", "x') OR 1=1; --",
                     "Robert'); DROP TABLE articles;--"):
            await _answers_for(store, text, 1956, dt.date(2020, 10, 19))
        found = await answers.find_article(store, "Robert'); DROP TABLE")
        assert await export_document(store) == exported
    assert found.id == "tricky", "a title full of SQL is just a title"
    assert corpus_snapshot(db) == before
    assert consistency_problems(db) == []


async def test_a_quote_by_a_name_with_an_apostrophe_is_found(corpus_db, store_driver, request):
    async with await opener(store_driver, request, corpus_db)() as store:
        result = await answers.quotes_by(store, "O'Neill")
    assert any("{text}: a test" in q.text for q in result.quotes)


async def test_like_wildcards_match_only_themselves(corpus_db, store_driver, request):
    async with await opener(store_driver, request, corpus_db)() as store:
        assert await answers.article_choices(store, "%") == []
        underscored = await answers.article_choices(store, "_")
        assert all("_" in c.value or "_" in c.name for c in underscored), "_ is a character, not any character"
        with pytest.raises(UserError):
            await answers.resolve_expert(store, "%")


async def test_a_lone_surrogate_is_refused_as_a_user_error(corpus_db, store_driver, request):
    """Discord's JSON can carry one; neither database can store or match it."""
    async with await opener(store_driver, request, corpus_db)() as store:
        await _answers_for(store, "peace \ud800 treaty", 1956, dt.date(2020, 1, 1))


# ---------------------------------------------------------------- the console


def _option_values():
    return st.one_of(hostile_text, hostile_int.map(str), st.dates().map(str))


console_lines = st.builds(
    lambda name, options, bare: " ".join(
        [f"/{name}"] + ([bare] if bare else [])
        + [f"{key}:{value}" for key, value in options]),
    st.sampled_from(sorted(COMMANDS)),
    st.lists(st.tuples(st.sampled_from(sorted({o.name for c in COMMANDS.values() for o in c.options} | {"bogus"})),
                       _option_values()), max_size=4),
    st.none() | hostile_text,
)


@profile(2)
@given(st.one_of(console_lines, hostile_text))
def test_every_console_command_answers_any_options(corpus_db, line):
    db, corpus = corpus_db
    if "reload" in line:
        line = line.replace("reload", "status")  # a reload is exercised elsewhere; keep this fast

    async def run():
        async with await open_store(db) as store:
            session = Session(store, CorpusLoader(store, corpus, workers=1), today=lambda: dt.date(2020, 10, 19))
            reply = await run_line(session, line)
        assert isinstance(reply, str) and reply

    asyncio.run(run())


@pytest.mark.parametrize("line", [
    "/dates year:99999999999999999999999", "/dates from:-1 to:-5", "/summary sentences:0",
    "/summary sentences:9223372036854775808", "/onthisday date:2020-02-30", "/onthisday date:0000-01-01",
    "/search query:\"unbalanced", "/search query:NEAR(", "/quotes expert:'", "/quotes expert:% kind:both",
    "/article article:../../etc/passwd", "/digest action:subscribe", "/admin action:drop what:tables",
    "/summary article:\"", "/nosuchcommand", "/", "", "   ", "\"", "'", ":", "/quotes :", "/quotes expert:",
])
async def test_console_edge_lines(corpus_db, line):
    db, corpus = corpus_db
    async with await open_store(db) as store:
        session = Session(store, CorpusLoader(store, corpus, workers=1), today=lambda: dt.date(2020, 10, 19))
        reply = await run_line(session, line)
    assert reply


# ---------------------------------------------------------------- SQL is parameterised

CANARY = "zq'Canary\"7"


@pytest.fixture
def executed_sql(monkeypatch) -> list[str]:
    """Every SQL text the bot hands to SQLite during the test."""
    import aiosqlite

    seen: list[str] = []
    for name in ("execute", "executemany", "executescript"):
        original = getattr(aiosqlite.Connection, name)

        def recording(self, sql, *args, _original=original, **kwargs):
            seen.append(sql)
            return _original(self, sql, *args, **kwargs)

        monkeypatch.setattr(aiosqlite.Connection, name, recording)
    return seen


@profile(0.5)
@given(hostile_text)
def test_user_text_is_bound_never_spliced_into_sql(corpus_db, executed_sql, text):
    db, corpus = corpus_db
    text = f"{text} {CANARY}"

    async def run():
        async with await open_store(db) as store:
            await _answers_for(store, text, 1956, dt.date(2020, 10, 19))
            session = Session(store, CorpusLoader(store, corpus, workers=1), today=lambda: dt.date(2020, 10, 19))
            for command in COMMANDS.values():
                for option in command.options:
                    await run_line(session, f"/{command.name} {option.name}:{text!r}" if option.name != "action"
                                   else f"/{command.name} action:status")

    asyncio.run(run())
    assert executed_sql, "the recorder saw the queries"
    assert not [sql for sql in executed_sql if "Canary" in sql]


SQL_CALLS = {"execute", "executemany", "executescript", "fetch_all", "fetch_one", "write"}


def _spliced_sql(path: Path) -> list[str]:
    """SQL calls whose text is built (f-string, %, .format, +) from a parameter of the enclosing function.

    User values reach the store as function parameters; f-strings elsewhere splice
    constant identifiers (table names, fixed clauses) and are reviewed by eye.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        # `sql` is the statement itself, in the store's own wrappers (fetch_all, write).
        params = {a.arg for a in function.args.args + function.args.kwonlyargs
                  if a.arg not in ("self", "cls", "sql")}
        tainted = params | _derived_names(function, params)
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS and node.args):
                continue
            for piece in _spliced_parts(node.args[0]):
                if _value_names(piece) & tainted:
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(piece)[:60]} spliced into SQL")
    return found


def _spliced_parts(sql: ast.expr) -> list[ast.expr]:
    if isinstance(sql, ast.JoinedStr):
        return [v.value for v in sql.values if isinstance(v, ast.FormattedValue)]
    if isinstance(sql, ast.BinOp):
        return [sql.left, sql.right]
    if isinstance(sql, ast.Call) and isinstance(sql.func, ast.Attribute) and sql.func.attr == "format":
        return list(sql.args) + [k.value for k in sql.keywords]
    return []


def _derived_names(function: ast.AST, params: set[str]) -> set[str]:
    """Local names assigned (directly) from an expression that mentions a parameter."""
    derived: set[str] = set()
    for _ in range(3):  # a few rounds: x = param; y = f"{x}"
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                if _value_names(node.value) & (params | derived):
                    derived |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return derived


def _value_names(expr: ast.expr) -> set[str]:
    """Names whose value can end up in `expr`'s value (a condition only chooses between constants)."""
    if isinstance(expr, ast.IfExp):
        return _value_names(expr.body) | _value_names(expr.orelse)
    return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}


def test_sql_binds_every_user_value():
    files = sorted((ROOT / "bot").rglob("*.py")) + sorted((ROOT / "cogs").rglob("*.py"))
    problems = [p for path in files for p in _spliced_sql(path)]
    assert problems == []


def test_the_sql_check_catches_a_spliced_value(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("async def f(db, name):\n    await db.fetch_all(f\"SELECT * FROM people WHERE name = '{name}'\")\n"
                   "    await db.execute('SELECT * FROM t WHERE x = %s' % name)\n"
                   "    where = 'x = ' + name\n    await db.fetch_one(f'SELECT 1 WHERE {where}')\n")
    assert len(_spliced_sql(bad)) == 3
