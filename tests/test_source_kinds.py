"""Organisations, outlets, documents and groups that are quoted are sources of their own kind,
listed apart from people in /experts and marked in the export."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.console import Session, run_line
from bot.export import export_document
from bot.ingest import CorpusLoader
from bot.nlp import analyse
from bot.nlp.types import Doc

STORY = """---
title: Ferry fares rise again
published: 2025-04-10
source: harbour-gazette
---
Ferry fares rise again

"Fares will rise by four percent from May," Marlinex said in a statement.

"Demand for crossings grew modestly in every district," the Coastal Digest said.

"We cannot afford another rise," Islanders said in a letter to the council.

"The increase is small and overdue," said Ingrid Solvang, an economist at a shipping consultancy. She added that fuel costs had doubled.

"I will raise it with the board," Rask said, and he left the meeting early.
"""

STORY_2 = """---
title: Ferry board meets
published: 2025-04-12
source: harbour-gazette
---
Ferry board meets

"The board will meet on Friday," Marlinex said.

"We asked for a hearing," said Ingrid Solvang.
"""


@pytest.fixture
async def session(tmp_path, any_store):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fares.md").write_text(STORY, encoding="utf-8")
    (corpus / "board.md").write_text(STORY_2, encoding="utf-8")
    loader = CorpusLoader(any_store, corpus)
    await loader.reload()
    return Session(any_store, loader, today=lambda: dt.date(2025, 4, 13))


def _kinds(text: str) -> dict[str, str]:
    paragraphs = tuple((p,) for p in text.split("\n\n")[1:] if p.strip())
    return {p.name: p.kind for p in analyse(Doc(paragraphs)).people}


def test_each_source_gets_the_kind_its_evidence_gives():
    kinds = _kinds(STORY.split("---\n", 2)[2])
    assert kinds["Ingrid Solvang"] == "person"  # a first name, a surname, a role
    assert kinds["Rask"] == "person"  # one word, but "he" follows the mention
    assert kinds["Marlinex"] == "organisation"  # one word and nothing says a person
    assert kinds["Coastal Digest"] == "organisation"  # "the" before a bare name
    assert kinds["Islanders"] == "group"


def test_a_head_noun_makes_an_organisation_and_a_title_makes_a_person():
    from bot.nlp.source_kinds import classify_sources
    from bot.nlp.types import Person

    sentences = ["The Transport Ministry and the Harbour Times disagreed.", "Acme Corp. was silent."]
    people = [Person("Transport Ministry"), Person("Harbour Times"), Person("Acme Corp."), Person("Beige Book"),
              Person("Lee", aliases=("President Lee",)), Person("Okafor", role="a spokeswoman for the port")]
    kinds = {p.name: p.kind for p in classify_sources(people, sentences)}
    assert kinds == {"Transport Ministry": "organisation", "Harbour Times": "organisation",
                     "Acme Corp.": "organisation", "Beige Book": "organisation",
                     "Lee": "person", "Okafor": "person"}


def test_a_plural_demonym_and_an_acronym_plural_are_groups():
    text = ('Intro line.\n\n"We are worried about the tariffs," Europeans said.\n\n'
            'Super PACs said: "We will spend whatever it takes."')
    kinds = _kinds(text)
    assert kinds == {"Europeans": "group", "Super PACs": "group"}


async def test_experts_lists_people_apart_from_organisations_and_groups(session):
    reply = await run_line(session, "/experts")
    people_part, _, sources_part = reply.partition("Organisations and groups quoted")
    assert "Ingrid Solvang — 3 quotes" in people_part
    assert "Rask — 1 quote" in people_part
    for name in ("Marlinex", "Coastal Digest", "Islanders"):
        assert name not in people_part
        assert name in sources_part
    assert "• Marlinex (organisation) — 2 quotes" in sources_part
    assert "• Islanders (group) — 1 quote" in sources_part
    assert reply.startswith("Experts quoted (2)")


async def test_an_organisation_is_still_found_by_quotes(session):
    reply = await run_line(session, "/quotes expert:Marlinex")
    assert reply.startswith("Marlinex: 2 quotes")


async def test_export_marks_each_entry_with_its_kind(session):
    document = await export_document(session.store)
    kinds = {p["name"]: p["kind"] for p in document["people"]}
    assert kinds["Ingrid Solvang"] == "person"
    assert kinds["Marlinex"] == "organisation"
    assert kinds["Islanders"] == "group"
    assert set(kinds.values()) <= {"person", "organisation", "group"}
