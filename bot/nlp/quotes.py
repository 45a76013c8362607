"""Quotes and who said them (first cut: direct quotes with an adjacent 'NAME said')."""
from __future__ import annotations

import re

from .types import Doc, Person, Quote

_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[\"\u201d]")
_TRAILING = re.compile(r"^,?\s*(?:said\s+)?((?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+)\s+(?:said|says|added|noted)\b")


def extract_quotes(doc: Doc) -> tuple[list[Person], list[Quote]]:
    people: dict[str, Person] = {}
    quotes: list[Quote] = []
    for index, sentence in enumerate(doc.sentences()):
        for m in _QUOTE.finditer(sentence):
            who = _TRAILING.match(sentence[m.end():])
            speaker = who.group(1) if who else None
            if speaker:
                people.setdefault(speaker, Person(name=speaker, aliases=(speaker.split()[-1],)))
            quotes.append(Quote(speaker=speaker, kind="direct", text=m.group(1).strip(" ,"), sentence=index))
    return list(people.values()), quotes
