"""A quote split by its attribution, as a user sees it: the parts apart, never run together."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.console import Session, run_line
from bot.export import export_document
from bot.ingest import CorpusLoader
from bot.store import Store

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
async def session(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.md").write_text(ARTICLE, encoding="utf-8")
    store = await Store.open(tmp_path / "bot.sqlite3")
    loader = CorpusLoader(store, corpus)
    await loader.reload()
    yield Session(store, loader, today=lambda: dt.date(2024, 5, 15))
    await store.close()


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
