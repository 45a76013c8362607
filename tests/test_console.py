"""The console and `ask`: the Discord commands answered as text, on the bundled corpus."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from bot import answers
from bot.answers.types import UserError
from bot.console import Session, parse_command, run_line
from bot.render.pages import pages_for
from bot.ingest import CorpusLoader
from bot.store import open_store

from .helpers import FRONT_MATTER_PAGE, ROOT, SCRAPED_PAGE, copy_seeds


@pytest.fixture
async def session(tmp_path):
    store = await open_store(tmp_path / "bot.sqlite3")
    loader = CorpusLoader(store, copy_seeds(tmp_path / "corpus"))
    await loader.reload()
    yield Session(store, loader, today=lambda: dt.date(2026, 10, 19))
    await store.close()


def test_options_parse_by_name_position_and_continuation():
    command, options = parse_command("/quotes expert:Kistanov topic:peace treaty kind:direct")
    assert command.name == "quotes"
    assert options == {"expert": "Kistanov", "topic": "peace treaty", "kind": "direct"}
    assert parse_command("/article some_id")[1] == {"article": "some_id"}
    assert parse_command('/search query:"exact phrase" OR other')[1] == {"query": '"exact phrase" OR other'}
    assert parse_command("dates year:1956 to:2000")[1] == {"year": 1956, "to": 2000}


@pytest.mark.parametrize("line, message", [
    ("/dates year:soon", "year must be a whole number"),
    ("/quotes", "needs expert:"),
    ("/nope", "Unknown command"),
    ("/experts extra", "does not take"),
])
def test_bad_commands_are_user_errors(line, message):
    with pytest.raises(UserError, match=message):
        parse_command(line)


async def test_quotes_by_surname_lists_every_spelling_of_one_expert(session):
    reply = await run_line(session, "/quotes expert:Kistanov")
    heading = reply.splitlines()[0]
    assert heading.startswith("Valer") and "Kistanov" in heading
    # Quotes from both articles, whichever spelling each used.
    assert "Nobel Peace Prize" in reply and "disagree sharply" in reply


async def test_dates_of_a_year_form_a_timeline(session):
    reply = await run_line(session, "/dates year:1956")
    assert reply.startswith("Timeline (1956)")
    assert "19 October 1956" in reply


async def test_on_this_day_finds_anniversaries(session):
    reply = await run_line(session, "/onthisday")
    assert reply.startswith("On this day, 19 October") and "1956" in reply


async def test_search_highlights_and_survives_bad_syntax(session):
    assert "peace treaty" in (await run_line(session, '/search query:"peace treaty"')).lower()
    reply = await run_line(session, '/search query:"peace treaty')
    assert reply.startswith("error:") and "balanced" in reply
    # No syntax meant: an apostrophe or a leading dash searches the plain words.
    assert "Putin" in await run_line(session, "/search query:Putin's")
    assert not (await run_line(session, "/search query:-treaty")).startswith("error:")


async def test_unknown_expert_is_a_helpful_error(session):
    reply = await run_line(session, "/quotes expert:Nobody Atall")
    assert reply.startswith("error:") and "/experts" in reply


async def test_help_lists_every_command(session):
    reply = await run_line(session, "help")
    for name in ("/summary", "/quotes", "/experts", "/dates", "/onthisday", "/search", "/article", "/digest"):
        assert name in reply


def run_cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_ask_answers_one_command_for_scripts(tmp_path):
    done = run_cli("ask", "/experts", "--corpus", str(ROOT / "seeds"), "--db", str(tmp_path / "db.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Experts quoted")
    failed = run_cli("ask", "/quotes expert:Zzyzx", "--db", str(tmp_path / "db.sqlite3"))
    assert failed.returncode == 1 and failed.stdout.startswith("error:")


def test_console_reads_commands_until_quit(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--corpus", str(ROOT / "seeds"), "--db", str(tmp_path / "c.sqlite3")],
        cwd=ROOT, input="/experts\n/dates year:1956\nquit\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "added 5" in done.stdout
    assert "Experts quoted" in done.stdout and "Timeline (1956)" in done.stdout


def test_ingest_prints_the_report(tmp_path):
    done = run_cli("ingest", "--corpus", str(ROOT / "seeds"), "--db", str(tmp_path / "i.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("added 5, updated 0, removed 0, failed 0")


async def test_article_never_presents_a_capture_stamp_as_its_publication_date(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "saved.txt").write_text(SCRAPED_PAGE, encoding="utf-8")  # only a page timestamp line
    (corpus / "dated.txt").write_text(FRONT_MATTER_PAGE, encoding="utf-8")  # published: in front matter
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        session = Session(store, CorpusLoader(store, corpus), today=lambda: dt.date(2026, 10, 19))
        await session.loader.reload()
        saved = (await run_line(session, "/article article:saved")).splitlines()[2]
        assert "captured 4 March 2021" in saved and "publication date unknown" in saved
        assert "published:" not in saved and "2021-03-04" not in saved
        dated = (await run_line(session, "/article article:dated")).splitlines()[2]
        assert "published: 2021-03-05" in dated and "captured" not in dated
    finally:
        await store.close()


async def test_experts_and_quotes_count_the_same_quotes(session):
    experts = await answers.experts(session.store)
    for expert in experts.experts:
        listed = await answers.quotes_by(session.store, expert.name)
        assert len(listed.quotes) == expert.quote_count, expert.name
        reply = await run_line(session, f"/quotes expert:{expert.name}")
        assert reply.splitlines()[0].endswith(f"{expert.quote_count} quote{'s' if expert.quote_count != 1 else ''}")


async def test_summaries_show_neither_promotional_lines_nor_sentences_broken_by_a_cut(session):
    for line in ("/summary", "/summary article:003"):
        reply = await run_line(session, line)
        assert "invites our readers" not in reply and "the The " not in reply, line
        assert "Times.Prime" not in reply


async def test_a_digest_with_nothing_new_says_so_and_does_not_repeat_yesterdays_brief(session):
    later = "9999-01-01T00:00:00+00:00"  # the previous digest went out after every ingest
    monday, tuesday = dt.date(2026, 10, 19), dt.date(2026, 10, 20)
    quiet = await answers.digest(session.store, monday, since=later)
    assert quiet.new_articles == () and quiet.summary == ()
    shown = "\n".join(p.description for p in pages_for(quiet))
    assert "Nothing new since the last digest" in shown and "In brief" not in shown and "From the archive" in shown
    next_day = await answers.digest(session.store, tuesday, since=later)
    assert quiet.from_archive and next_day.from_archive
    assert quiet.from_archive[0].article.id != next_day.from_archive[0].article.id
    busy = await answers.digest(session.store, monday, since=None)
    assert busy.new_articles and busy.summary and not busy.from_archive


async def test_an_impossible_day_says_what_is_wrong_and_a_malformed_one_the_format(session):
    assert await run_line(session, "/onthisday date:2020-02-30") == (
        "error: February 2020 has no 30th; its last day is the 29th.")
    assert await run_line(session, "/onthisday date:2021-13-01") == (
        "error: '2021-13-01' has no month 13; months go from 01 to 12.")
    assert await run_line(session, "/onthisday date:soon") == (
        "error: 'soon' is not a date; use YYYY-MM-DD, e.g. 2026-12-15.")
    # A leap day is a real day: it is looked up (and nothing in the corpus falls on it).
    assert await run_line(session, "/onthisday date:2020-02-29") == "error: No date in the corpus falls on 29 February."


async def test_nothing_found_is_an_error_line_like_the_others(session):
    assert await run_line(session, "/search query:zzyzxqwerty") == "error: No sentence matches 'zzyzxqwerty'."
    reply = await run_line(session, "/onthisday date:2026-02-29")
    assert reply.startswith("error: February 2026 has no 29th")


async def test_cut_labels_end_with_an_ellipsis_after_a_whole_word(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = ("Officials from both governments met again in the port town on Thursday to discuss "
             "ferry timetables for former residents")
    (corpus / "untitled.txt").write_text(first + ".\n", encoding="utf-8")
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        await CorpusLoader(store, corpus).reload()
        reply = await run_line(Session(store, None), "/search query:ferry")
    finally:
        await store.close()
    label = next(line for line in reply.splitlines() if line.startswith("— ")).removeprefix("— ")
    shown = label.split("…")[0]
    assert label.startswith(shown + "…") and first.startswith(shown)
    assert first[len(shown)] == " "  # the cut falls between words


async def test_a_reload_error_is_a_line_in_the_console_worded_as_in_discord(tmp_path):
    import shutil

    from bot.discord_app import expected_error_message
    from bot.ingest import CorpusFolderError
    from discord import app_commands

    corpus = copy_seeds(tmp_path / "corpus")
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        session = Session(store, CorpusLoader(store, corpus))
        shutil.rmtree(corpus)
        reply = await run_line(session, "/admin reload corpus")
        after = await run_line(session, "/admin status")  # the console goes on
    finally:
        await store.close()
    assert reply.startswith("error: corpus folder") and "does not exist" in reply
    assert after.startswith("Bot status")
    error = CorpusFolderError(f"corpus folder {corpus} does not exist or is not a folder")
    invoke_error = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    invoke_error.original = error
    assert reply == f"error: {expected_error_message(invoke_error)}"


async def test_admin_reload_corpus_works_as_the_console_suggests(session):
    reply = await run_line(session, "/admin reload corpus")
    assert reply.startswith("Corpus reloaded")
