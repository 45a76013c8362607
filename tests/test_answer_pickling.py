"""Answers reach the answer workers, and their pages come back, exactly as they were (bot/answers/offloop.py)."""
from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass

from bot.answers import off_loop
from bot.answers.types import (ArticleRef, DigestAnswer, Expert, ExpertsAnswer, QuoteItem, QuotesAnswer, SummaryLine,
                               TimelineAnswer, TimelineEntry, pickled_as_values)
from bot.render.pages import Field, Page, pages_for

DATED = ArticleRef(id="a1", title="Ferry vote counted", published="2024-05-14", source="Lakeside Herald")
UNDATED = ArticleRef(id="a2", title=None, published=None, label="The council met", captured="2024-06-02T10:00:00",
                     written_year=2023)
QUOTE = QuoteItem(text="would be willing to visit", kind="direct", article=DATED, speaker="Nadia Petrescu",
                  role="head of the electoral board", key="a1:3:Nadia Petrescu", parts=("It was fair,", "and slow."),
                  in_sentence=("She said Japan ", "would be willing to visit", " the islands."))
ENTRY = TimelineEntry(value="1956-10-19", when="19 October 1956", sentence="The declaration was signed.",
                      articles=(DATED, UNDATED), reports=7)
ANSWERS = [
    TimelineAnswer(heading="Timeline (1956)", entries=(ENTRY,) * 3, truncated=True),
    QuotesAnswer(expert=Expert(name="Nadia Petrescu", role=None, quote_count=2, aliases=("N. Petrescu",)),
                 quotes=(QUOTE, QUOTE), filters="direct"),
    ExpertsAnswer(experts=(Expert(name="Lane", role="mayor", quote_count=3),),
                  sources=(Expert(name="Kyodo", role=None, quote_count=1, kind="organisation"),)),
    DigestAnswer(day=dt.date(2024, 5, 15), new_articles=(DATED,), summary=(SummaryLine("Votes were counted.", DATED),),
                 quote=QUOTE, on_this_day=(ENTRY,), coming=(), extra={"uptime": "3 days"}),
]


def test_an_answer_and_its_pages_survive_pickling_unchanged():
    for answer in ANSWERS:
        copy = pickle.loads(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(copy) is type(answer)
        assert copy == answer
        assert pages_for(copy) == pages_for(answer)
    page = Page(title="T", description="d", fields=(Field("n", "v", inline=True),), footer="page 1/2")
    assert pickle.loads(pickle.dumps([page])) == [page]


@pickled_as_values
@dataclass(frozen=True, slots=True)
class _OneField:
    value: tuple[int, ...]


def test_a_class_of_one_field_pickles_as_its_value():
    assert pickle.loads(pickle.dumps(_OneField((1, 2)))) == _OneField((1, 2))


async def test_pages_built_in_a_worker_are_the_pages_built_here():
    for answer in ANSWERS:
        assert await off_loop(pages_for, answer) == pages_for(answer)
