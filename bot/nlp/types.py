"""Plain data passed into and out of the extraction layer.

`bot/nlp` sees an article only as a `Doc`: its sentences grouped by paragraph,
its title and, when it can be trusted, its publication date. Every result
points back at a sentence by its index in the article (counting across
paragraphs from 0), so the store can link it to the stored sentence.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Doc:
    paragraphs: tuple[tuple[str, ...], ...]
    title: str | None = None
    # Only a date the article itself vouches for (front matter); a page
    # capture stamp is not passed here, so relative dates stay unresolved.
    anchor: dt.date | None = None

    def sentences(self) -> list[str]:
        return [s for para in self.paragraphs for s in para]


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    kind: str = "person"  # or "organisation" / "group": see source_words.KINDS


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str | None  # a Person.name of the same article (a person or, by its kind, an organisation), or None
    kind: str  # "direct" | "indirect"
    text: str  # the quoted words, parts joined by a space (what the export and scorers compare)
    sentence: int
    # A quote interrupted by its attribution ('"...," she said. "..."'): each part as
    # written, own punctuation kept, so it can be shown as parts. Empty for one part.
    parts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    value: str  # ISO 8601 with X for unknown digits; START/END for ranges
    sentence: int


@dataclass(frozen=True, slots=True)
class Analysis:
    people: tuple[Person, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateMention, ...] = ()
    summary: tuple[int, ...] = field(default=())  # sentence indices, in article order
    written_year: int | None = None  # the year the text itself settles it was written in, when undated
