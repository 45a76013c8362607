"""Which way in time a date mention points, judged from the words around it.

A year-less "Dec. 15" or a bare "Tuesday" in a dated article means the most
recent such day when the clause is in the past tense and the next one when it
speaks of the future (the TimeML convention). Without a part-of-speech tagger
this is a guess from cue words; `None` means the words say nothing, and the
caller then takes the nearest such day.
"""
from __future__ import annotations

import re

FUTURE = "future"
PAST = "past"

FUTURE_CUES = frozenset(
    """will 'll shall would going scheduled expected plans planning intends intend upcoming forthcoming
    due tomorrow""".split()
)
PAST_CUES = frozenset(
    """said was were had did ago earlier told announced met held took since became began came went saw
    made gave got left found fell rose won lost led sent struck broke spoke wrote paid sold bought
    brought thought kept ran stood grew drew flew knew threw chose drove rode shook wore tore""".split()
)
_FINITE_PAST = frozenset("was were had did since ago earlier".split())
# Present tense: the clause is about now, so the date is probably near it.
PRESENT_CUES = frozenset("is are am".split())
# Before one of these a participle is passive ("will be held"), or a
# present perfect ("has invited") that says nothing about the date.
_AUX_BEFORE_PARTICIPLE = frozenset("be been being has have".split())
# After one of these an "-ed" word is an adjective ("the reduced dividend").
_DETERMINERS = frozenset("the a an its his her their our my your this that these those".split())
# A new clause: verbs beyond it belong to another event.
_CLAUSE_WORDS = frozenset("which who whom whose that when where while because although".split())
# A date right after one of these is a deadline or a target, which lies ahead.
_DEADLINE_WORDS = frozenset("by until till to".split())
_WORD = re.compile(r"[A-Za-z'-]+")
_LOOK_BEFORE = 140  # characters
_LOOK_AFTER = 60


def _cue(words: list[str], i: int, forward: bool) -> str | None:
    """The tense one word signals, given its neighbours, or None."""
    w = words[i]
    if w in FUTURE_CUES:
        return FUTURE
    if w in PRESENT_CUES:
        return "present"
    if w in _FINITE_PAST:
        return PAST
    if w in PAST_CUES or (len(w) > 4 and w.endswith("ed")):
        if forward:
            previous = words[i - 1] if i > 0 else ""
        else:
            previous = words[i + 1] if i + 1 < len(words) else ""
        if previous in _AUX_BEFORE_PARTICIPLE or previous in _DETERMINERS:
            return None
        return PAST
    return None


def _scan(words: list[str], forward: bool) -> str | None:
    for i, w in enumerate(words):
        if w in _CLAUSE_WORDS:
            return None
        cue = _cue(words, i, forward)
        if cue == "present":
            return None
        if cue:
            return cue
    return None


def tense_around(sentence: str, start: int, end: int) -> str | None:
    """FUTURE, PAST or None for the mention at sentence[start:end]: the
    nearest cue before it in its clause, else the first after it, else any
    cue in the sentence."""
    before = _WORD.findall(sentence[max(0, start - _LOOK_BEFORE):start].lower())[-20:]
    if before and before[-1] in _DEADLINE_WORDS:
        # "to be completed by Dec. 15" lies ahead; "had filed reports by Friday" does not
        return PAST if _FINITE_PAST.intersection(before[-6:-1]) else FUTURE
    found = _scan(before[::-1], forward=False)
    if found:
        return found
    after = _WORD.findall(sentence[end:end + _LOOK_AFTER].lower())[:8]
    found = _scan(after, forward=True)
    if found:
        return found
    cues = {_cue(words, i, True) for words in (_WORD.findall(sentence.lower()),) for i in range(len(words))}
    if FUTURE in cues and PAST not in cues:
        return FUTURE
    if PAST in cues and FUTURE not in cues:
        return PAST
    return None
