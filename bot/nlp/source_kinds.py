"""Is a quoted source a person, an organisation or a group? Decided by general evidence.

A group: a plural of people or organisations ("Europeans", "Democrats", "Super
PACs"). An organisation: a last word that heads one ("Foreign Ministry", "Beige
Book", "The Daily Post", "Acme Corp."). A person: a title or honorific with the
name ("President Lee", "Ms. Lane"), a role with a title word ("a spokeswoman"),
"he"/"she" right after a mention, or else a first name and a surname that no
"the" stands before ("the Coastal Digest said" is an organisation). A one-word
name with no evidence for a person ("Pfizer said") is an organisation: news
names a person in full at least once, and a full name joins the bare surname.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .names import HONORIFICS, NATIONALITIES, TITLE_WORDS
from .people import name_words
from .source_words import GROUP, GROUP_NOUNS, ORGANISATION, ORGANISATION_HEADS, PERSON
from .types import Person

_ACRONYM_PLURAL = re.compile(r"^[A-Z]{2,}s$")  # "PACs"
# What follows "the Name" when the name stands alone as the subject ("the Beige Book said").
_AFTER_BARE_NAME = (r"(?=\s*[,.;:!?\"”’)]|\s+(?:said|says|reported|reports|wrote|writes|added|stated|noted|found|"
                    r"announced|warned|argued|estimated|concluded|predicted|has|have|had|is|was|are|were|will|would)\b)")
_WORD = re.compile(r"[A-Za-z]+")


def classify_sources(people: Sequence[Person], sentences: Sequence[str]) -> list[Person]:
    """The people of one article, each with the kind its evidence in the article gives."""
    text = " ".join(sentences)
    out = []
    for p in people:
        kind = source_kind(p, sentences, text)
        out.append(p if kind == p.kind else Person(p.name, p.aliases, p.role, kind))
    return out


def source_kind(person: Person, sentences: Sequence[str], text: str) -> str:
    words = name_words(person.name)
    if not words:
        return PERSON
    last = words[-1].lower()
    if _is_group(words):
        return GROUP
    if last in ORGANISATION_HEADS or last.rstrip(".") in ORGANISATION_HEADS:
        return ORGANISATION
    if _titled(person) or _role_names_a_person(person.role) or _called_he_or_she(person, sentences):
        return PERSON
    if len(words) == 1 or _bare_with_the(person.name, text):
        return ORGANISATION
    return PERSON


def _is_group(words: tuple[str, ...]) -> bool:
    last = words[-1]
    lower = last.lower()
    if _ACRONYM_PLURAL.match(last):
        return True
    if len(words) > 1 and not words[0].lower() in NATIONALITIES:
        return False  # "Tom Evans": a first name before a plural-looking surname
    return lower in GROUP_NOUNS or (lower.endswith("s") and lower[:-1] in NATIONALITIES)


def _titled(person: Person) -> bool:
    """A form of the name written with an honorific or a title: "Ms. Lane", "President Lee"."""
    for form in (person.name, *person.aliases):
        first = form.split()[0].lower().rstrip(".") if form.split() else ""
        if len(form.split()) > 1 and (first in HONORIFICS or first in TITLE_WORDS):
            return True
    return False


def _role_names_a_person(role: str | None) -> bool:
    return bool(role) and any(w.lower() in TITLE_WORDS for w in _WORD.findall(role))


def _called_he_or_she(person: Person, sentences: Sequence[str]) -> bool:
    """A sentence naming the source is followed, in it or the next sentence, by "he" or "she"
    opening a clause: '..., he said', 'He added'."""
    forms = [f for f in (person.name, *person.aliases) if f]
    for i, sentence in enumerate(sentences):
        at = min((sentence.find(f) for f in forms if f in sentence), default=-1)
        if at < 0:
            continue
        after = sentence[at:]
        if re.search(r"(?:[,;]|\band)\s*(?:he|she)\s+[a-z]+", after):
            return True
        if i + 1 < len(sentences) and re.match(r"(?:He|She|His|Her)\b", sentences[i + 1]):
            return True
    return False


def _bare_with_the(name: str, text: str) -> bool:
    return re.search(rf"\b[Tt]he {re.escape(name)}{_AFTER_BARE_NAME}", text) is not None
