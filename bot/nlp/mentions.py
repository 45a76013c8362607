"""The article as the quote finder reads it.

Paragraphs are joined from their sentences, quotations are blanked out (so
that names and verbs inside a quotation are not taken for the article's own),
and every person named outside quotations is registered once, whatever form
the name takes ("Vladimir Putin", "President Putin", "Putin's").
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .names import Mention, bare, find_names, role_before_comma
from .people import first_name_key, first_names_compatible, name_key, name_suffix, name_words
from .quotemarks import MASK, QuoteSpan, find_quotes, mask_quotes
from .roles import RoleBook, affiliation, apposition_role
from .types import Doc, Person

_LOWER_WORD = re.compile(r"(?<![\w'\u2019-])[a-z][a-z'\u2019-]*")


@dataclass(slots=True, eq=False)
class Entity:
    """One person of the article, however often and however named."""

    surname: str
    first: str
    forms: dict[str, int] = field(default_factory=dict)  # names as written -> count
    aliases: set[str] = field(default_factory=set)
    roles: RoleBook = field(default_factory=RoleBook)
    last_seen: int = -1
    organisation: bool = False  # a source that is not a person ("PolitiFact said"): a source of kind organisation

    def name(self) -> str:
        full = {f: n for f, n in self.forms.items() if len(name_words(f)) > 1} or self.forms
        return max(full.items(), key=lambda kv: (kv[1], len(kv[0])))[0]

    def to_person(self, text: str = "") -> Person:
        name = usual_apostrophe(self.name(), text)
        aliases = set(self.aliases) | set(self.forms)
        words = name_words(name)
        suffix = name.split()[-1] if name_suffix(name) else ""
        if len(words) > 1:
            aliases.add(f"{words[-1]} {suffix}".strip())  # "Trump Jr." is not "Trump"
        aliases.discard(name)
        return Person(name=name, aliases=tuple(sorted(aliases)), role=self.roles.best())


_APOSTROPHE_WORD = re.compile(r"\w+['\u2019]\w+")


def usual_apostrophe(name: str, text: str) -> str:
    """'James O\u2019Neill' spelt as the article mostly spells the word ('O'Neill' three times of four)."""
    for word in _APOSTROPHE_WORD.findall(name):
        straight, curly = word.replace("\u2019", "'"), word.replace("'", "\u2019")
        if text.count(straight) > text.count(curly):
            name = name.replace(word, straight)
        elif text.count(curly) > text.count(straight):
            name = name.replace(word, curly)
    return name


class Registry:
    """The people of one article, found by surname and first-name compatibility."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self._lower_words: set[str] | None = None
        self.entities: list[Entity] = []
        self.by_surname: dict[str, list[Entity]] = {}
        self.by_word: dict[str, list[Entity]] = {}

    def add(self, name: str, pos: int) -> Entity:
        words = name_words(name) or [name]
        surname = name_key(words[-1]) + name_suffix(name)  # "Trump Jr." is another person
        first = first_name_key(name)
        entity = None
        for candidate in self.by_surname.get(surname, ()):
            if first_names_compatible(candidate.first, first):
                entity = candidate
                break
        if entity is None:
            entity = Entity(surname=surname, first=first)
            self.entities.append(entity)
            self.by_surname.setdefault(surname, []).append(entity)
        if first and not entity.first:
            entity.first = first
        entity.forms[name] = entity.forms.get(name, 0) + 1
        for word in words:
            bucket = self.by_word.setdefault(name_key(word), [])
            if entity not in bucket:
                bucket.append(entity)
        entity.last_seen = max(entity.last_seen, pos)
        return entity

    def lower_words(self) -> set[str]:
        """Words the article writes in lower case (computed once, on demand)."""
        if self._lower_words is None:
            self._lower_words = set(_LOWER_WORD.findall(self.text))
        return self._lower_words

    def by_name_words(self, words: list[str]) -> Entity | None:
        """The first person whose surname is one of these words (a first name just before it
        choosing among namesakes): how a headline names someone the article introduces later."""
        for i, word in enumerate(words):
            found = self.by_surname.get(name_key(word))
            if not found:
                continue
            first = first_name_key(words[i - 1]) if i > 0 else ""
            matching = [e for e in found if first and e.first and first_names_compatible(e.first, first)]
            return max(matching or found, key=lambda e: sum(e.forms.values()))
        return None

    def lookup(self, word: str) -> Entity | None:
        """A person a single name word refers to: the surname first, then any other name word."""
        key = name_key(word)
        found = self.by_surname.get(key) or self.by_word.get(key)
        if not found:
            return None
        return max(found, key=lambda e: (e.last_seen, sum(e.forms.values())))


@dataclass(slots=True)
class PersonRef:
    """A person named in the text (outside quotations)."""

    start: int
    end: int
    entity: Entity
    possessive: bool
    introduction: bool = False  # first mention, with a description: "Henry Crespo, president of X,"


@dataclass(slots=True)
class Paragraph:
    text: str
    masked: str
    sentence_starts: list[int]
    first_sentence: int
    quotes: list[QuoteSpan]
    people: list[PersonRef] = field(default_factory=list)
    base: int = 0  # global offset for recency
    registry: "Registry | None" = None
    names_text: str = ""  # the masked text without Title Case headlines, for finding new names

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.sentence_starts, pos) - 1)

    def sentence_bounds(self, index: int) -> tuple[int, int]:
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] - 1 if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end


def prepare_paragraphs(doc: Doc) -> list[Paragraph]:
    out = []
    sentence_index = 0
    base = 0
    for sentences in doc.paragraphs:
        if not sentences:
            continue
        sentences = [_normalise_marks(s) for s in sentences]
        starts = []
        pos = 0
        for s in sentences:
            starts.append(pos)
            pos += len(s) + 1
        text = " ".join(sentences)
        spans = find_quotes(text)
        masked = mask_quotes(text, spans)
        out.append(Paragraph(text=text, masked=masked, sentence_starts=starts,
                             first_sentence=sentence_index, quotes=spans, base=base,
                             names_text=_hide_headlines(masked, sentences, starts)))
        sentence_index += len(sentences)
        base += len(text) + 2
    return out


_CAPITALISED = re.compile(r"(?<![\w'\u2019])[A-Z]")

_HEADLINE_SMALL = frozenset("a an the of to in on for and or but at by with as is vs from".split())


def _hide_headlines(masked: str, sentences: list[str], starts: list[int]) -> str:
    """Blank out Title Case sentences ("Obama Sees Personal Insult If ..."): their capitals
    say nothing about names."""
    out = masked
    for sentence, start in zip(sentences, starts):
        if is_headline(sentence):
            out = out[:start] + " " * len(sentence) + out[start + len(sentence):]
    return out


def is_headline(sentence: str) -> bool:
    """A Title Case sentence: short, with no lower-case word but the small ones."""
    if len(sentence) > 160:
        return False
    if any(w.group() not in _HEADLINE_SMALL for w in _LOWER_WORD.finditer(sentence)):
        return False  # a lower-case content word: ordinary prose
    return len(_CAPITALISED.findall(sentence)) >= 4


def _normalise_marks(sentence: str) -> str:
    """Two single quotes or backticks ('' `` as in some newswire archives) are a double quote."""
    if "''" in sentence or "``" in sentence:
        return sentence.replace("''", '"').replace("``", '"')
    return sentence


# ---------------------------------------------------------------- people
def register_people(para: Paragraph, registry: Registry) -> None:
    refs: list[PersonRef] = []
    covered: list[tuple[int, int]] = []
    mentions, words = find_names(para.names_text)
    for mention in mentions:
        entity = _entity_for_mention(mention, registry, para.base)
        if entity is None:
            continue
        first_mention = not entity.roles and sum(entity.forms.values()) == 1
        if mention.title:
            entity.roles.add(mention.title, strength=1)
        role = apposition_role(para.masked, mention.end) or _role_before(para.masked, mention)
        if role:
            entity.roles.add(role, strength=1)
        aff = affiliation(para.masked, mention.end)
        if aff:
            entity.roles.add(aff, prefix=True)
        refs.append(PersonRef(mention.run_start if mention.titled else mention.start, mention.end, entity,
                              mention.possessive, introduction=first_mention and bool(role)))
        covered.append((mention.start, mention.end))
    for start, end, word in words:
        if any(s <= start < e for s, e in covered):
            continue
        entity = registry.lookup(bare(word) if word[-1] in "s'\u2019" and bare(word) != word.lower() else word)
        if entity is None:
            continue
        possessive = word.endswith(("'s", "\u2019s"))
        entity.last_seen = max(entity.last_seen, para.base + start)
        refs.append(PersonRef(start, end, entity, possessive))
        role = apposition_role(para.masked, end)
        if role:
            entity.roles.add(role, strength=1)
    refs.sort(key=lambda r: r.start)
    para.people = refs


def _role_before(masked: str, mention: Mention) -> str:
    """'talks with his Japanese counterpart, Taro Kono, in Moscow': the name closes an apposition."""
    before = masked[:mention.run_start].rstrip()
    if mention.title or not before.endswith(",") or masked[mention.end:mention.end + 1] not in (",", ".", ""):
        return ""
    return role_before_comma(masked, len(before) - 1)


def _entity_for_mention(mention: Mention, registry: Registry, base: int) -> Entity | None:
    words = mention.name.split()
    if len(words) == 1:
        entity = registry.lookup(words[0])
        if entity is None:
            entity = registry.add(mention.name, base + mention.start)
    else:
        entity = registry.add(mention.name, base + mention.start)
    if mention.honorific:
        entity.aliases.add(f"{mention.honorific} {mention.name}")
    entity.last_seen = max(entity.last_seen, base + mention.start)
    return entity


_SUBJECT_BREAK = re.compile(r"(?:^|[.;:!?]\s*|,\s*|\b(?:but|while|when|as|after|before|then|because|so)\s+)$")


def is_subject_position(masked: str, start: int) -> bool:
    """A name at the start of a clause rather than after a preposition ("talks with Abe")."""
    before = masked[max(0, start - 30):start]
    return bool(_SUBJECT_BREAK.search(before)) or before.endswith(MASK + " ")


def registry_add(para: Paragraph, name: str) -> Entity | None:
    """A speaker first seen as bare words ("Caddell said") joins the article's people,
    unless the word is also written in lower case in the article ("Demonstrators said")."""
    registry = para.registry
    if " " not in name:
        entity = registry.lookup(name)
        if entity is not None:
            return entity
        if bare(name) in registry.lower_words():
            return None
    return registry.add(name, para.base)
