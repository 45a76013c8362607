"""Word lists for quotation cues and their sources (kept apart from the logic in cues.py).

QUOTE_ONLY_VERBS: "chanted "...", "asking her, "..."", "tweeting: "..."": these
report words only when a quotation stands right next to them ("sang a hymn"
reports nothing), so they are cues only then.

NAMING_VERBS: "called the deal "a disaster"", "likened the rules to "a
straitjacket"", "hailed him as "a genius"": the subject's words are the
quotation that names or describes the object.

SPOKESPERSON_HEADS: someone who speaks for an organisation ("a White House
spokesman", "a spokeswoman for the ministry"): the organisation is the source.

ORGANISATION_HEADS: the nouns of an unnamed organisation that speaks ("the
ministry said in a statement", "the company said"): a source, not a person.
"""
from __future__ import annotations

QUOTE_ONLY_VERBS = frozenset("""
asking
tweeting posted posting texted texting
chant chants chanted chanting
shout shouts shouted shouting yelled yelling screamed screaming cried crying
sang sings singing
""".split())

ORGANISATION_HEADS = frozenset("""
ministry department agency office embassy government administration cabinet council commission committee
company firm corporation bank group organisation organization association union federation foundation institute
campaign party court newspaper paper magazine network channel website outlet station broadcaster
police army military navy regime authority authorities service bureau board panel
""".split())

SPOKESPERSON_HEADS = frozenset("spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople".split())

NAMING_VERBS = frozenset("""
call calls called calling dubbed dubs labeled labelled labels branded brands termed terms
described describes describing likened likens compared hailed hails
""".split())
