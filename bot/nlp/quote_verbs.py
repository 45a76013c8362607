"""Verbs that introduce a quotation but not a reported clause.

"chanted "...", "asking her, "..."", "tweeting: "..."": these report words
only when a quotation stands right next to them ("sang a hymn" reports
nothing), so they are cues only then (see cues.py).
"""
from __future__ import annotations

QUOTE_ONLY_VERBS = frozenset("""
asking
tweeting posted posting texted texting
chant chants chanted chanting
shout shouts shouted shouting yelled yelling screamed screaming cried crying
sang sings singing
""".split())
