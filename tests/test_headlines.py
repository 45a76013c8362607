"""An untitled page gets a short headline from its first sentence, never a sentence cut at 100 characters."""
from __future__ import annotations

import datetime as dt

from bot.console import Session, run_line
from bot.corpus.headline import HEADLINE_MAX, headline
from bot.ingest import CorpusLoader

UNTITLED = """MARLOW, March 3 (Coastal Wire) - The harbour authority agreed on Monday to rebuild the northern pier before the autumn storms, the mayor's office said, ending a dispute that had lasted three years.

"The pier will be ready by October," said Edda Brandt, the harbour master.

Work is due to start in April.
"""


def test_a_dateline_goes_and_the_cut_falls_at_a_clause_boundary():
    assert headline("TOKYO — The government will send a delegation to the islands next month.") == \
        "The government will send a delegation to the islands next month"
    assert headline("MARLOW, March 3 (Coastal Wire) - The harbour authority agreed on Monday to rebuild the "
                    "northern pier before the autumn storms, the mayor's office said.") == \
        "The harbour authority agreed on Monday to rebuild the northern pier"


def test_a_sentence_without_a_clause_boundary_is_cut_at_a_word_with_an_ellipsis():
    shown = headline("The regional council counted the ballots on the lake ferry line on Tuesday afternoon "
                     "in a long session that lasted well past midnight for everyone involved.")
    assert shown.endswith("on Tuesday…")
    assert len(shown) <= HEADLINE_MAX


async def test_lists_show_the_headline_of_an_untitled_page(tmp_path, any_store):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pier.txt").write_text(UNTITLED, encoding="utf-8")
    loader = CorpusLoader(any_store, corpus)
    await loader.reload()
    session = Session(any_store, loader, today=lambda: dt.date(2025, 3, 4))
    reply = await run_line(session, "/quotes expert:Brandt")
    assert "— The harbour authority agreed on Monday to rebuild the northern pier ·" in reply \
        or "— The harbour authority agreed on Monday to rebuild the northern pier\n" in reply + "\n"
    assert "MARLOW" not in reply


def test_and_between_two_names_is_no_place_to_cut():
    shown = headline("The December meeting between Russia's President Ivan Petrov and Japanese Prime Minister "
                     "Kenji Sato may be the best time for a treaty.")
    assert shown != "The December meeting between Russia's President Ivan Petrov"
    assert shown.endswith("…")
