"""Reporting verbs and the speakers they belong to.

A cue is a verb of saying or believing ("said", "told", "according to", "as
stated by") tied to the phrase naming its speaker -- a name, a pronoun, a
role description ("the Russian leader", "a senior associate at X") -- and,
when there is one, the clause it reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .mentions import Entity, Paragraph, PersonRef, registry_add
from .names import COMMON_WORDS, NATIONALITIES, PLACES, TITLE_WORDS, UNNAMED_HEADS, bare, is_name_word, is_non_person_word
from .source_words import NAMING_VERBS, QUOTE_ONLY_VERBS, SPEAKING_BODY_NOUNS
from .quotemarks import MASK


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


VERB_RE = re.compile(r"\b(" + _trie_pattern(_PHRASAL + _VERB_FORMS + sorted(QUOTE_ONLY_VERBS | NAMING_VERBS)
                                             + ["Said", "Says", "Added", "Asked"]) + r")\b")

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
_PARTICIPLES = frozenset({v for v in _VERB_FORMS + list(QUOTE_ONLY_VERBS) if v.endswith("ing")}
                         | {"pointing out", "went on"})

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
FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|can|could|should|shall|has|have|had|may|might|must|does|did|do|cannot|"
    r"\w+n['\u2019]t|['\u2019](?:s|re|ll|ve|d)|remains?|seems?|appears?|wants?|needs?|made|went|got|took|gave|came|"
    r"saw|knew|thought|told|found|became|left|felt|brought|began|kept|held|wrote|stood|heard|meant|met|ran|paid|"
    r"spoke|led|grew|lost|fell|sent|built|understood|broke|spent|rose|won|sold|fought|\w+ed)\b")

WORD = re.compile(r"[\w'\u2019-]+")

STRIP = " ,;:\u2014\u2013-"

_MAX_ADVERBIAL = 60  # chars between a verb and "that" ("said in a statement on Monday that")


@dataclass(slots=True)
class Speaker:
    """Who a reporting verb is attributed to, before resolution."""

    kind: str  # "entity" | "pronoun" | "role" | "unnamed" | "nonperson"
    start: int
    end: int
    entity: Entity | None = None
    pronoun: str = ""
    role: str = ""  # the role description for kind == "role"
    head: str = ""
    definite: bool = True
    name: str = ""  # kind == "nonperson": the organisation's name when it has one ("PolitiFact", "IMF")


@dataclass(slots=True)
class Cue:
    verb_start: int
    verb_end: int
    verb: str
    speaker: Speaker
    content: tuple[int, int] | None  # reported words (paragraph offsets), or None
    trailing: bool  # the cue follows what it reports
    phrase: tuple[int, int]  # the whole attribution phrase (speaker + verb)


# ---------------------------------------------------------------- cues
def find_cues(para: Paragraph) -> list[Cue]:
    cues: list[Cue] = []
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
    for m in VERB_RE.finditer(masked):
        if any(s <= m.start() < e for s, e in taken):
            continue
        cue = _verb_cue(para, m, cues)
        if cue:
            cues.append(cue)
    cues.sort(key=lambda c: c.verb_start)
    return cues


def _according_cue(para: Paragraph, m: re.Match) -> Cue | None:
    masked = para.masked
    s_start, s_end = para.sentence_bounds(para.sentence_of(m.start()))
    np_end = clause_end(masked, m.end(), s_end)
    speaker = parse_np(para, m.end(), np_end, allow_suffix=False)
    if speaker is None:
        return None
    before = masked[s_start:m.start()].rstrip(STRIP + " ")
    if before and not before.endswith(MASK):
        content = (s_start, s_start + len(before))  # "..., according to X."
        trailing = True
    else:
        content = (min(np_end + 1, s_end), s_end)  # "According to X, ..."
        trailing = False
    return Cue(m.start(), m.end(), "according to", speaker, content, trailing, (m.start(), np_end))


def _as_by_cue(para: Paragraph, m: re.Match) -> Cue | None:
    s_start, s_end = para.sentence_bounds(para.sentence_of(m.start()))
    np_end = clause_end(para.masked, m.end(), s_end)
    speaker = parse_np(para, m.end(), np_end, allow_suffix=False)
    if speaker is None:
        return None
    content_end = len(para.masked[s_start:m.start()].rstrip(STRIP + " ")) + s_start
    return Cue(m.start(), m.end(), "as stated by", speaker, (s_start, content_end), True, (m.start(), np_end))


_CLAUSE_END = re.compile(r"[,;:.!?()\u2014\u2013]|\x00|\s-\s")


def clause_end(masked: str, pos: int, limit: int) -> int:
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


# A quotation right after a verb, past at most a hearer and a comma or colon ("asking her, "...").
_QUOTE_NEXT = re.compile(r"(?:\s+(?:him|her|them|us|me|you))?\s*[,:]?\s*" + MASK)


def _verb_cue(para: Paragraph, m: re.Match, earlier: list[Cue]) -> Cue | None:
    masked = para.masked
    verb = m.group(1).lower()
    v_start, v_end = m.start(), m.end()
    if verb in QUOTE_ONLY_VERBS and not _QUOTE_NEXT.match(masked, v_end):
        return None  # "sang the anthem": no words reported
    if verb in NAMING_VERBS:
        return _naming_cue(para, m)
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
        ref = ref_ending_at(para, v_start)
        if ref is not None and ref.start >= seg_start and not ref.possessive:
            speaker = Speaker("entity", ref.start, ref.end, entity=ref.entity)  # "footage of X asking"
        elif not masked[seg_start:v_start].strip() or masked[seg_start:v_start].rstrip().endswith(
                (",", " and", " before", " after", " while", " when", " by", " then", " quoted as")):
            speaker = Speaker("same", v_start, v_start)  # "..., adding that": the sentence's subject
    if speaker is None:
        if speaker is None and verb in _INVERTIBLE and _after_break(masked, seg_start, v_start):
            np_end = clause_end(masked, v_end, s_end)
            speaker = parse_np(para, v_end, np_end, allow_suffix=False, inverted=True)
            if speaker is None or speaker.kind in ("role", "unnamed"):
                # '"...," said one farmer, Tom Reed, 54.': the name in apposition is the speaker.
                speaker = _name_in_apposition(para, np_end, s_end) or speaker
            if speaker is not None:
                inverted = True
        if speaker is None:
            return None
    # What is reported.
    if inverted or trailing_subject:
        phrase_start = speaker.start if not inverted else v_start
        content_end = masked[s_start:phrase_start].rstrip(STRIP + " ")
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
        phrase = (min(phrase_start, v_start), max(v_end, phrase_end))
        return Cue(v_start, v_end, verb, speaker, content, trailing, phrase)
    content = _content_after(para, v_end, s_end, verb)
    return Cue(v_start, v_end, verb, speaker, content, False, (speaker.start, v_end))


# The object of a naming verb, then its quotation: 'called the plan "a fraud"', 'likened it to "..."'.
# The object is required: with none ('a group called "..."', 'a move described as "..."') the verb names a thing.
_NAMED_OBJECT = re.compile(r"\s+[^,.;:!?()\x00\u2014\u2013]{1,50}?\s+(?:as\s+|to\s+)?(?=\x00)")


def _naming_cue(para: Paragraph, m: re.Match) -> Cue | None:
    """'X called the plan "a fraud"': X's words, when X is a person (not 'a group called "..."')."""
    masked = para.masked
    v_start, v_end = m.start(), m.end()
    if masked[max(0, v_start - 3):v_start].lower() == "so-":
        return None  # "so-called": the writer's distance, not anyone's words
    obj = _NAMED_OBJECT.match(masked, v_end)
    if obj is None or VERB_RE.search(masked, v_end, obj.end()) or _CALL_ON.match(masked, v_end) \
            or masked[v_end:obj.end()].split() in (["as"], ["to"]):
        return None
    prev_word = re.search(r"([\w'\u2019]+)\s+$", masked[max(0, v_start - 20):v_start])
    if prev_word and prev_word.group(1).lower() in _PASSIVE_BEFORE:
        return None  # "is called", "was described as"
    s_start, _ = para.sentence_bounds(para.sentence_of(v_start))
    cut = masked.rfind(MASK, s_start, v_start)
    seg_start = cut + 1 if cut >= 0 else s_start
    known = len(para.registry.entities) if para.registry is not None else 0
    speaker, _ = _subject_before(para, seg_start, v_start)
    if speaker is None:
        return None
    if para.registry is not None and len(para.registry.entities) > known:
        return None  # a capitalised word taken for a new name ("Talk compared to ..."): too weak here
    return Cue(v_start, v_end, m.group(1).lower(), speaker, None, False, (speaker.start, obj.end()))


_CALL_ON = re.compile(r"\s+(?:on|upon|for|off|out|up|in)\b")  # "called on police to ...": a demand, not a name


# Words that open an object rather than a circumstance: "stressed the importance of ...".
_OBJECT_START = frozenset("""the a an his her their its our my your some many no these those""".split())


def _only_adverbial(rest: str, verb: str) -> bool:
    """Nothing but circumstance after a verb that ends its report ('..., he said in an interview.')."""
    words = WORD.findall(rest.replace(MASK, " "))
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
    words = WORD.findall(stripped)
    if len(words) < 3:
        return bool(words) and MASK in text
    if words[0].lower() in _NOT_CLAUSE_START and MASK not in text:
        # "During the talks, the leaders will ...": an introductory phrase, then the clause.
        comma = stripped.find(",")
        rest = stripped[comma + 1:] if comma >= 0 else ""
        return len(WORD.findall(rest)) >= 4 and bool(FINITE.search(rest))
    return bool(FINITE.search(stripped)) or MASK in text


def _name_in_apposition(para: Paragraph, np_end: int, s_end: int) -> Speaker | None:
    """A person named right after the comma that ends a description ('one farmer, Tom Reed')."""
    comma = para.masked[np_end:np_end + 2]
    if not comma.startswith(","):
        return None
    name_start = np_end + 1 + len(para.masked[np_end + 1:s_end]) - len(para.masked[np_end + 1:s_end].lstrip())
    for ref in para.people:
        if ref.start == name_start and not ref.possessive:
            return Speaker("entity", ref.start, ref.end, entity=ref.entity)
    return None


def _after_break(masked: str, seg_start: int, v_start: int) -> bool:
    """The verb opens its clause: right after a quotation or a comma ('"...," said X')."""
    before = masked[seg_start:v_start].strip()
    return not before or before.endswith(",")


def _content_after(para: Paragraph, pos: int, s_end: int, verb: str) -> tuple[int, int] | None:
    """The reported clause after a verb: after "that", or a clause that starts right away."""
    masked = para.masked
    rest = masked[pos:s_end]
    if not rest.strip(STRIP + " .!?"):
        return None
    stripped = rest.lstrip(" ,:")
    offset = pos + len(rest) - len(stripped)
    if stripped.startswith(MASK):
        # A quotation follows: direct speech, handled as such -- unless it opens a longer clause
        # ('said "budget cuts" and new taxes would pay for it'): then that clause is reported too.
        after_quote = stripped.lstrip(MASK)
        if verb in _BARE_CLAUSE_VERBS and len(WORD.findall(after_quote)) >= 3 \
                and FINITE.search(" ".join(after_quote.split()[:8])) and not after_quote.lstrip().startswith(","):
            return (offset, s_end)
        return None
    that = _THAT.search(masked, pos, min(s_end, pos + _MAX_ADVERBIAL + 5))
    if that:
        between = masked[pos:that.start()]
        if MASK not in between and "," not in between.strip(" ,") and not VERB_RE.search(between):
            return (that.end(), s_end)
    if verb in ("told", "tells", "telling"):
        # "told Interfax the talks were useful": the hearer, then the report.
        hearer = _HEARER.match(stripped)
        if hearer and _CLAUSE_START.match(stripped[hearer.end():]) and FINITE.search(
                " ".join(stripped[hearer.end():].split()[:8])):
            return (offset + hearer.end(), s_end)
        return None
    if verb in _OBJECT_VERBS or verb not in _BARE_CLAUSE_VERBS or (verb.endswith("ing") and verb not in _SAYING):
        return None
    if rest.lstrip().startswith(","):
        return None  # ", a Miami lawyer who ...": an apposition, not a reported clause
    if _CLAUSE_START.match(stripped) and FINITE.search(" ".join(stripped.split()[:10])) \
            and not stripped.lower().startswith(("that ", "to ")):
        word = WORD.match(stripped)
        if word and word.group().lower() in ("in", "on", "at", "during", "after", "before", "for", "to", "with"):
            return None
        return (offset, s_end)
    return None


_HEARER = re.compile(
    r"(?:(?:the\s+)?(?:[A-Z][\w.'\u2019&-]*\s+){1,4}|(?:reporters|journalists|lawmakers|parliament|him|her|them|us|me"
    r"|the\s+\w+|a\s+\w+)\s+)(?:(?:on|in|at|last|this)\s+[\w ]{1,30}?\s+)?"
)

_COORDINATED = re.compile(r"(?:^|\w)\s+(?:and|but|then|and then)\s*$")


def _subject_before(para: Paragraph, seg_start: int, v_start: int) -> tuple[Speaker | None, bool]:
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
        return Speaker("same", np_end, np_end), False  # "She urges him to stop and says ...": her again
    speaker = parse_np(para, chunk_start, np_end, allow_suffix=True)
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
        return len(WORD.findall(body)) >= 3 and not _ACCORDING_RE.search(body)
    return False


_PARTY_TAG = re.compile(r"^[RDI]-[A-Z][\w.]*$")  # "R-Ky."


def _subject_over_apposition(para: Paragraph, seg_start: int, comma: int) -> tuple[Speaker | None, bool]:
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
        ref = ref_ending_at(para, comma)
        lead = appos_start + len(masked[appos_start:comma]) - len(masked[appos_start:comma].lstrip())
        if ref is not None and ref.start == lead and prev_comma >= 0:
            speaker = Speaker("entity", ref.start, comma, entity=ref.entity)
            return speaker, _follows_content(masked, seg_start, ref.start)
        if not (appositive[0].islower() or appositive[0].isdigit()
                or appositive.split()[0].lower() in ("a", "an", "the") or _PARTY_TAG.match(appositive)):
            return None, False
        if prev_comma < 0:
            return None, False
        chunk_start = masked.rfind(",", seg_start, prev_comma)
        chunk_start = seg_start if chunk_start < 0 else chunk_start + 1
        speaker = parse_np(para, chunk_start, prev_comma, allow_suffix=False)
        if speaker is not None and speaker.kind != "nonperson":
            return speaker, _follows_content(masked, seg_start, speaker.start)
        comma = prev_comma
    return None, False


def ref_ending_at(para: Paragraph, pos: int) -> PersonRef | None:
    text = para.masked[:pos].rstrip()
    end = len(text)
    for ref in para.people:
        if ref.end == end or (ref.end < end and _PARENTHETICAL.fullmatch(text[ref.end:end])):
            return ref
    return None


_PARENTHETICAL = re.compile(r"\s*(?:\([^()]{0,40}\))?\s*\)?")


def parse_np(para: Paragraph, start: int, end: int, allow_suffix: bool, inverted: bool = False) -> Speaker | None:
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
        return Speaker("pronoun", np_end - len(words[-1]), np_end, pronoun=last)
    if inverted and words[0].lower() in _PRONOUNS:
        return Speaker("pronoun", np_start, np_start + len(words[0]), pronoun=words[0].lower())
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
            return Speaker("entity", min(start, ref.start), np_end if not inverted else ref.end, entity=ref.entity)
        if inverted:
            return Speaker("entity", ref.start, ref.end, entity=ref.entity)
    stripped = _LEADING_FILLER.sub("", text)
    np_text_start = np_end - len(stripped)
    role = _role_np(stripped, inverted)
    if role is not None:
        kind, head, definite, role_text = role
        return Speaker(kind, np_text_start, np_end, role=role_text, head=head, definite=definite)
    if _unnamed_organisation(stripped):
        return Speaker("nonperson", np_text_start, np_end)
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
                return Speaker("nonperson", np_text_start, np_end, name=_organisation_name(stripped))
            if all(is_name_word(w) for w in stripped.split()):
                entity = registry_add(para, stripped)
                if entity is not None:
                    return Speaker("entity", np_text_start, np_end, entity=entity)
    return None


def _unnamed_organisation(text: str) -> bool:
    """'the ministry', 'the Japanese foreign ministry', 'the company': an organisation left unnamed."""
    words = text.split()
    if any(w[:1].isupper() for w in words[1:]):
        return False  # "the State Department": a name, handled as one
    return 2 <= len(words) <= 5 and words[0].lower() in ("the", "a", "an") \
        and words[-1].lower().strip(",.") in SPEAKING_BODY_NOUNS


def _organisation_name(text: str) -> str:
    """The name of an organisation that speaks ("the IMF" -> "IMF"); nothing for a country, a
    nationality or a phrase with lower-case words ("Japan", "the Russians", "the talks")."""
    words = text.split()
    if len(words) > 1 and words[0] in ("the", "The"):
        words = words[1:]  # one form wherever the sentence puts it: "the IMF", "The IMF said"
    if not words or not all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return ""
    if any(w.endswith(("'s", "\u2019s")) for w in words[:-1]):
        return ""  # "NBC's Jane Doe": a person at the organisation, not the organisation
    if all(bare(w) in PLACES or bare(w) in NATIONALITIES or bare(w).rstrip("s") in NATIONALITIES for w in words):
        return ""  # "Japan claims ...", "the Russians said": a country's stand, not a source's words
    return " ".join(words).rstrip(",.")


# "(D-Ohio)" or "of the University of Tokyo" after a speaker's name.
_AFFILIATION = re.compile(
    r"\s*(?:\([^()]{1,30}\)|(?:of|from|at|with)\s+(?:the\s+)?[A-Z][^()]*?(?:\([^()]{1,20}\))?)\s*"
)

_PREPOSITION_END = re.compile(r"\b(?:for|of|at|from|with|to|by|about|on|in|near|like|under|than)\s*$")


def _ends_with_preposition(text: str) -> bool:
    return bool(_PREPOSITION_END.search(text))


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
                               "victim", "survivor", "attendee", "organizer", "organiser", "customer",
                               "source", "sources",
                               "people", "person", "insider", "insiders", "witness", "resident",
                               "residents", "voter", "voters", "employee", "employees", "staffer", "staffers",
                               "observers", "experts", "analysts", "critics", "supporters", "opponents",
                               "diplomats", "officials", "lawmakers", "leaders", "ministers", "scholars",
                               "economists", "historians", "scientists", "researchers", "others", "statement",
                               "report", "reports", "survey", "poll", "polls", "study"})


def _is_role_word(low: str) -> bool:
    if low in TITLE_WORDS or low in UNNAMED_HEADS or low in _EXTRA_ROLE_WORDS:
        return True
    return low.endswith("s") and (low[:-1] in TITLE_WORDS or low[:-1] in UNNAMED_HEADS)
