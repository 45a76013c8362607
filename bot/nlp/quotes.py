"""Quotes and who said them.

Direct quotes are the words inside quotation marks; indirect quotes are the
clause reported by a speech or thought verb ("X said that ...", "..., X
said", "according to X, ..."). Each is credited to a person of the article:
named next to the verb, or reached through a pronoun ("he said") or a role
description ("the Russian leader said") by a recency rule with role matching.

The pass over an article is linear: paragraph by paragraph, people are
registered as their names appear, reporting verbs are found in the text with
the quotations blanked out, and each verb is tied to a speaker and to the
words it reports.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .names import (
    COMMON_WORDS, TITLE_WORDS, UNNAMED_HEADS, Mention, bare, find_names, is_name_word,
    is_non_person_word,
)
from .people import first_name_key, first_names_compatible, name_key, name_words
from .quotemarks import MASK, QuoteSpan, find_quotes, mask_quotes
from .roles import RoleBook, affiliation, apposition_role, role_head_matches
from .types import Doc, Person, Quote

# ---------------------------------------------------------------- reporting verbs
# Verbs that report speech or belief and may take a bare clause ("said the talks failed").
_CLAUSE_VERBS = """said says say saying told tells telling added adds adding believes believed believe thinks think
argued argues arguing insisted insists insisting wrote writes writing tweeted tweets stated declared declares
contended contends maintained maintains asserted asserts suggested suggests suggesting explained explains
explaining predicted predicts claimed claims claiming conceded concedes acknowledged acknowledges admitted admits
estimated estimates replied responded countered""".split()
# Verbs that also take plain objects ("stressed the importance"): reported speech only with "that".
_THAT_VERBS = """noted notes noting stressed stresses stressing warned warns warning announced announces
emphasized emphasised emphasizes emphasises emphasizing emphasising observed observes remarked commented
indicated indicates underscored underscores urged urges confirmed confirms reported mused recalled recalls
recounted revealed disclosed alleged charged vowed promised cautioned speculated complained complains
hinted hints opined lamented acknowledging conceding recalling asserting continued continues asked asks
wondered quipped joked demanded exclaimed boasted bragged retorted proclaimed answered pressed""".split()
_VERB_FORMS = _CLAUSE_VERBS + _THAT_VERBS
_BARE_CLAUSE_VERBS = frozenset(_CLAUSE_VERBS)
_PHRASAL = ["pointed out", "points out", "pointing out", "went on to say", "referred to", "went on", "put it"]


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation for many words, factored by shared prefixes (much faster to match)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


_VERB_RE = re.compile(r"\b(" + _trie_pattern(_PHRASAL + _VERB_FORMS + ["Said", "Says", "Added", "Asked"]) + r")\b")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")
_AS_BY_RE = re.compile(
    r"\bas\s+(?:\w+ly\s+)?(?:stated|said|noted|reported|put it|explained|argued|pointed out|claimed|suggested)"
    r"\s+by\s+"
)
# Verbs that take the hearer as object before the reported clause ("told Sputnik that").
_OBJECT_VERBS = frozenset({"told", "tells", "telling", "asked", "asks", "urged", "urges", "warned", "warns",
                           "promised", "reminded"})
_SAYING = frozenset({"saying", "adding", "arguing", "insisting", "claiming", "telling"})
# Participles that continue a sentence whose subject is already known ("..., adding that").
_PARTICIPLES = frozenset({v for v in _VERB_FORMS if v.endswith("ing")} | {"pointing out", "went on"})
# Verbs that may come before their subject: '"...," said Panov'.
_INVERTIBLE = frozenset({"said", "says", "added", "adds", "noted", "explained", "asked", "wrote", "continued",
                         "recalled", "remarked", "replied", "responded", "commented", "argued", "insisted",
                         "warned", "stressed", "declared", "observed", "concluded", "countered", "tweeted",
                         "writes", "asks", "notes", "explains", "continues", "stated"})
_PASSIVE_BEFORE = frozenset({"is", "are", "was", "were", "be", "been", "being", "it's", "who's"})
_PARTICIPLE_FORMS = frozenset({"said", "told", "believed", "reported", "claimed", "estimated", "asked", "alleged",
                               "thought", "expected", "charged", "promised", "warned", "urged", "stated",
                               "confirmed", "announced", "referred to"})

_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "who", "you", "it"})
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:\w+ly|also|further|later|then|once|again|still|has|had|have|would|will|could|may|might|even|now"
    r"|too|only|never|always|himself|herself|themselves|first|last|often|already|yet|just|both|all|simply|not"
    r"|had\s+\w+ed|did|does|do|soon|since|then))+\s*$"
)
_LEADING_FILLER = re.compile(r"^(?:and|but|so|yet|or|while|when|as|because|although|though|where|since|however|"
                             r"still|now|then|indeed|meanwhile|instead)\s+", re.I)
_DETERMINERS = frozenset("""the a an another one this that these those his her their its some many most few several
two three four other others both all any each no our""".split())
_CLAUSE_START = re.compile(
    r"^\s*(?:that\s+|(?=(?:he|she|it|they|we|i|there|this|these|those|the|a|an|his|her|their|its|our|no|"
    r"some|many|most|all|both|each|every|if|whether|what|why|how|when)\b|[A-Z0-9]))"
)
_THAT = re.compile(r"\bthat\s+")
# A finite verb early in a bare reported clause ("said Japan was showing ...").
_FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|can|could|should|shall|has|have|had|may|might|must|does|did|do|cannot|"
    r"\w+n['\u2019]t|['\u2019](?:s|re|ll|ve|d)|remains?|seems?|appears?|wants?|needs?|made|went|got|took|gave|came|"
    r"saw|knew|thought|told|found|became|left|felt|brought|began|kept|held|wrote|stood|heard|meant|met|ran|paid|"
    r"spoke|led|grew|lost|fell|sent|built|understood|broke|spent|rose|won|sold|fought|\w+ed)\b")
_ADJACENT_BEFORE = re.compile(r"[\s,\u2014\u2013-]*$")
_ADJACENT_AFTER = re.compile(r"^[\s,:\u2014\u2013-]*(?:that\s+)?$")
_WORD = re.compile(r"[\w'\u2019-]+")
_LOWER_WORD = re.compile(r"(?<![\w'\u2019-])[a-z][a-z'\u2019-]*")
_STRIP = " ,;:\u2014\u2013-"
_MIN_INDIRECT_WORDS = 3
_MAX_ADVERBIAL = 60  # chars between a verb and "that" ("said in a statement on Monday that")


@dataclass(slots=True, eq=False)
class _Entity:
    """One person of the article, however often and however named."""

    surname: str
    first: str
    forms: dict[str, int] = field(default_factory=dict)  # names as written -> count
    aliases: set[str] = field(default_factory=set)
    roles: RoleBook = field(default_factory=RoleBook)
    last_seen: int = -1
    quoted: bool = False

    def name(self) -> str:
        full = {f: n for f, n in self.forms.items() if len(name_words(f)) > 1} or self.forms
        return max(full.items(), key=lambda kv: (kv[1], len(kv[0])))[0]

    def to_person(self) -> Person:
        name = self.name()
        aliases = set(self.aliases) | set(self.forms)
        words = name_words(name)
        if len(words) > 1:
            aliases.add(words[-1])
        aliases.discard(name)
        return Person(name=name, aliases=tuple(sorted(aliases)), role=self.roles.best())


class _Registry:
    """The people of one article, found by surname and first-name compatibility."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self._lower_words: set[str] | None = None
        self.entities: list[_Entity] = []
        self.by_surname: dict[str, list[_Entity]] = {}
        self.by_word: dict[str, list[_Entity]] = {}

    def add(self, name: str, pos: int) -> _Entity:
        words = name_words(name) or [name]
        surname = name_key(words[-1])
        first = first_name_key(name)
        entity = None
        for candidate in self.by_surname.get(surname, ()):
            if first_names_compatible(candidate.first, first):
                entity = candidate
                break
        if entity is None:
            entity = _Entity(surname=surname, first=first)
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

    def lookup(self, word: str) -> _Entity | None:
        """A person a single name word refers to: the surname first, then any other name word."""
        key = name_key(word)
        found = self.by_surname.get(key) or self.by_word.get(key)
        if not found:
            return None
        return max(found, key=lambda e: (e.last_seen, sum(e.forms.values())))


@dataclass(slots=True)
class _PersonRef:
    """A person named in the text (outside quotations)."""

    start: int
    end: int
    entity: _Entity
    possessive: bool
    introduction: bool = False  # first mention, with a description: "Henry Crespo, president of X,"


@dataclass(slots=True)
class _Speaker:
    """Who a reporting verb is attributed to, before resolution."""

    kind: str  # "entity" | "pronoun" | "role" | "unnamed" | "nonperson"
    start: int
    end: int
    entity: _Entity | None = None
    pronoun: str = ""
    role: str = ""  # the role description for kind == "role"
    head: str = ""
    definite: bool = True


@dataclass(slots=True)
class _Cue:
    verb_start: int
    verb_end: int
    verb: str
    speaker: _Speaker
    content: tuple[int, int] | None  # reported words (paragraph offsets), or None
    trailing: bool  # the cue follows what it reports
    phrase: tuple[int, int]  # the whole attribution phrase (speaker + verb)


@dataclass(slots=True)
class _Found:
    who: "_Entity | None"
    kind: str
    text: str
    sentence: int


@dataclass(slots=True)
class _Paragraph:
    text: str
    masked: str
    sentence_starts: list[int]
    first_sentence: int
    quotes: list[QuoteSpan]
    people: list[_PersonRef] = field(default_factory=list)
    base: int = 0  # global offset for recency
    registry: "_Registry | None" = None
    names_text: str = ""  # the masked text without Title Case headlines, for finding new names

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.sentence_starts, pos) - 1)

    def sentence_bounds(self, index: int) -> tuple[int, int]:
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] - 1 if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end


# ---------------------------------------------------------------- entry point
def extract_quotes(doc: Doc) -> tuple[list[Person], list[Quote]]:
    paragraphs = _prepare(doc)
    registry = _Registry("\n".join(p.text for p in paragraphs))
    for para in paragraphs:
        para.registry = registry
        _register_people(para, registry)
    state = _State(registry)
    found: list[_Found] = []
    for para in paragraphs:
        found.extend(_attribute_paragraph(para, state))
    names = {id(e): e.name() for e in registry.entities}
    quotes = [Quote(speaker=names[id(f.who)] if f.who else None, kind=f.kind, text=f.text, sentence=f.sentence)
              for f in found]
    people = [e.to_person() for e in registry.entities if e.quoted]
    return people, quotes


def _prepare(doc: Doc) -> list[_Paragraph]:
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
        out.append(_Paragraph(text=text, masked=masked, sentence_starts=starts,
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
        if len(sentence) > 160:
            continue  # headlines are short
        if any(w.group() not in _HEADLINE_SMALL for w in _LOWER_WORD.finditer(sentence)):
            continue  # a lower-case content word: ordinary prose
        if len(_CAPITALISED.findall(sentence)) >= 4:
            out = out[:start] + " " * len(sentence) + out[start + len(sentence):]
    return out


def _normalise_marks(sentence: str) -> str:
    """Two single quotes or backticks ('' `` as in some newswire archives) are a double quote."""
    if "''" in sentence or "``" in sentence:
        return sentence.replace("''", '"').replace("``", '"')
    return sentence


# ---------------------------------------------------------------- people
def _register_people(para: _Paragraph, registry: _Registry) -> None:
    refs: list[_PersonRef] = []
    covered: list[tuple[int, int]] = []
    mentions, words = find_names(para.names_text)
    for mention in mentions:
        entity = _entity_for_mention(mention, registry, para.base)
        if entity is None:
            continue
        first_mention = not entity.roles and sum(entity.forms.values()) == 1
        if mention.title:
            entity.roles.add(mention.title, strength=1)
        role = apposition_role(para.masked, mention.end)
        if role:
            entity.roles.add(role, strength=1)
        aff = affiliation(para.masked, mention.end)
        if aff:
            entity.roles.add(aff, prefix=True)
        refs.append(_PersonRef(mention.run_start if mention.titled else mention.start, mention.end, entity,
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
        refs.append(_PersonRef(start, end, entity, possessive))
        role = apposition_role(para.masked, end)
        if role:
            entity.roles.add(role, strength=1)
    refs.sort(key=lambda r: r.start)
    para.people = refs


def _entity_for_mention(mention: Mention, registry: _Registry, base: int) -> _Entity | None:
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


# ---------------------------------------------------------------- attribution
class _State:
    """What the reader remembers while going through the article."""

    def __init__(self, registry: _Registry) -> None:
        self.registry = registry
        self.salient: _Entity | None = None  # the person the text is about right now
        self.salient_sentence: tuple[int, int] = (-1, -1)
        self.last_speaker: _Entity | None = None
        self.last_speaker_para = -10
        self.para_index = -1
        self.recent: list[_Entity] = []  # people in order of last mention, most recent last
        self.pending: _Entity | None = None  # "X continued:" waiting for the quote in the next paragraph
        self.has_pending = False
        self.open_quote_speaker: _Entity | None = None  # a quote running on into the next paragraph
        self.open_quote = False

    def touch(self, entity: _Entity) -> None:
        if self.recent and self.recent[-1] is entity:
            return
        if entity in self.recent:
            self.recent.remove(entity)
        self.recent.append(entity)

    def spoke(self, entity: _Entity, sentence: tuple[int, int] = (-1, -1)) -> None:
        entity.quoted = True
        self.salient = entity
        self.salient_sentence = sentence
        self.last_speaker = entity
        self.last_speaker_para = self.para_index
        self.touch(entity)


def _attribute_paragraph(para: _Paragraph, state: _State) -> list[_Found]:
    state.para_index += 1
    answer = _interview_answer(para, state)
    if answer is not None:
        return [answer]
    cues = _find_cues(para, state)
    quotes: list[_Found] = []
    assigned: dict[int, _Entity | None] = {}  # quote span index -> speaker
    attributed: set[int] = set()
    sentence_speaker: dict[int, _Entity | None] = {}
    cue_speakers: list[tuple[int, _Entity | None, bool]] = []  # (position, speaker, named-or-resolved)
    ref_index = 0
    refs = para.people
    for cue in cues:
        # People mentioned before the cue (outside what it reports) become salient first.
        while ref_index < len(refs) and refs[ref_index].start < cue.phrase[0]:
            ref = refs[ref_index]
            if cue.content is None or not (cue.content[0] <= ref.start < cue.content[1]):
                _note_mention(ref, para, state)
            ref_index += 1
        who, resolved = _resolve(cue, para, state, sentence_speaker)
        sentence = para.sentence_of(cue.verb_start)
        if who is not None:
            sentence_speaker[sentence] = who
            state.spoke(who, (state.para_index, sentence))
        cue_speakers.append((cue.verb_start, who, resolved))
        direct = _quotes_for_cue(cue, para)
        for qi in direct:
            if qi not in attributed:
                attributed.add(qi)
                assigned[qi] = who
        if cue.content is not None:
            indirect = _indirect_text(para, cue.content)
            if indirect:
                quotes.append(_Found(who, "indirect", indirect, para.first_sentence + para.sentence_of(cue.content[0])))
    for ref in refs[ref_index:]:
        _note_mention(ref, para, state)
    _attribute_leftover_quotes(para, cue_speakers, assigned, attributed, state)
    _note_introduction(para, cues, cue_speakers, state)
    for qi, span in enumerate(para.quotes):
        if qi not in attributed:
            continue
        text = span.text(para.text).strip(_STRIP + " ")
        if not _WORD.search(text):
            continue
        who = assigned.get(qi)
        quotes.append(_Found(who, "direct", text, para.first_sentence + para.sentence_of(span.open)))
    _carry_open_quote(para, assigned, attributed, state)
    return _merge_adjacent(quotes)


_LABEL = re.compile(r"([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}):\s+(?=\S)")


def _interview_answer(para: _Paragraph, state: _State) -> _Found | None:
    """'Valeriy Kistanov: I do not expect ...' -- an interview transcript: the paragraph is the
    named person's answer. An outlet's question ('Sputnik: ...') is not anyone's quote."""
    m = _LABEL.match(para.masked)
    if not m or para.names_text[:m.end(1)].isspace():
        return None  # no label, or a headline ("Lavrov: Russia Will Not ...")
    speaker = _parse_np(para, 0, m.end(1), allow_suffix=False)
    if speaker is None or speaker.kind != "entity" or speaker.end != m.end(1):
        return None
    if speaker.entity not in state.recent:
        return None  # only someone the article has introduced ("Sanders: Clinton needs ..." is a headline)
    text = para.text[m.end():].strip()
    if len(_WORD.findall(text)) < _MIN_INDIRECT_WORDS:
        return None
    for ref in para.people:
        _note_mention(ref, para, state)
    state.spoke(speaker.entity, (state.para_index, 0))
    return _Found(speaker.entity, "direct", text, para.first_sentence)


def _note_introduction(para: _Paragraph, cues: list[_Cue], cue_speakers: list, state: _State) -> None:
    """A paragraph ending "X said:" or "X made the following comment:" hands the floor to X
    for a quotation opening the next paragraph."""
    text = para.masked.rstrip()
    if not text.endswith(":"):
        return
    last_cue = cues[-1] if cues else None
    if last_cue is not None and last_cue.verb_end >= len(text) - 40:
        state.pending, state.has_pending = cue_speakers[-1][1], True
        return
    s_start, _ = para.sentence_bounds(len(para.sentence_starts) - 1)
    who = _clause_subject(para, max(s_start, text.rfind(MASK) + 1), len(text), state)
    if who is not None:
        state.pending, state.has_pending = who, True


def _note_mention(ref: _PersonRef, para: _Paragraph, state: _State) -> None:
    state.touch(ref.entity)
    sentence = (state.para_index, para.sentence_of(ref.start))
    if ref.introduction and not ref.possessive:
        # Someone introduced with a description is usually who speaks next.
        state.salient = ref.entity
        state.salient_sentence = sentence
        return
    if sentence == state.salient_sentence:
        return  # the first subject of a sentence is what it is about
    if not ref.possessive and _is_subject_position(para.masked, ref.start):
        state.salient = ref.entity
        state.salient_sentence = sentence


_SUBJECT_BREAK = re.compile(r"(?:^|[.;:!?]\s*|,\s*|\b(?:but|while|when|as|after|before|then|because|so)\s+)$")


def _is_subject_position(masked: str, start: int) -> bool:
    """A name at the start of a clause rather than after a preposition ("talks with Abe")."""
    before = masked[max(0, start - 30):start]
    return bool(_SUBJECT_BREAK.search(before)) or before.endswith(MASK + " ")


def _carry_open_quote(para: _Paragraph, assigned: dict[int, _Entity | None], attributed: set[int],
                      state: _State) -> None:
    qi = len(para.quotes) - 1
    state.open_quote = qi >= 0 and para.quotes[qi].runs_on and qi in attributed
    state.open_quote_speaker = assigned.get(qi) if state.open_quote else None


def _attribute_leftover_quotes(para: _Paragraph, cue_speakers: list[tuple[int, _Entity | None, bool]],
                               assigned: dict[int, _Entity | None], attributed: set[int], state: _State) -> None:
    """Quotes with no verb of their own: one with a speaker right after it or an introducing
    clause before a colon; a sentence-long quote goes to the paragraph's speaker; a paragraph
    that continues an open quote (or follows "X said:") to whoever spoke."""
    pending, has_pending = state.pending, state.has_pending
    state.pending, state.has_pending = None, False
    for qi, span in enumerate(para.quotes):
        if qi in attributed:
            continue
        if qi == 0 and span.open == 0 and (state.open_quote or has_pending):
            who = state.open_quote_speaker if state.open_quote else pending
            _give(qi, who, assigned, attributed, state)
            continue
        found, who = _speaker_after_quote(para, span, state)
        if not found:
            found, who = _speaker_before_colon(para, span, state)
        if found:
            _give(qi, who, assigned, attributed, state)
            continue
        if not _starts_sentence(para, span) or not cue_speakers:
            continue
        before = [c for c in cue_speakers if c[0] < span.open]
        _give(qi, (before[-1] if before else cue_speakers[0])[1], assigned, attributed, None)


def _give(qi: int, who: _Entity | None, assigned: dict[int, _Entity | None], attributed: set[int],
          state: _State | None) -> None:
    assigned[qi] = who
    attributed.add(qi)
    if state is not None and who is not None:
        state.spoke(who)


_DASH_SOURCE = re.compile(r"\s*[\u2015\u2014\u2013]+\s*")
_NP_VERB = re.compile(r"\s*,?\s*([^,.;:!?\x00]{1,80}?)\s+(?:\w+ly\s+)?(\w+ed|\w+s|said|told|wrote|spoke|sang|thought|"
                      r"began|went|knew|felt|put it|shot back|read)\b")


def _speaker_after_quote(para: _Paragraph, span: QuoteSpan, state: _State) -> tuple[bool, _Entity | None]:
    """'"...," Vitter demanded.' or '"..." ― Jane Doe': a speaker right after a quotation
    that ends like an attributed one, with any verb. Says whether a source was found at all."""
    if span.runs_on:
        return False, None
    masked = para.masked
    after = span.close + 1
    dash = _DASH_SOURCE.match(masked, after)
    if dash:
        end = _clause_end(masked, dash.end(), len(masked))
        speaker = _parse_np(para, dash.end(), end, allow_suffix=False, inverted=True)
        if speaker is not None and speaker.kind == "entity":
            return True, speaker.entity
        return False, None
    inside = para.text[span.start:span.close].rstrip(" '\u2019")[-1:]
    next_word = _WORD.search(masked, after)
    lower_next = bool(next_word) and next_word.group()[0].islower()
    if inside not in ",?!\u2014-" and not masked[after:after + 2].startswith(",") \
            and not (inside == "." and lower_next):
        return False, None
    m = _NP_VERB.match(masked, after)
    if not m:
        return False, None
    speaker = _parse_np(para, m.start(1), m.end(1), allow_suffix=False)
    if speaker is None:
        return False, None
    cue = _Cue(m.start(2), m.end(2), m.group(2), speaker, None, True, (m.start(1), m.end(2)))
    who, _ = _resolve(cue, para, state, {})
    return True, who


def _speaker_before_colon(para: _Paragraph, span: QuoteSpan, state: _State) -> tuple[bool, _Entity | None]:
    """'Sen. X scolded him: "..."', 'He concluded: "..."': the subject of the clause that
    introduces the quotation."""
    before = para.masked[:span.open].rstrip()
    if not before.endswith(":"):
        return False, None
    s_start, _ = para.sentence_bounds(para.sentence_of(span.open))
    clause_start = max(s_start, before.rfind(MASK) + 1)
    who = _clause_subject(para, clause_start, len(before), state)
    return (who is not None), who


_PRONOUN_SUBJECT = re.compile(r"\s*(?:[\w,]+\s+){0,3}?(?:[Hh]e|[Ss]he)\b")


def _clause_subject(para: _Paragraph, start: int, end: int, state: _State) -> _Entity | None:
    """The person a clause is about: its first name in subject position, or a leading he/she."""
    for ref in para.people:
        if start <= ref.start < end and not ref.possessive:
            return ref.entity if _is_subject_position(para.masked, ref.start) else None
    if _PRONOUN_SUBJECT.match(para.masked, start, end):
        return state.salient
    return None


def _starts_sentence(para: _Paragraph, span: QuoteSpan) -> bool:
    before = para.text[:span.open].rstrip()
    return not before or before[-1] in ".!?:\u201d\"" or before.endswith(MASK)


def _merge_adjacent(quotes: list[_Found]) -> list[_Found]:
    """Direct quotes of one speaker in one paragraph read as one quote ("...," he said. "...")."""
    out: list[_Found] = []
    for q in quotes:
        prev = out[-1] if out else None
        if prev and prev.kind == "direct" == q.kind and prev.who is q.who and q.who is not None:
            out[-1] = _Found(prev.who, "direct", f"{prev.text} {q.text}", prev.sentence)
        else:
            out.append(q)
    # Direct quotes come after the indirect ones of the same cue; keep article order.
    out.sort(key=lambda q: q.sentence)
    return out


# ---------------------------------------------------------------- cues
def _find_cues(para: _Paragraph, state: _State) -> list[_Cue]:
    cues: list[_Cue] = []
    masked = para.masked
    if "ccording to" in masked:
        for m in _ACCORDING_RE.finditer(masked):
            cue = _according_cue(para, m)
            if cue:
                cues.append(cue)
    if " by " in masked:
        for m in _AS_BY_RE.finditer(masked):
            cue = _as_by_cue(para, m)
            if cue:
                cues.append(cue)
    taken = [(c.phrase[0], c.phrase[1]) for c in cues]
    for m in _VERB_RE.finditer(masked):
        if any(s <= m.start() < e for s, e in taken):
            continue
        cue = _verb_cue(para, m, cues)
        if cue:
            cues.append(cue)
    cues.sort(key=lambda c: c.verb_start)
    return cues


def _according_cue(para: _Paragraph, m: re.Match) -> _Cue | None:
    masked = para.masked
    s_start, s_end = para.sentence_bounds(para.sentence_of(m.start()))
    np_end = _clause_end(masked, m.end(), s_end)
    speaker = _parse_np(para, m.end(), np_end, allow_suffix=False)
    if speaker is None:
        return None
    before = masked[s_start:m.start()].rstrip(_STRIP + " ")
    if before and not before.endswith(MASK):
        content = (s_start, s_start + len(before))  # "..., according to X."
        trailing = True
    else:
        content = (min(np_end + 1, s_end), s_end)  # "According to X, ..."
        trailing = False
    return _Cue(m.start(), m.end(), "according to", speaker, content, trailing, (m.start(), np_end))


def _as_by_cue(para: _Paragraph, m: re.Match) -> _Cue | None:
    s_start, s_end = para.sentence_bounds(para.sentence_of(m.start()))
    np_end = _clause_end(para.masked, m.end(), s_end)
    speaker = _parse_np(para, m.end(), np_end, allow_suffix=False)
    if speaker is None:
        return None
    content_end = len(para.masked[s_start:m.start()].rstrip(_STRIP + " ")) + s_start
    return _Cue(m.start(), m.end(), "as stated by", speaker, (s_start, content_end), True, (m.start(), np_end))


_CLAUSE_END = re.compile(r"[,;:.!?()\u2014\u2013]|\x00|\s-\s")


def _clause_end(masked: str, pos: int, limit: int) -> int:
    """End of a noun phrase that starts at `pos`: the next comma or sentence end."""
    m = _CLAUSE_END.search(masked, pos, limit)
    end = m.start() if m else limit
    # "Mr." and initials are not clause ends.
    while m and masked[m.start()] == "." and _abbrev_before(masked, m.start()):
        m = _CLAUSE_END.search(masked, m.start() + 1, limit)
        end = m.start() if m else limit
    return end


def _abbrev_before(text: str, dot: int) -> bool:
    word = re.search(r"([\w]+)$", text[max(0, dot - 6):dot])
    return bool(word) and (len(word.group(1)) == 1 or word.group(1).lower() in
                           {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
                            "rev", "prof", "u.s", "capt", "sgt", "adm"})


def _verb_cue(para: _Paragraph, m: re.Match, earlier: list[_Cue]) -> _Cue | None:
    masked = para.masked
    verb = m.group(1).lower()
    v_start, v_end = m.start(), m.end()
    prev_word = re.search(r"([\w'\u2019]+)\s+$", masked[max(0, v_start - 20):v_start])
    if prev_word and prev_word.group(1).lower() in _PASSIVE_BEFORE and verb in _PARTICIPLE_FORMS:
        return None  # "is said to", "was told"
    s_index = para.sentence_of(v_start)
    s_start, s_end = para.sentence_bounds(s_index)
    left = masked[s_start:v_start]
    # The subject can only be after the last quotation before the verb.
    cut = left.rfind(MASK)
    seg_start = s_start + cut + 1 if cut >= 0 else s_start
    speaker, trailing_subject = _subject_before(para, seg_start, v_start)
    inverted = False
    if speaker is None and verb in _PARTICIPLES:
        ref = _ref_ending_at(para, v_start)
        if ref is not None and ref.start >= seg_start and not ref.possessive:
            speaker = _Speaker("entity", ref.start, ref.end, entity=ref.entity)  # "footage of X asking"
        elif not masked[seg_start:v_start].strip() or masked[seg_start:v_start].rstrip().endswith(
                (",", " and", " before", " after", " while", " when", " by", " then", " quoted as")):
            speaker = _Speaker("same", v_start, v_start)  # "..., adding that": the sentence's subject
    if speaker is None:
        if speaker is None and verb in _INVERTIBLE and _after_break(masked, seg_start, v_start):
            np_end = _clause_end(masked, v_end, s_end)
            speaker = _parse_np(para, v_end, np_end, allow_suffix=False, inverted=True)
            if speaker is not None:
                inverted = True
        if speaker is None:
            return None
    # What is reported.
    if inverted or trailing_subject:
        phrase_start = speaker.start if not inverted else v_start
        content_end = masked[s_start:phrase_start].rstrip(_STRIP + " ")
        end = s_start + len(content_end)
        # A quotation right before the cue is the cue's; only a clause before it in the sentence is reported speech.
        content = (s_start, end) if end > s_start else None
        phrase_end = speaker.end if inverted else v_end
        after = _content_after(para, phrase_end if inverted else v_end, s_end, verb)
        if after is not None:
            # "Asked about X, Panov said Japan was ...": what follows the verb is the report.
            content = after
            phrase_start = speaker.start
            trailing = False
        elif not _only_adverbial(masked[phrase_end:s_end], verb):
            return None  # "underscored the importance of ...": an object, not reported speech
        else:
            trailing = True
            if content is not None and not _looks_like_clause(masked[content[0]:content[1]]):
                content = None  # "In a statement Friday, X said": a circumstance, not a report
            elif content is not None and MASK in masked[content[0]:content[1]]:
                # 'Sen. X scolded him: "...," she said': what leads into the quotation is not reported.
                content = (masked.index(MASK, content[0]), content[1])
        return _Cue(v_start, v_end, verb, speaker, content, trailing, (min(phrase_start, v_start), max(v_end, phrase_end)))
    content = _content_after(para, v_end, s_end, verb)
    return _Cue(v_start, v_end, verb, speaker, content, False, (speaker.start, v_end))


# Words that open an object rather than a circumstance: "stressed the importance of ...".
_OBJECT_START = frozenset("""the a an his her their its our my your some many no these those""".split())


def _only_adverbial(rest: str, verb: str) -> bool:
    """Nothing but circumstance after a verb that ends its report ('..., he said in an interview.')."""
    words = _WORD.findall(rest.replace(MASK, " "))
    if len(words) <= 3 or verb in _OBJECT_VERBS or rest.lstrip().startswith((",", "(", "\u2014", "\u2013", "-")):
        return True
    stripped = rest.lstrip(" ,")
    return stripped.startswith(MASK) or words[0].lower() not in _OBJECT_START


_NOT_CLAUSE_START = frozenset("""in at on for during after before as with without heading asked speaking following
amid despite since while when by from to unlike like but and or so if although though because according
responding referring pressed writing""".split())


def _looks_like_clause(text: str) -> bool:
    """Reported words before '..., X said' form a clause: a finite verb, not an introductory phrase."""
    stripped = text.replace(MASK, " ").strip()
    words = _WORD.findall(stripped)
    if len(words) < 3:
        return bool(words) and MASK in text
    if words[0].lower() in _NOT_CLAUSE_START and MASK not in text:
        # "During the talks, the leaders will ...": an introductory phrase, then the clause.
        comma = stripped.find(",")
        rest = stripped[comma + 1:] if comma >= 0 else ""
        return len(_WORD.findall(rest)) >= 4 and bool(_FINITE.search(rest))
    return bool(_FINITE.search(stripped)) or MASK in text


def _after_break(masked: str, seg_start: int, v_start: int) -> bool:
    """The verb opens its clause: right after a quotation or a comma ('"...," said X')."""
    before = masked[seg_start:v_start].strip()
    return not before or before.endswith(",")


def _content_after(para: _Paragraph, pos: int, s_end: int, verb: str) -> tuple[int, int] | None:
    """The reported clause after a verb: after "that", or a clause that starts right away."""
    masked = para.masked
    rest = masked[pos:s_end]
    if not rest.strip(_STRIP + " .!?"):
        return None
    stripped = rest.lstrip(" ,:")
    offset = pos + len(rest) - len(stripped)
    if stripped.startswith(MASK):
        return None  # a quotation follows: it is direct speech, handled as such
    that = _THAT.search(masked, pos, min(s_end, pos + _MAX_ADVERBIAL + 5))
    if that:
        between = masked[pos:that.start()]
        if MASK not in between and "," not in between.strip(" ,") and not _VERB_RE.search(between):
            return (that.end(), s_end)
    if verb in ("told", "tells", "telling"):
        # "told Interfax the talks were useful": the hearer, then the report.
        hearer = _HEARER.match(stripped)
        if hearer and _CLAUSE_START.match(stripped[hearer.end():]) and _FINITE.search(
                " ".join(stripped[hearer.end():].split()[:8])):
            return (offset + hearer.end(), s_end)
        return None
    if verb in _OBJECT_VERBS or verb not in _BARE_CLAUSE_VERBS or (verb.endswith("ing") and verb not in _SAYING):
        return None
    if rest.lstrip().startswith(","):
        return None  # ", a Miami lawyer who ...": an apposition, not a reported clause
    if _CLAUSE_START.match(stripped) and _FINITE.search(" ".join(stripped.split()[:10])) and not stripped.lower().startswith(("that ", "to ")):
        word = _WORD.match(stripped)
        if word and word.group().lower() in ("in", "on", "at", "during", "after", "before", "for", "to", "with"):
            return None
        return (offset, s_end)
    return None


_HEARER = re.compile(
    r"(?:(?:the\s+)?(?:[A-Z][\w.'\u2019&-]*\s+){1,4}|(?:reporters|journalists|lawmakers|parliament|him|her|them|us|me"
    r"|the\s+\w+|a\s+\w+)\s+)(?:(?:on|in|at|last|this)\s+[\w ]{1,30}?\s+)?"
)
_COORDINATED = re.compile(r"(?:^|\w)\s+(?:and|but|then|and then)\s*$")


def _subject_before(para: _Paragraph, seg_start: int, v_start: int) -> tuple[_Speaker | None, bool]:
    """The subject of a verb, read leftwards from the verb. Also says whether the subject
    phrase follows what it reports ('..., X said' / '"...," X said')."""
    masked = para.masked
    segment = masked[seg_start:v_start]
    tail_start = max(0, len(segment) - 80)  # the regex is anchored at the end: search a short tail
    filler = _TRAILING_FILLER.search(segment, tail_start)
    np_end = seg_start + (filler.start() if filler else len(segment.rstrip()))
    chunk_start = masked.rfind(",", seg_start, np_end)
    chunk_start = seg_start if chunk_start < 0 else chunk_start + 1
    chunk = masked[chunk_start:np_end]
    if not chunk.strip():
        # '..., X, director of Y, said': step over an apposition.
        return _subject_over_apposition(para, seg_start, chunk_start - 1)
    if _COORDINATED.search(chunk, max(0, len(chunk) - 16)):
        return _Speaker("same", np_end, np_end), False  # "She urges him to stop and says ...": her again
    speaker = _parse_np(para, chunk_start, np_end, allow_suffix=True)
    if speaker is None:
        return None, False
    if speaker.kind == "pronoun" and speaker.pronoun == "who":
        return speaker, False
    trailing = _follows_content(masked, seg_start, speaker.start)
    return speaker, trailing


def _follows_content(masked: str, seg_start: int, np_start: int) -> bool:
    """Is the subject phrase preceded by what it reports (a quotation or a clause and a comma)?"""
    before = masked[:np_start].rstrip()
    if not before:
        return False
    if before.endswith(MASK):
        return True
    if before.endswith(","):
        body = masked[seg_start:np_start].strip(" ,")
        return len(_WORD.findall(body)) >= 3 and not _ACCORDING_RE.search(body)
    return False


_PARTY_TAG = re.compile(r"^[RDI]-[A-Z][\w.]*$")  # "R-Ky."


def _subject_over_apposition(para: _Paragraph, seg_start: int, comma: int) -> tuple[_Speaker | None, bool]:
    """'X, the director of Y, one of Z, said', 'Putin, for his part, said': step back over
    appositives and asides to the subject. 'Japan's spokesman, Chief Cabinet Secretary
    Yoshihide Suga, said': a name in apposition to a description is the speaker."""
    masked = para.masked
    for _ in range(3):
        if comma <= seg_start:
            return None, False
        prev_comma = masked.rfind(",", seg_start, comma)
        appos_start = seg_start if prev_comma < 0 else prev_comma + 1
        appositive = masked[appos_start:comma].strip()
        if not appositive:
            return None, False
        ref = _ref_ending_at(para, comma)
        lead = appos_start + len(masked[appos_start:comma]) - len(masked[appos_start:comma].lstrip())
        if ref is not None and ref.start == lead and prev_comma >= 0:
            speaker = _Speaker("entity", ref.start, comma, entity=ref.entity)
            return speaker, _follows_content(masked, seg_start, ref.start)
        if not (appositive[0].islower() or appositive[0].isdigit()
                or appositive.split()[0].lower() in ("a", "an", "the") or _PARTY_TAG.match(appositive)):
            return None, False
        if prev_comma < 0:
            return None, False
        chunk_start = masked.rfind(",", seg_start, prev_comma)
        chunk_start = seg_start if chunk_start < 0 else chunk_start + 1
        speaker = _parse_np(para, chunk_start, prev_comma, allow_suffix=False)
        if speaker is not None and speaker.kind != "nonperson":
            return speaker, _follows_content(masked, seg_start, speaker.start)
        comma = prev_comma
    return None, False


def _ref_ending_at(para: _Paragraph, pos: int) -> _PersonRef | None:
    text = para.masked[:pos].rstrip()
    end = len(text)
    for ref in para.people:
        if ref.end == end or (ref.end < end and _PARENTHETICAL.fullmatch(text[ref.end:end])):
            return ref
    return None


_PARENTHETICAL = re.compile(r"\s*(?:\([^()]{0,40}\))?\s*\)?")


def _parse_np(para: _Paragraph, start: int, end: int, allow_suffix: bool, inverted: bool = False) -> _Speaker | None:
    """A speaker noun phrase in masked[start:end]: a name, a pronoun, a role description."""
    masked = para.masked
    raw = masked[start:end]
    text = raw.strip(" \u2013\u2014-")  # '"...," \u2013 Putin said'
    if not text or MASK in text:
        return None
    lead = len(raw) - len(raw.lstrip(" \u2013\u2014-"))
    np_start = start + lead
    np_end = np_start + len(text)
    words = text.split()
    last = words[-1].lower()
    # A pronoun ending the phrase ("echoed this when he").
    if last in _PRONOUNS and (len(words) == 1 or allow_suffix):
        return _Speaker("pronoun", np_end - len(words[-1]), np_end, pronoun=last)
    if inverted and words[0].lower() in _PRONOUNS:
        return _Speaker("pronoun", np_start, np_start + len(words[0]), pronoun=words[0].lower())
    # A person named there.
    for ref in para.people:
        if ref.possessive or not (np_start <= ref.start < np_end):
            continue
        tail = masked[ref.end:np_end]
        if not tail.strip() or _AFFILIATION.fullmatch(tail):
            head = masked[np_start:ref.start]
            if _ends_with_preposition(head):
                break  # "a spokesman for X": X is not the speaker
            if _AFFILIATION.match(tail) and tail.strip():
                ref.entity.roles.add(tail.strip(), strength=0, prefix=True)
            start = ref.start if inverted else np_start + len(head) - len(_LEADING_FILLER.sub("", head.lstrip()))
            return _Speaker("entity", min(start, ref.start), np_end if not inverted else ref.end, entity=ref.entity)
        if inverted:
            return _Speaker("entity", ref.start, ref.end, entity=ref.entity)
    stripped = _LEADING_FILLER.sub("", text)
    np_text_start = np_end - len(stripped)
    role = _role_np(stripped, inverted)
    if role is not None:
        kind, head, definite, role_text = role
        return _Speaker(kind, np_text_start, np_end, role=role_text, head=head, definite=definite)
    # A single capitalised word not registered as anyone: a person unless it is a known place/organisation.
    if len(stripped.split()) <= 3:
        candidate = stripped.split()[-1] if not inverted else stripped.split()[0]
        core = re.sub(r"[^\w'\u2019.\-]", "", candidate)
        capitalised = [w for w in stripped.split() if w[:1].isupper()]
        if core and core[0].isupper():
            if any(bare(w) in COMMON_WORDS for w in stripped.split()[1:]) or bare(stripped.split()[0]) in (
                    COMMON_WORDS - {"the"}):
                return None  # "When asked": not a noun phrase
            if stripped.split()[0].lower() == "the" or any(is_non_person_word(w) for w in capitalised):
                return _Speaker("nonperson", np_text_start, np_end)
            if all(is_name_word(w) for w in stripped.split()):
                entity = para_registry_add(para, stripped)
                if entity is not None:
                    return _Speaker("entity", np_text_start, np_end, entity=entity)
    return None


# "(D-Ohio)" or "of the University of Tokyo" after a speaker's name.
_AFFILIATION = re.compile(r"\s*(?:\([^()]{1,30}\)|(?:of|from|at|with)\s+(?:the\s+)?[A-Z][^()]*?(?:\([^()]{1,20}\))?)\s*")
_PREPOSITION_END = re.compile(r"\b(?:for|of|at|from|with|to|by|about|on|in|near|like|under|than)\s*$")


def _ends_with_preposition(text: str) -> bool:
    return bool(_PREPOSITION_END.search(text))


def para_registry_add(para: _Paragraph, name: str) -> _Entity | None:
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


def _role_np(text: str, inverted: bool) -> tuple[str, str, bool, str] | None:
    """'the Russian leader' -> ("role", "leader", True, "Russian leader"); 'sources' -> unnamed."""
    words = text.split()
    if not words or len(words) > 14:
        return None
    det = words[0].lower()
    has_det = det in _DETERMINERS or det.endswith(("'s", "\u2019s"))
    body = words[1:] if has_det else words
    if not body:
        return None
    # The head is the last role word before any prepositional phrase.
    head_i = None
    for i, w in enumerate(body):
        low = w.lower().strip(",.")
        if low in _PP_WORDS and head_i is not None:
            break
        if _is_role_word(low):
            head_i = i
        elif head_i is not None and low not in TITLE_WORDS:
            break
    if head_i is None:
        return None
    rest = body[head_i + 1:]
    if rest and rest[0].lower() not in _PP_WORDS:
        return None  # "President Obama responded to ...": a clause, not a description
    for w in body[:head_i]:
        low = w.lower()
        if low in _FUNCTION_WORDS or low in _PRONOUNS:
            return None  # "which calls for the two leaders": not one noun phrase
    head = body[head_i].lower().strip(",.")
    singular = head[:-1] if head.endswith("s") and head[:-1] in TITLE_WORDS | UNNAMED_HEADS else head
    plural = singular != head or det in ("some", "many", "most", "few", "several", "two", "three", "four",
                                          "other", "others", "these", "those", "both", "all")
    role_text = " ".join(body).strip(" ,")
    if plural or singular in UNNAMED_HEADS and singular not in TITLE_WORDS or singular in ("source", "sources"):
        return ("unnamed", singular, False, role_text)
    if not has_det and not inverted and len(body) == 1 and det not in TITLE_WORDS:
        return None
    definite = det in ("the", "this", "that")
    if det in ("his", "her", "their", "its", "our", "my", "your") or det.endswith(("'s", "\u2019s")):
        return ("unnamed", singular, False, role_text)  # "Abe's spokesman" is someone else
    if not has_det and not (body[0].lower() in TITLE_WORDS):
        return None
    return ("role", singular, definite, role_text)


_FUNCTION_WORDS = frozenset("""which that who whom whose for of to in on at with by from as and or but if when
while than then there here is are was were be been has have had do does did will would can could should may might
must not also""".split())
_PP_WORDS = frozenset({"at", "of", "for", "from", "with", "in", "on", "to", "inside", "within", "close", "familiar"})
_EXTRA_ROLE_WORDS = frozenset({"friend", "neighbor", "neighbour", "colleague", "relative", "father", "mother", "son",
                               "daughter", "wife", "husband", "brother", "sister", "partner", "cousin", "uncle",
                               "aunt", "man", "woman", "boy", "girl", "teacher", "student", "protester",
                               "protesters", "demonstrator", "demonstrators", "reader", "viewer", "caller",
                               "fan", "fans", "veteran", "owner", "worker", "workers", "parent", "parents",
                               "victim", "survivor", "attendee", "organizer", "organiser", "customer", "source", "sources", "people", "person", "insider", "insiders", "witness", "resident",
                               "residents", "voter", "voters", "employee", "employees", "staffer", "staffers",
                               "observers", "experts", "analysts", "critics", "supporters", "opponents",
                               "diplomats", "officials", "lawmakers", "leaders", "ministers", "scholars",
                               "economists", "historians", "scientists", "researchers", "others", "statement",
                               "report", "reports", "survey", "poll", "polls", "study"})


def _is_role_word(low: str) -> bool:
    if low in TITLE_WORDS or low in UNNAMED_HEADS or low in _EXTRA_ROLE_WORDS:
        return True
    return low.endswith("s") and (low[:-1] in TITLE_WORDS or low[:-1] in UNNAMED_HEADS)


# ---------------------------------------------------------------- resolution
def _resolve(cue: _Cue, para: _Paragraph, state: _State,
             sentence_speaker: dict[int, _Entity | None]) -> tuple[_Entity | None, bool]:
    sp = cue.speaker
    if sp.kind == "entity":
        return sp.entity, True
    if sp.kind == "same":
        sentence = para.sentence_of(cue.verb_start)
        if sentence_speaker.get(sentence) is not None:
            return sentence_speaker[sentence], True
        s_start, _ = para.sentence_bounds(sentence)
        for ref in para.people:
            if s_start <= ref.start < cue.verb_start and not ref.possessive \
                    and _is_subject_position(para.masked, ref.start):
                return ref.entity, True
        return state.salient, True
    if sp.kind in ("unnamed", "nonperson"):
        return None, False
    if sp.kind == "pronoun":
        if sp.pronoun in ("he", "she"):
            return _antecedent(cue, para, state), True
        if sp.pronoun == "who":
            ref = _nearest_ref_before(para, sp.start, para.sentence_bounds(para.sentence_of(sp.start))[0])
            return (ref.entity if ref else None), True
        return None, False
    if sp.kind == "role":
        return _role_antecedent(sp, state), True
    return None, False


def _antecedent(cue: _Cue, para: _Paragraph, state: _State) -> _Entity | None:
    """He/she: a person named earlier in the same sentence, else the person the text is about."""
    s_start, _ = para.sentence_bounds(para.sentence_of(cue.speaker.start))
    for ref in para.people:
        if ref.start >= cue.speaker.start:
            break
        if ref.start < s_start or ref.possessive:
            continue
        if cue.content and cue.content[0] <= ref.start < cue.content[1]:
            continue
        if _is_subject_position(para.masked, ref.start):
            return ref.entity
    return state.salient or state.last_speaker


def _nearest_ref_before(para: _Paragraph, pos: int, limit: int) -> _PersonRef | None:
    found = None
    for ref in para.people:
        if limit <= ref.start < pos:
            found = ref
    return found


def _role_antecedent(sp: _Speaker, state: _State) -> _Entity | None:
    """'the Russian leader': the latest person whose role fits; else the latest speaker if nothing contradicts."""
    for entity in reversed(state.recent):
        fit = role_head_matches(sp.head, sp.role, entity.roles)
        if fit > 0:
            if sp.role:
                entity.roles.add(sp.role, strength=1)  # "a senior associate at X" tells us more about them
            return entity
    last = state.last_speaker
    if last is not None and state.para_index - state.last_speaker_para <= 1:
        if role_head_matches(sp.head, sp.role, last.roles) >= 0:
            return last
    # "the New York businessman": the person the article is about, unless the role contradicts it.
    if sp.definite and state.salient is not None and role_head_matches(sp.head, sp.role, state.salient.roles) >= 0:
        return state.salient
    return None


# ---------------------------------------------------------------- quote text
def _ends_sentence(quoted: str) -> bool:
    return quoted.rstrip(" '\u2019")[-1:] == "."


def _quotes_for_cue(cue: _Cue, para: _Paragraph) -> list[int]:
    """Quotations this cue attributes: right before or after its phrase, or inside its content."""
    out = []
    masked = para.masked
    p_start, p_end = cue.phrase
    for qi, span in enumerate(para.quotes):
        close_end = min(len(masked), span.close + 1)
        if close_end <= p_start and _ADJACENT_BEFORE.fullmatch(masked[close_end:p_start]) \
                and (cue.trailing or not _ends_sentence(span.text(para.text))):
            # '"...," X said' -- but not '"...." X said the talks ...', where X starts a new report.
            out.append(qi)
        elif span.open >= p_end and _ADJACENT_AFTER.fullmatch(
                _skip_adverbial(masked[p_end:span.open], para.sentence_of(span.open) == para.sentence_of(p_end))):
            out.append(qi)
        elif cue.content and cue.content[0] <= span.open < cue.content[1] + 1:
            out.append(qi)
    return out


_ADVERBIAL = re.compile(r"^\s*(?:(?:in|on|at|during|after|before|to|with|of|last|this|earlier|later)\b[^,.;:\x00]{0,50}?)?"
                        r"(?=\s*[,:]?\s*(?:that\s+)?$)")


def _skip_adverbial(text: str, same_sentence: bool) -> str:
    """Drop a short adverbial between a verb and its quotation ("said in an interview: ",
    "told Capital Download on Wednesday, ")."""
    if len(text) > 90 or not same_sentence or ";" in text or _VERB_RE.search(text):
        return text
    stripped = text.rstrip()
    if stripped.endswith((",", ":")) and len(_WORD.findall(stripped)) <= 10:
        return stripped[-1]
    m = _ADVERBIAL.match(text)
    return text[m.end():] if m else text


def _indirect_text(para: _Paragraph, content: tuple[int, int]) -> str | None:
    start, end = content
    masked = para.masked[start:end]
    if masked.lstrip().startswith(MASK):
        return None  # a quotation with its context: reported as a direct quote
    unquoted = masked.replace(MASK, " ")
    if len(_WORD.findall(unquoted)) < _MIN_INDIRECT_WORDS:
        return None
    text = para.text[start:end].strip(_STRIP + " .")
    if text.lower().startswith("that "):
        text = text[5:]
    return text or None
