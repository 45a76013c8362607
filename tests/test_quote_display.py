"""A quote split by its attribution, as a user sees it: the parts apart, never run together (both store drivers)."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.console import Session, run_line
from bot.export import export_document
from bot.ingest import CorpusLoader

ARTICLE = """---
title: Lake ferry vote counted
published: 2024-05-14
source: lakeside-herald
---
Lake ferry vote counted

The regional council counted the ballots on the lake ferry line on Tuesday.

"The vote was fair and the turnout was higher than anyone expected," Nadia Petrescu, head of the electoral board, told reporters. "The count was slow, but it was fair."

Petrescu said the results would be published in full next week.
"""


@pytest.fixture
async def session(tmp_path, any_store):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.md").write_text(ARTICLE, encoding="utf-8")
    loader = CorpusLoader(any_store, corpus)
    await loader.reload()
    return Session(any_store, loader, today=lambda: dt.date(2024, 5, 15))


SHOWN = ("“The vote was fair and the turnout was higher than anyone expected,” … "
         "“The count was slow, but it was fair.”")


async def test_quotes_show_each_part_with_its_own_punctuation(session):
    reply = await run_line(session, "/quotes expert:Petrescu")
    assert SHOWN in reply
    assert "expected The count" not in reply


async def test_quote_of_the_day_shows_the_parts_apart(session):
    reply = await run_line(session, "/digest")
    assert "Quote of the day" in reply
    assert SHOWN in reply


async def test_export_keeps_the_quoted_words_only(session):
    document = await export_document(session.store)
    texts = [q["text"] for q in document["quotes"] if q["kind"] == "direct"]
    assert texts == ["The vote was fair and the turnout was higher than anyone expected "
                     "The count was slow, but it was fair."]


FRAGMENT_ARTICLE = """---
title: Island visit offered
published: 2024-06-02
source: harbour-gazette
---
Island visit offered

Tokyo "would be willing to send a delegation to the northern islands" before the summer ends, said Tomas Varga, a veteran diplomat.

"We are ready to talk about fishing rights at any time," Varga said.
"""


@pytest.fixture
async def fragment_session(tmp_path, any_store):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "visit.md").write_text(FRAGMENT_ARTICLE, encoding="utf-8")
    await CorpusLoader(any_store, corpus).reload()
    return Session(any_store, CorpusLoader(any_store, corpus), today=lambda: dt.date(2024, 6, 3))


IN_SENTENCE = ('Tokyo "would be willing to send a delegation to the northern islands" before the summer ends, '
               'said Tomas Varga, a veteran diplomat.')


async def test_a_quoted_fragment_is_shown_in_its_sentence(fragment_session):
    reply = await run_line(fragment_session, "/quotes expert:Varga")
    assert IN_SENTENCE in reply
    # A whole-sentence quote is shown alone, in quotation marks, as before.
    assert "“We are ready to talk about fishing rights at any time”" in reply


async def test_the_quoted_words_of_a_fragment_are_marked_in_discord(fragment_session):
    from bot.answers import quotes_by
    from bot.render.pages import pages_for
    pages = pages_for(await quotes_by(fragment_session.store, "Varga"))
    text = "\n".join(p.description for p in pages)
    assert 'Tokyo "**would be willing to send a delegation to the northern islands**" before the summer' in text


async def test_quote_of_the_day_shows_a_fragment_in_its_sentence(fragment_session):
    replies = []
    for day in range(3, 7):  # the quote of the day varies with the day
        session = Session(fragment_session.store, fragment_session.loader, today=lambda d=day: dt.date(2024, 6, d))
        replies.append(await run_line(session, "/digest"))
    fragment_days = [r for r in replies if "willing to send" in r]
    assert fragment_days and all(IN_SENTENCE in r for r in fragment_days)


async def test_export_keeps_only_the_quoted_words_of_a_fragment(fragment_session):
    document = await export_document(fragment_session.store)
    texts = {q["text"] for q in document["quotes"] if q["kind"] == "direct"}
    assert "would be willing to send a delegation to the northern islands" in texts
