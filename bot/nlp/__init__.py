"""Extraction: pure functions over article text (no database, no asyncio, no Discord)."""
from __future__ import annotations

from .dates import extract_dates, settled_year
from .quotes import extract_quotes
from .source_kinds import classify_sources
from .summarize import summarize_article
from .types import Analysis, DateMention, Doc, Person, Quote


__all__ = ["Analysis", "DateMention", "Doc", "Person", "Quote", "analyse"]


def analyse(doc: Doc, summary_sentences: int | None = None) -> Analysis:
    """Everything the store keeps about one article.

    The stored summary is sized to the article (None: 3 to 5 sentences); the
    /summary command picks its own length at query time.
    """
    people, quotes = extract_quotes(doc)
    return Analysis(
        people=tuple(classify_sources(people, doc.sentences())),
        quotes=tuple(quotes),
        dates=tuple(extract_dates(doc)),
        summary=tuple(summarize_article(doc, summary_sentences)),
        written_year=settled_year(doc.sentences()) if doc.anchor is None else None,
    )
