"""Quotes and who said them.

Direct quotes are the words inside quotation marks; indirect quotes are the
clause reported by a speech or thought verb ("X said that ...", "..., X
said", "according to X, ..."). Each is credited to a person of the article:
named next to the verb, or reached through a pronoun ("he said") or a role
description ("the Russian leader said") by a recency rule with role matching.

The pass over an article is linear: people are registered paragraph by
paragraph (mentions.py), reporting verbs are found with the quotations
blanked out (cues.py), and each verb is tied to a speaker and to the words it
reports; quotations with no verb of their own follow newswire conventions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import FINITE, STRIP, VERB_RE, WORD, Cue, Speaker, clause_end, find_cues, parse_np, ref_ending_at
from .mentions import (Entity, Paragraph, PersonRef, Registry, is_headline, is_subject_position, prepare_paragraphs,
                       register_people)
from .quotemarks import MASK, QuoteSpan
from .roles import role_fit
from .source_words import ORGANISATION, SPOKESPERSON_HEADS
from .types import Doc, Person, Quote

_ADJACENT_BEFORE = re.compile(r"[\s,\u2014\u2013-]*$")

# After the cue: '... said: "', '... said that "', and a quote resumed after the cue ('"...," he said, but "...').
_ADJACENT_AFTER = re.compile(r"^[\s,:\u2014\u2013-]*(?:but\s+)?(?:that\s+)?$")

_MIN_INDIRECT_WORDS = 3

_MIN_COLON_QUOTE_WORDS = 4  # shorter after a colon is more often a title or a name than a quotation


@dataclass(slots=True)
class _Found:
    who: "Entity | None"
    kind: str
    text: str
    sentence: int
    parts: tuple[str, ...] = ()  # direct quotes: each quotation as written, punctuation kept
    cue: int | None = None  # index of the cue that attributed a direct quote, within its paragraph


# ---------------------------------------------------------------- entry point
def extract_quotes(doc: Doc) -> tuple[list[Person], list[Quote]]:
    paragraphs = prepare_paragraphs(doc)
    registry = Registry("\n".join(p.text for p in paragraphs))
    for para in paragraphs:
        para.registry = registry
        register_people(para, registry)
    state = _State(registry)
    found: list[_Found] = []
    for para in paragraphs:
        found.extend(_attribute_paragraph(para, state))
    speakers = {id(f.who): f.who for f in found if f.who is not None}
    people = {key: _source(entity, registry.text) for key, entity in speakers.items()}
    quotes = [Quote(speaker=_speaker_name(f.who, people), kind=f.kind, text=f.text, sentence=f.sentence,
                    parts=f.parts if len(f.parts) > 1 else ())
              for f in found]
    return list(people.values()), quotes


def _source(entity: Entity, text: str) -> Person:
    """A quoted source: a person, or an organisation the grammar of its quote named ("the IMF said")."""
    if entity.organisation:
        return Person(name=entity.name(), kind=ORGANISATION)
    return entity.to_person(text)


def _speaker_name(who: Entity | None, people: dict[int, Person]) -> str | None:
    return None if who is None else people[id(who)].name


# ---------------------------------------------------------------- attribution
class _State:
    """What the reader remembers while going through the article."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.salient: Entity | None = None  # the person the text is about right now
        self.salient_sentence: tuple[int, int] = (-1, -1)
        self.last_speaker: Entity | None = None
        self.last_speaker_para = -10
        self.para_index = -1
        self.recent: list[Entity] = []  # people in order of last mention, most recent last
        self.pending: Entity | None = None  # "X continued:" waiting for the quote in the next paragraph
        self.has_pending = False
        self.open_quote_speaker: Entity | None = None  # a quote running on into the next paragraph
        self.open_quote = False
        self.organisations: dict[str, Entity] = {}  # organisations quoted so far, by lower-cased name
        self.quoted: Entity | None = None  # whose direct quote ended the previous paragraph
        self.quoted_para = -10

    def organisation(self, name: str) -> Entity:
        """The one source standing for an organisation named `name` in this article."""
        key = name.lower().removeprefix("the ")  # "The IMF" opening a sentence is "the IMF"
        if key not in self.organisations:
            self.organisations[key] = Entity(surname=key, first="", forms={name: 1}, organisation=True)
        return self.organisations[key]

    def touch(self, entity: Entity) -> None:
        if entity.organisation:
            return  # "he", "she" and role descriptions never refer back to an organisation
        if self.recent and self.recent[-1] is entity:
            return
        if entity in self.recent:
            self.recent.remove(entity)
        self.recent.append(entity)

    def spoke(self, entity: Entity, sentence: tuple[int, int] = (-1, -1)) -> None:
        if entity.organisation:
            return
        self.salient = entity
        self.salient_sentence = sentence
        self.last_speaker = entity
        self.last_speaker_para = self.para_index
        self.touch(entity)


def _attribute_paragraph(para: Paragraph, state: _State) -> list[_Found]:
    state.para_index += 1
    answer = _interview_answer(para, state)
    if answer is not None:
        return [answer]
    cues = find_cues(para)
    quotes: list[_Found] = []
    assigned: dict[int, Entity | None] = {}  # quote span index -> speaker
    attributed: set[int] = set()
    sentence_speaker: dict[int, Entity | None] = {}
    cue_speakers: list[tuple[int, Entity | None, bool]] = []  # (position, speaker, named-or-resolved)
    cue_of: dict[int, int] = {}  # quote span index -> index of the cue that attributed it
    ref_index = 0
    refs = para.people
    for ci, cue in enumerate(cues):
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
                cue_of[qi] = ci
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
        text = span.text(para.text).strip(STRIP + " ")
        if not WORD.search(text):
            continue
        who = assigned.get(qi)
        part = span.text(para.text).strip()
        quotes.append(_Found(who, "direct", text, para.first_sentence + para.sentence_of(span.open), (part,),
                             cue_of.get(qi)))
    _carry_open_quote(para, assigned, attributed, state)
    _note_last_quoted(quotes, state)
    return _merge_adjacent(quotes)


def _note_last_quoted(quotes: list[_Found], state: _State) -> None:
    direct = [q for q in quotes if q.kind == "direct"]
    if direct and direct[-1].who is not None:
        state.quoted, state.quoted_para = direct[-1].who, state.para_index


_LABEL = re.compile(r"([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}):\s+(?=\S)")


def _interview_answer(para: Paragraph, state: _State) -> _Found | None:
    """'Valeriy Kistanov: I do not expect ...' -- an interview transcript: the paragraph is the
    named person's answer. An outlet's question ('Sputnik: ...') is not anyone's quote."""
    m = _LABEL.match(para.masked)
    if not m or para.names_text[:m.end(1)].isspace():
        return None  # no label, or a headline ("Lavrov: Russia Will Not ...")
    speaker = parse_np(para, 0, m.end(1), allow_suffix=False)
    if speaker is None or speaker.kind != "entity" or speaker.end != m.end(1):
        return None
    if speaker.entity not in state.recent:
        return None  # only someone the article has introduced ("Sanders: Clinton needs ..." is a headline)
    text = para.text[m.end():].strip()
    if len(WORD.findall(text)) < _MIN_INDIRECT_WORDS:
        return None
    for ref in para.people:
        _note_mention(ref, para, state)
    state.spoke(speaker.entity, (state.para_index, 0))
    return _Found(speaker.entity, "direct", text, para.first_sentence)


def _note_introduction(para: Paragraph, cues: list[Cue], cue_speakers: list, state: _State) -> None:
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


def _note_mention(ref: PersonRef, para: Paragraph, state: _State) -> None:
    state.touch(ref.entity)
    sentence = (state.para_index, para.sentence_of(ref.start))
    if ref.introduction and not ref.possessive:
        # Someone introduced with a description is usually who speaks next.
        state.salient = ref.entity
        state.salient_sentence = sentence
        return
    if sentence == state.salient_sentence:
        return  # the first subject of a sentence is what it is about
    if not ref.possessive and is_subject_position(para.masked, ref.start):
        state.salient = ref.entity
        state.salient_sentence = sentence


def _carry_open_quote(para: Paragraph, assigned: dict[int, Entity | None], attributed: set[int],
                      state: _State) -> None:
    qi = len(para.quotes) - 1
    state.open_quote = qi >= 0 and para.quotes[qi].runs_on and qi in attributed
    state.open_quote_speaker = assigned.get(qi) if state.open_quote else None


def _attribute_leftover_quotes(para: Paragraph, cue_speakers: list[tuple[int, Entity | None, bool]],
                               assigned: dict[int, Entity | None], attributed: set[int], state: _State) -> None:
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
        if qi == 0 and not cue_speakers and _only_quotations(para) and state.quoted_para == state.para_index - 1:
            # '"...," she said.' then a paragraph that is nothing but a quotation: she goes on.
            _give(qi, state.quoted, assigned, attributed, state)
            continue
        found, who = _headline_speaker(para, span, state)
        if not found:
            found, who = _speaker_after_quote(para, span, state)
        if not found:
            found, who = _speaker_before_colon(para, span, state)
        if found:
            _give(qi, who, assigned, attributed, state)
            continue
        if not _starts_sentence(para, span):
            continue
        if not cue_speakers:
            who = _previous_sentence_subject(para, span, state)
            if who is not None:
                _give(qi, who, assigned, attributed, state)
            continue
        before = [c for c in cue_speakers if c[0] < span.open]
        _give(qi, (before[-1] if before else cue_speakers[0])[1], assigned, attributed, None)


def _previous_sentence_subject(para: Paragraph, span: QuoteSpan, state: _State) -> Entity | None:
    """'Senator X was defiant. "We will not back down."': a whole-sentence quotation with no
    attribution of its own belongs to the person the sentence before it is about."""
    index = para.sentence_of(span.open)
    if index == 0 or span.runs_on or span.text(para.text).rstrip(" '\u2019")[-1:] not in ".!?":
        return None
    start, end = para.sentence_bounds(index - 1)
    if MASK in para.masked[start:end]:
        return None  # the sentence before holds a quotation of its own
    return _clause_subject(para, start, end, state)


def _only_quotations(para: Paragraph) -> bool:
    """The paragraph is closed quotations and nothing else."""
    return not para.quotes[-1].runs_on and not para.masked.replace(MASK, "").strip(STRIP + " .!?")


def _give(qi: int, who: Entity | None, assigned: dict[int, Entity | None], attributed: set[int],
          state: _State | None) -> None:
    assigned[qi] = who
    attributed.add(qi)
    if state is not None and who is not None:
        state.spoke(who)


_NAME_WORD = re.compile(r"[A-Z][\w'\u2019.-]*")

_MIN_UNNAMED_HEADLINE_QUOTE_WORDS = 3  # a lone scare-quoted word in a headline is no one's quote


def _headline_speaker(para: Paragraph, span: QuoteSpan, state: _State) -> tuple[bool, Entity | None]:
    """'Senator Smith Slams Budget: "A Disgrace"': a quotation in a headline is the words of
    the person the headline names, if the article names them; else of a source left unnamed."""
    s_start, s_end = para.sentence_bounds(para.sentence_of(span.open))
    if not is_headline(para.text[s_start:s_end]):
        return False, None
    words = _NAME_WORD.findall(para.masked[s_start:s_end].replace(MASK, " "))
    who = state.registry.by_name_words([w.rstrip(".") for w in words])
    if who is None and len(WORD.findall(span.text(para.text))) < _MIN_UNNAMED_HEADLINE_QUOTE_WORDS:
        return False, None
    return True, who


_DASH_SOURCE = re.compile(r"\s*[\u2015\u2014\u2013]+\s*")

_NP_VERB = re.compile(r"\s*,?\s*([^,.;:!?\x00]{1,80}?)\s+(?:\w+ly\s+)?(\w+ed|\w+s|said|told|wrote|spoke|sang|thought|"
                      r"began|went|knew|felt|put it|shot back|read)\b")


def _speaker_after_quote(para: Paragraph, span: QuoteSpan, state: _State) -> tuple[bool, Entity | None]:
    """'"...," Vitter demanded.' or '"..." ― Jane Doe': a speaker right after a quotation
    that ends like an attributed one, with any verb. Says whether a source was found at all."""
    if span.runs_on:
        return False, None
    masked = para.masked
    after = span.close + 1
    dash = _DASH_SOURCE.match(masked, after)
    if dash:
        end = clause_end(masked, dash.end(), len(masked))
        speaker = parse_np(para, dash.end(), end, allow_suffix=False, inverted=True)
        if speaker is not None and speaker.kind == "entity":
            return True, speaker.entity
        return False, None
    inside = para.text[span.start:span.close].rstrip(" '\u2019")[-1:]
    next_word = WORD.search(masked, after)
    lower_next = bool(next_word) and next_word.group()[0].islower()
    if inside not in ",?!\u2014-" and not masked[after:after + 2].startswith(",") \
            and not (inside == "." and lower_next):
        return False, None
    m = _NP_VERB.match(masked, after)
    if not m:
        return False, None
    speaker = parse_np(para, m.start(1), m.end(1), allow_suffix=False)
    if speaker is None:
        # '"Enough!" the crowd shouted': a reporting verb right after the quotation attributes
        # it, even to a source we cannot name.
        return bool(VERB_RE.fullmatch(m.group(2))) and m.group(1)[:1].islower(), None
    cue = Cue(m.start(2), m.end(2), m.group(2), speaker, None, True, (m.start(1), m.end(2)))
    who, _ = _resolve(cue, para, state, {})
    return True, who


def _speaker_before_colon(para: Paragraph, span: QuoteSpan, state: _State) -> tuple[bool, Entity | None]:
    """'Sen. X scolded him: "..."', 'He concluded: "..."': the subject of the clause that
    introduces the quotation."""
    before = para.masked[:span.open].rstrip()
    if before.endswith(("--", "\u2014", "\u2013")):
        # '... Mitt Romney -- "It is disqualifying ..." --': the person named just before the dash.
        ref = ref_ending_at(para, len(before.rstrip("-\u2014\u2013 ")))
        return (True, ref.entity) if ref is not None and not ref.possessive else (False, None)
    if not before.endswith(":"):
        return False, None
    s_start, _ = para.sentence_bounds(para.sentence_of(span.open))
    clause_start = max(s_start, before.rfind(MASK) + 1)
    who = _clause_subject(para, clause_start, len(before), state) or _named_in_verbless(para, clause_start, len(before))
    if who is None and len(WORD.findall(span.text(para.text))) >= _MIN_COLON_QUOTE_WORDS:
        return True, None  # 'The study's conclusion: "..."': quoted, though not by a person we know
    return (who is not None), who


def _named_in_verbless(para: Paragraph, start: int, end: int) -> Entity | None:
    """'A word of advice from Jane Doe: "..."', 'Doe's verdict: "..."': a lead-in with no
    verb that names one person gives the quotation to them."""
    if FINITE.search(para.masked, start, end) or VERB_RE.search(para.masked, start, end):
        return None
    named = {id(ref.entity): ref.entity for ref in para.people if start <= ref.start < end}
    return next(iter(named.values())) if len(named) == 1 else None


_PRONOUN_SUBJECT = re.compile(r"\s*(?:[\w,]+\s+){0,3}?(?:[Hh]e|[Ss]he)\b")


def _clause_subject(para: Paragraph, start: int, end: int, state: _State) -> Entity | None:
    """The person a clause is about: its first name in subject position, or a leading he/she."""
    for ref in para.people:
        if start <= ref.start < end and not ref.possessive:
            return ref.entity if is_subject_position(para.masked, ref.start) else None
    if _PRONOUN_SUBJECT.match(para.masked, start, end):
        return state.salient
    return None


def _starts_sentence(para: Paragraph, span: QuoteSpan) -> bool:
    before = para.text[:span.open].rstrip()
    return not before or before[-1] in ".!?:\u201d\"" or before.endswith(MASK)


def _merge_adjacent(quotes: list[_Found]) -> list[_Found]:
    """Direct quotes of one speaker in one paragraph read as one quote ("...," he said. "...");
    so do the parts of a quote interrupted by one attribution, even an unnamed speaker's
    ('"...," the narrator says, "..."')."""
    out: list[_Found] = []
    for q in quotes:
        prev = out[-1] if out else None
        same_speaker = prev is not None and prev.who is q.who and q.who is not None
        same_cue = prev is not None and prev.cue is not None and prev.cue == q.cue
        if prev and prev.kind == "direct" == q.kind and (same_speaker or same_cue):
            out[-1] = _Found(prev.who, "direct", f"{prev.text} {q.text}", prev.sentence, prev.parts + q.parts,
                             prev.cue)
        else:
            out.append(q)
    # Direct quotes come after the indirect ones of the same cue; keep article order.
    out.sort(key=lambda q: q.sentence)
    return out


# ---------------------------------------------------------------- resolution
def _resolve(cue: Cue, para: Paragraph, state: _State,
             sentence_speaker: dict[int, Entity | None]) -> tuple[Entity | None, bool]:
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
                    and is_subject_position(para.masked, ref.start):
                return ref.entity, True
        return state.salient, True
    if sp.kind == "nonperson" and sp.name:
        return state.organisation(sp.name), True
    if sp.kind in ("role", "unnamed") and sp.head in SPOKESPERSON_HEADS:
        return _spokesperson_source(para.text[sp.start:sp.end], state), True
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


_CAPITALISED_RUN = re.compile(r"[A-Z][\w&.'\u2019-]*(?:\s+(?:of\s+)?[A-Z][\w&.'\u2019-]*)*")


def _spokesperson_source(np_text: str, state: _State) -> Entity | None:
    """'a White House spokesman', 'a spokeswoman for the Interior Ministry', 'the Navy's
    spokesman': the organisation they speak for. A person's spokesman ('Lee's spokesman')
    or one for no named organisation is an unnamed source, not the last person quoted."""
    for run in _CAPITALISED_RUN.findall(np_text):
        name = re.sub(r"['\u2019]s$", "", run).rstrip(".,")
        words = name.split()
        if words and words[0] in ("The", "A", "An"):
            words = words[1:]
        if not words:
            continue  # "A spokesman ...": the article, not a name
        if any(state.registry.lookup(w) in state.recent for w in words):
            return None  # a person the article has named: their spokesman is not them
        return state.organisation(" ".join(words))
    return None


def _antecedent(cue: Cue, para: Paragraph, state: _State) -> Entity | None:
    """He/she: a person named earlier in the same sentence, else the person the text is about."""
    s_start, _ = para.sentence_bounds(para.sentence_of(cue.speaker.start))
    for ref in para.people:
        if ref.start >= cue.speaker.start:
            break
        if ref.start < s_start or ref.possessive:
            continue
        if cue.content and cue.content[0] <= ref.start < cue.content[1]:
            continue
        if is_subject_position(para.masked, ref.start):
            return ref.entity
    return state.salient or state.last_speaker


def _nearest_ref_before(para: Paragraph, pos: int, limit: int) -> PersonRef | None:
    found = None
    for ref in para.people:
        if limit <= ref.start < pos:
            found = ref
    return found


def _role_antecedent(sp: Speaker, state: _State) -> Entity | None:
    """'the Russian leader': the latest person whose role fits; else the latest speaker if nothing contradicts."""
    # The role noun must fit; "the Danish minister" may also be found by nationality alone.
    best, best_score = None, 0
    for entity in reversed(state.recent):  # most recent first: it wins a tie
        fit = role_fit(sp.head, sp.role, entity.roles)
        if (fit.head or (sp.definite and fit.origin)) and fit.score > best_score:
            best, best_score = entity, fit.score
    if best is not None:
        if sp.role:
            best.roles.add(sp.role, strength=1)  # "a senior associate at X" tells us more about them
        return best
    last = state.last_speaker
    if last is not None and state.para_index - state.last_speaker_para <= 1:
        if not role_fit(sp.head, sp.role, last.roles).conflict:
            return last
    # "the New York businessman": the person the article is about, unless the role contradicts it.
    if sp.definite and state.salient is not None and not role_fit(sp.head, sp.role, state.salient.roles).conflict:
        return state.salient
    return None


# ---------------------------------------------------------------- quote text
def _ends_sentence(quoted: str) -> bool:
    return quoted.rstrip(" '\u2019")[-1:] == "."


def _quotes_for_cue(cue: Cue, para: Paragraph) -> list[int]:
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


_ADVERBIAL = re.compile(
    r"^\s*(?:(?:in|on|at|during|after|before|to|with|of|last|this|earlier|later)\b[^,.;:\x00]{0,50}?)?"
    r"(?=\s*[,:]?\s*(?:that\s+)?$)"
)


def _skip_adverbial(text: str, same_sentence: bool) -> str:
    """Drop a short adverbial between a verb and its quotation ("said in an interview: ",
    "told Capital Download on Wednesday, ")."""
    if len(text) > 90 or not same_sentence or ";" in text or VERB_RE.search(text):
        return text
    stripped = text.rstrip()
    if stripped.endswith((",", ":", "\u2014", "\u2013", "--")) and len(WORD.findall(stripped)) <= 10:
        return stripped[-1]
    m = _ADVERBIAL.match(text)
    return text[m.end():] if m else text


def _indirect_text(para: Paragraph, content: tuple[int, int]) -> str | None:
    start, end = content
    masked = para.masked[start:end]
    unquoted = masked.replace(MASK, " ")
    if len(WORD.findall(unquoted)) < _MIN_INDIRECT_WORDS:
        return None  # a quotation with little around it: reported as a direct quote
    if masked.lstrip().startswith(MASK) and VERB_RE.search(unquoted):
        return None  # '"...," she said, but ...': another report, not one clause led by a quotation
    text = para.text[start:end].strip(STRIP + " .")
    if text.lower().startswith("that "):
        text = text[5:]
    return text or None
