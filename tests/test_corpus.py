"""Reading and cleaning corpus files (bot/corpus): no Discord, no database."""
from __future__ import annotations

import codecs

import pytest

from bot.corpus import furniture
from bot.corpus.article import parse_article_bytes, parse_article_file
from bot.corpus.reader import MAX_FILE_BYTES, CorpusFileError
from bot.corpus.sentences import split_sentences

from .helpers import FRONT_MATTER_PAGE, SCRAPED_PAGE, SEEDS


def parse(text: str, file_id: str = "a1"):
    return parse_article_bytes(file_id, text.encode("utf-8"))


def test_scraped_page_keeps_the_article_and_drops_the_furniture():
    article = parse(SCRAPED_PAGE)
    body = article.body
    assert "The harbour talks between the two coastal towns resumed on Monday" in body
    assert '"We are ready to sign," said Marta Olsen' in body
    assert "a final vote is expected in May" in body
    for furniture_text in ("Listen Live", "short URL", "©", "Harbour view", "Ferry Timetable",
                           "harbour, ferry, talks", "Community standards", "Share this article"):
        assert furniture_text not in body


def test_page_stamp_becomes_a_capture_time_not_a_publication_anchor():
    article = parse(SCRAPED_PAGE)
    assert article.captured == "2021-03-04T08:15+02:00"
    assert article.published is None
    assert article.anchor is None


def test_source_is_taken_from_a_photo_credit():
    assert parse(SCRAPED_PAGE).source == "Coastal Wire"


def test_front_matter_wins_and_repeated_headline_is_dropped():
    article = parse(FRONT_MATTER_PAGE)
    assert article.title == "Ferry deal signed"
    assert article.published == "2021-03-05"
    assert article.anchor.isoformat() == "2021-03-05"
    assert article.source == "coastal-wire"
    assert article.extra == {"editor": "someone"}
    assert not article.body.startswith("Ferry deal signed")


def test_headline_detected_from_raw_text():
    article = parse("Ferries return to the northern route\n\nThe first ferry left at dawn. It was full.\n")
    assert article.title == "Ferries return to the northern route"
    assert article.body == "The first ferry left at dawn. It was full."


def test_first_prose_paragraph_is_not_taken_for_a_title():
    article = parse("The first ferry left at dawn, the company said.\n\nIt was full.\n")
    assert article.title is None


def test_dateline_is_kept_and_is_not_a_title():
    article = parse("NORTHPORT, March 4 (Coastal Wire) --\n\nThe ferry deal was signed on Friday. It took years.\n")
    assert article.title is None
    assert article.paragraphs[0] == ("NORTHPORT, March 4 (Coastal Wire) --",)


def test_hard_wrapped_paragraph_is_joined():
    text = ("The council met on Tuesday to discuss the new ferry timetable for\n"
            "the summer, and agreed to add two crossings a day.\n")
    assert parse(text).paragraphs == (
        ("The council met on Tuesday to discuss the new ferry timetable for the summer, and agreed to add two "
         "crossings a day.",),)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x00\x01\x02binary\x00stuff", "binary"),
    (b"x" * (MAX_FILE_BYTES + 1), "too large"),
    (b"---\ntitle: [unclosed\n---\nBody text here.", "front matter"),
    (b"---\ntitle: no end\nBody text here.", "front matter"),
    (b"---\npublished: next tuesday\n---\nBody text here.", "published"),
])
def test_bad_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(CorpusFileError, match=reason):
        parse_article_bytes("bad", data)


def test_utf8_bom_is_accepted_silently():
    article = parse_article_bytes("bom", codecs.BOM_UTF8 + "Caf\u00e9 talks resumed today.".encode())
    assert article.body == "Caf\u00e9 talks resumed today."
    assert article.notes == ()


def test_other_encodings_are_decoded_and_reported():
    article = parse_article_bytes("latin", "The caf\u00e9 reopened on Monday.".encode("cp1252"))
    assert "caf\u00e9" in article.body
    assert article.notes and "cp1252" in article.notes[0]


def test_content_hash_changes_with_the_bytes():
    assert parse("Same text.").content_hash != parse("Same text!").content_hash


def test_sentence_splitter_keeps_abbreviations_and_quotes_together():
    text = ('"We will sign," Mr. Smith said. "It is done." The U.S. delegation left at 5 p.m. on Friday. '
            "J. Doe stayed.")
    assert split_sentences(text) == [
        '"We will sign," Mr. Smith said.', '"It is done."',
        "The U.S. delegation left at 5 p.m. on Friday.", "J. Doe stayed."]


@pytest.mark.parametrize("line, expected", [
    ("treaty, territorial dispute, visit, talks, Japan, Russia", True),
    ("He met Abe, Putin, Lavrov, and others in Tokyo.", False),
])
def test_tag_lists(line, expected):
    assert furniture.is_tag_list(line) is expected


def test_bundled_seeds_parse_with_clean_bodies():
    articles = [parse_article_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert len(articles) == 5
    for article in articles:
        assert article.paragraphs, article.id
        for paragraph in article.body.split("\n\n"):
            # No line of page furniture survives in any body.
            assert not furniture.is_call_to_action(paragraph), (article.id, paragraph)
            assert not furniture.is_tag_list(paragraph), (article.id, paragraph)
            assert not furniture.is_credit(paragraph), (article.id, paragraph)
            assert not furniture.is_headline_like(paragraph), (article.id, paragraph)
    stamped = [a for a in articles if a.captured]
    assert stamped and all(a.anchor is None and a.published is None for a in stamped)
    titled = [a for a in articles if a.title]
    assert titled and all(len(a.title.split()) <= 25 for a in titled)


_ARTICLE = (
    "The ferry service between the two harbour towns will resume next spring, the council said on Monday.\n\n"
    "Councillors voted by a wide margin to fund the repairs to the northern pier and the ticket office.\n\n"
    "The mayor said the timetable would be published once the contractor had confirmed the dates.\n"
)


def test_leading_site_navigation_is_dropped():
    nav = "Home\nNews\nSport\nWeather\nLocal Business Directory\nEvents Calendar\nObituaries\n\n"
    body = parse_article_bytes("nav", (nav + _ARTICLE).encode()).body
    assert body.startswith("The ferry service between the two harbour towns")
    for item in ("Home", "Sport", "Weather", "Events Calendar", "Obituaries"):
        assert item not in body


def test_trailing_teasers_and_comment_thread_are_dropped():
    tail = (
        "\nTrending Now\nLocal bakery wins regional bread prize\nStorm damage closes coastal road\n"
        "New school opens in the valley\nCouncil approves budget for next year\n\n"
        "12 Comments\nharbourfan says:\nThis is the best news we have had all year in this town.\n"
    )
    body = parse_article_bytes("tail", (_ARTICLE + tail).encode()).body
    assert body.endswith("once the contractor had confirmed the dates.")
    for item in ("bakery", "Storm damage", "Comments", "harbourfan", "best news"):
        assert item not in body


def test_short_lines_inside_the_article_are_kept():
    dates = "Sailings this winter:\nMonday 3 January\nWednesday 5 January\nFriday 7 January\n\n"
    more = "Passengers can buy tickets at the harbour office or from the conductor on board.\n"
    body = parse_article_bytes("list", (_ARTICLE + dates + more).encode()).body
    for item in ("Sailings this winter:", "Monday 3 January", "Wednesday 5 January", "Friday 7 January"):
        assert item in body


def test_teasers_with_comment_counts_before_the_article_are_dropped():
    teasers = "".join(f"Another story about the league number {i} ({100 + i})\n" for i in range(6))
    body = parse_article_bytes("teasers", (teasers + "\n" + _ARTICLE).encode()).body
    assert body.startswith("The ferry service between the two harbour towns")
    assert "Another story" not in body


def test_table_rows_after_the_article_are_kept():
    page = (_ARTICLE
            + "\nSailings so far:\nMonday: 14\nTuesday: 12\nWednesday: 9\n")
    body = parse_article_bytes("rows", page.encode()).body
    for item in ("Sailings so far:", "Monday: 14", "Wednesday: 9"):
        assert item in body


def test_a_related_box_inside_the_article_does_not_end_it():
    box = "\nRelated articles\nLocal bakery wins regional bread prize\n\n"
    more = ("Passengers can buy tickets at the harbour office or from the conductor on board the ferry.\n\n"
            "The council expects the first sailing to carry more than two hundred passengers and their cars.\n\n"
            "Harbour staff said the new timetable would add an evening crossing on Fridays and Saturdays, "
            "when the crossing is busiest, and that season tickets would go on sale at the office in March.\n")
    body = parse_article_bytes("box", (_ARTICLE + box + more).encode()).body
    assert "conductor on board" in body and "two hundred passengers" in body
