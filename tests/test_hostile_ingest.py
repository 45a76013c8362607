"""Hostile corpus files: each bad file is reported and skipped, the rest loads, nothing is half-stored.

The pure layers (decoding, cleaning, front matter, extraction) are fuzzed for exceptions;
the loader is fed a zoo of broken files and random folders, and the stored corpus is
checked for consistency after each reload.
"""
from __future__ import annotations

import asyncio
import codecs
import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.corpus.article import ANCHOR_YEARS, ParsedArticle, parse_article_bytes
from bot.corpus.reader import CorpusFileError
from bot.corpus.sentences import split_sentences
from bot.ingest import CorpusLoader
from bot.nlp import Doc, analyse
from bot.nlp.dates import extract_dates
from bot.nlp.quotes import extract_quotes
from bot.nlp.summarize import summarize_article
from bot.store import open_store

from .helpers import FRONT_MATTER_PAGE, SCRAPED_PAGE
from .hostile_support import consistency_problems, profile

CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
DATE_VALUE = re.compile(r"^[0-9X]{4}(-[0-9X]{2}|-W[0-9X]{2}(-\d)?|-(SP|SU|FA|WI|Q[1-4]|H[12]))?(-[0-9X]{2})?"
                        r"(T[0-9:X]+)?$")

# Words that wake up the extraction rules: names, reporting verbs, quote marks, dates, numbers.
VOCABULARY = (
    "said", "told", "says", "according", "to", "added", "Ivan", "Petrova", "Olsen", "Marta", "Minister",
    "President", "spokesman", "the", "talks", "islands", "on", "in", "of", "and", "he", "she", "they", "it",
    "1956", "2019", "19", "31", "October", "May", "Monday", "last", "next", "year", "week", "month", "ago",
    "days", "since", "until", "between", "from", "spring", "1990s", "century", "early", "mid-", "Q3",
    '"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "''", ".", ",", ":", ";", "?", "!", "(", ")", "\u2014",
    "-", "Mr.", "Dr.", "U.S.", "today", "yesterday", "Tuesday", "2020-01-18", "10/19/1956", "\u00e9t\u00e9",
    "\u041c\u043e\u0441\u043a\u0432\u0430", "\u6771\u4eac",
)
salad = st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join)
any_text = st.text(max_size=400)
paragraph_text = st.one_of(salad, any_text)
# The corpus layer hands extraction only plausible anchors (see test_implausible_years_are_no_anchor).
anchors = st.none() | st.dates(dt.date(ANCHOR_YEARS.start, 1, 1), dt.date(ANCHOR_YEARS.stop - 1, 12, 31))


def _check_parsed(article: ParsedArticle) -> None:
    assert article.paragraphs, "a parsed article has text"
    for paragraph in article.paragraphs:
        assert paragraph
        for sentence in paragraph:
            assert sentence and sentence == sentence.strip()
            assert not CONTROL.search(sentence)
    if article.published:
        dt.datetime.fromisoformat(article.published)
    article.anchor  # noqa: B018 - must not raise


def _parse(data: bytes) -> ParsedArticle | None:
    try:
        article = parse_article_bytes("fuzz", data)
    except CorpusFileError as exc:
        assert str(exc), "a refusal says why"
        return None
    _check_parsed(article)
    return article


# ---------------------------------------------------------------- the pure layers


@profile(4)
@given(st.binary(max_size=3000))
def test_any_bytes_are_parsed_or_refused_with_a_reason(data):
    _parse(data)


@profile(2)
@given(st.lists(paragraph_text, min_size=1, max_size=8),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
       st.sampled_from(["\n\n", "\r\n\r\n", "\n", "\r\r"]))
def test_any_text_in_any_encoding_is_parsed_or_refused(paragraphs, encoding, separator):
    _parse(separator.join(paragraphs).encode(encoding, errors="replace"))


yaml_ish = st.lists(st.sampled_from(list("ab01:-[]{}&*!|>'\"#%@`?,. \n\t") + ["published", "title", "!!timestamp",
                                                                              "2020-02-30", "\n  "]),
                   max_size=40).map("".join)
front_value = st.one_of(
    st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(), st.dates().map(str),
    st.datetimes().map(str), st.just("2020-02-30"), st.just("2021-13-01"), st.just("2020-01-01 25:00:00"),
    st.just("2020-01-01T10:00:00+25:00"), st.just("!!float abc"), st.just("9" * 5000), st.just("[" * 600),
    st.just("&a [*a]"), st.just("[a, b]"), st.just("{x: 1}"), st.just("0001-01-01"), st.just("9999-12-31"),
)


@profile(2)
@given(st.one_of(yaml_ish, st.dictionaries(st.sampled_from(["title", "published", "source", "extra"]), front_value,
                                           max_size=4).map(lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()))),
       st.booleans(), salad)
def test_front_matter_of_any_shape_is_parsed_or_refused(block, closed, body):
    text = "---\n" + block + ("\n---\n" if closed else "\n") + "The harbour talks resumed on Monday. " + body
    article = _parse(text.encode("utf-8"))
    # YAML's document end ("...") closes a block too, so a block holding such a line is closed.
    closed = closed or any(line.strip() in ("---", "...") for line in block.splitlines())
    if article is not None and not closed:
        pytest.fail("an unclosed front matter block must be refused")


docs = st.builds(
    Doc,
    paragraphs=st.lists(st.lists(st.one_of(salad, any_text).filter(str.strip), min_size=1, max_size=6)
                        .map(tuple), max_size=6).map(tuple),
    title=st.none() | salad,
    anchor=anchors,
)


@profile(4)
@given(docs)
def test_extraction_never_raises_and_points_inside_the_article(doc):
    n = len(doc.sentences())
    people, quotes = extract_quotes(doc)
    names = {p.name for p in people}
    for q in quotes:
        assert 0 <= q.sentence < n and q.kind in ("direct", "indirect")
        assert q.speaker is None or q.speaker in names
    for d in extract_dates(doc):
        assert 0 <= d.sentence < n
        for part in d.value.split("/"):
            assert DATE_VALUE.match(part), d.value
    picks = summarize_article(doc, 3)
    assert list(picks) == sorted(set(picks)) and all(0 <= i < n for i in picks)


@profile(2)
@given(st.lists(salad, min_size=1, max_size=10), anchors)
def test_extraction_of_split_salad_never_raises(paragraphs, anchor):
    doc = Doc(tuple(tuple(s) for s in map(split_sentences, paragraphs) if s), anchor=anchor)
    analyse(doc)


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "0999-06-01"])
def test_implausible_years_are_no_anchor(published):
    article = parse_article_bytes("x", f"---\npublished: {published}\n---\nLast October the talks resumed.\n".encode())
    assert article.published == published and article.anchor is None
    analyse(Doc(article.paragraphs, anchor=article.anchor))


def test_overlong_sentences_and_paragraphs_are_cut_without_losing_words():
    endless = " ".join(f"word{i}" for i in range(3000))
    many = " ".join(f"Sentence number {i} ends here." for i in range(250))
    article = parse_article_bytes("x", f"{endless}\n\n{many}\n".encode())
    sentences = [s for p in article.paragraphs for s in p]
    assert max(len(s) for s in sentences) <= 1000
    assert max(len(p) for p in article.paragraphs) <= 100
    assert " ".join(sentences).split() == (endless + " " + many).split()


# ---------------------------------------------------------------- the loader


def _good(n: int) -> str:
    return (f"---\ntitle: Harbour report {n}\npublished: 2021-03-0{n % 9 + 1}\nsource: coastal-wire\n---\n"
            f"The harbour talks resumed on Monday, officials said.\n\n"
            f"\"We are ready to sign,\" said Marta Olsen, mayor of Northport number {n}.\n")


def _hostile_files() -> dict[str, bytes]:
    """Files the loader must refuse, each with its own reason."""
    rng = __import__("random").Random(6)
    return {
        "random_bytes.txt": bytes(rng.randrange(256) for _ in range(4096)),
        "nul_inside.txt": b"The talks resumed.\x00\x00\x00 More text here.\n",
        "dense_controls.txt": b"Talks\x01\x02\x03\x04\x05\x06\x07\x08 resumed\x0e\x0f\x10\x11\x12 today.\n" * 20,
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t \r\n",
        "unclosed_front.txt": b"---\ntitle: Never closed\nThe talks resumed on Monday.\n",
        "yaml_error.txt": b"---\ntitle: [unbalanced\n---\nThe talks resumed on Monday.\n",
        "not_a_mapping.txt": b"---\n- just\n- a list\n---\nThe talks resumed on Monday.\n",
        "title_is_a_list.txt": b"---\ntitle: [a, b]\n---\nThe talks resumed on Monday.\n",
        "impossible_date.txt": b"---\npublished: 2020-02-30\n---\nThe talks resumed on Monday.\n",
        "impossible_time.txt": b"---\npublished: 2020-01-01 25:00:00\n---\nThe talks resumed on Monday.\n",
        "bad_tag.txt": b"---\ntitle: !!float abc\n---\nThe talks resumed on Monday.\n",
        "python_tag.txt": b"---\ntitle: !!python/object/apply:os.system [echo hi]\n---\nThe talks resumed.\n",
        "deep_yaml.txt": b"---\nextra: " + b"[" * 3000 + b"]" * 3000 + b"\n---\nThe talks resumed on Monday.\n",
        "huge_number.txt": b"---\npublished: " + b"9" * 5000 + b"\n---\nThe talks resumed on Monday.\n",
        "date_not_iso.txt": b"---\npublished: last Tuesday\n---\nThe talks resumed on Monday.\n",
        "only_furniture.txt": b"Share this article on Facebook\nListen Live\n",
        "too_large.txt": b"The talks resumed on Monday. " * 200_000,
    }


def _odd_but_fine_files() -> dict[str, bytes]:
    """Files that look odd but hold an article: they must load."""
    return {
        "sparse_controls.txt": ("The harbour\x07 talks resumed\x1b on Monday, officials said. "
                                + "The ferry timetable was agreed after two years of talks, officials said. " * 8).encode(),
        "utf8_bom.txt": codecs.BOM_UTF8 + "The talks resumed on Monday, officials said.\n".encode(),
        "utf16_bom.txt": "The talks resumed in T\u014dky\u014d on Monday, officials said.\n".encode("utf-16"),
        "cp1252.txt": "The caf\u00e9 talks resumed on Monday, officials said.\n".encode("cp1252"),
        "crlf.txt": b"The talks resumed on Monday.\r\n\r\nOfficials said more talks are due.\r\n",
        "unbalanced_quotes.txt": ('"We are ready, said Marta Olsen.\n\n\u201cThey are not\u201d \u201c ok. '
                                  "'' he said ' and \u2019 then.\n\n" * 30).encode(),
        "nested_quotes.txt": ('He said "she told me \u201cthey said \'no\' to \u2018it\u2019\u201d and left" '
                              "today, the minister added.\n\n" * 30).encode(),
        "zero_width.txt": "The\u200b talks\ufeff resumed on Monday, officials said.\n".encode(),
        "rtl_and_emoji.txt": "The talks \u202eresumed\u202c on Monday \U0001F600, officials said.\n".encode(),
    }


async def _reload(tmp_path: Path, files: dict[str, bytes]):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    db = tmp_path / "bot.sqlite3"
    async with await open_store(db) as store:
        report = await CorpusLoader(store, corpus, workers=1).reload()
    return report, db


async def test_each_hostile_file_is_reported_and_skipped_and_the_rest_loads(tmp_path):
    hostile, fine = _hostile_files(), _odd_but_fine_files()
    good = {f"good_{n}.txt": _good(n).encode() for n in range(3)}
    good["scraped.txt"], good["front.md"] = SCRAPED_PAGE.encode(), FRONT_MATTER_PAGE.encode()
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a_folder.txt").mkdir()
    (tmp_path / "corpus" / "link.txt").symlink_to(tmp_path / "corpus" / "scraped.txt")
    (tmp_path / "corpus" / "scraped.md").write_bytes(b"Same id as scraped.txt: one of the two is refused.\n")

    report, db = await _reload(tmp_path, {**hostile, **fine, **good})

    failed = dict(report.failed)
    twin = "scraped.md" if "scraped.md" in failed else "scraped.txt"
    assert "same article id" in failed[twin]
    assert set(failed) == set(hostile) | {"a_folder.txt", "link.txt", twin}
    assert all(reason.strip() for reason in failed.values())
    assert sorted(report.added) == sorted(Path(n).stem for n in {**fine, **good})
    assert consistency_problems(db) == []


async def test_a_bug_in_cleaning_or_extraction_skips_that_file_only(tmp_path, monkeypatch):
    import bot.ingest

    def parse(file_id, data, name=""):
        if file_id == "cursed_clean":
            raise RecursionError("a bug in cleaning")
        return parse_article_bytes(file_id, data, name)

    def extract(doc, *args):
        if "cursed" in " ".join(doc.sentences()):
            raise IndexError("a bug in extraction")
        return analyse(doc, *args)

    monkeypatch.setattr(bot.ingest, "parse_article_bytes", parse)
    monkeypatch.setattr(bot.ingest, "analyse", extract)
    files = {"good.txt": _good(1).encode(), "cursed_clean.txt": _good(2).encode(),
             "cursed_extract.txt": b"A cursed sentence stops extraction, they said.\n"}
    report, db = await _reload(tmp_path, files)
    assert report.added == ["good"]
    assert dict(report.failed).keys() == {"cursed_clean.txt", "cursed_extract.txt"}
    assert "RecursionError" in dict(report.failed)["cursed_clean.txt"]
    assert consistency_problems(db) == []


async def test_stored_text_carries_no_control_characters(tmp_path):
    report, db = await _reload(tmp_path, _odd_but_fine_files())
    assert not report.failed
    async with await open_store(db) as store:
        rows = await store.fetch_all("SELECT text FROM sentences")
        bodies = await store.fetch_all("SELECT body FROM articles")
    assert rows and not any(CONTROL.search(r["text"]) for r in rows)
    assert not any(CONTROL.search(r["body"]) or "\u200b" in r["body"] for r in bodies)


async def test_mixed_encodings_keep_both_kinds_of_characters(tmp_path):
    """UTF-8 text with a few stray Windows-1252 bytes: the UTF-8 is read as UTF-8, the strays as cp1252."""
    data = ("The minister\u2019s talks in T\u014dky\u014d resumed, officials said. ".encode()
            + b"The caf\xe9 was closed \x93for now\x94, they added.\n")
    report, db = await _reload(tmp_path, {"mixed.txt": data})
    assert report.added == ["mixed"] and report.notes, "the admin hears about the odd encoding"
    async with await open_store(db) as store:
        body = (await store.article("mixed")).body
    assert "minister\u2019s" in body and "T\u014dky\u014d" in body
    assert "caf\u00e9" in body and "\u201cfor now\u201d" in body
    assert not re.search("[\x80-\x9f]", body), "no C1 control characters from the fallback"


async def test_a_single_one_megabyte_line_loads(tmp_path):
    """Its speed (no quadratic step) is measured in bench/nlp_scaling.py."""
    words = ["the", "talks", "on", "the", "islands", "resumed", "said", "Ivan", "Petrova", "in", "May", "1956",
             '"', "\u201c", "'", "17", "minister"]
    rng = __import__("random").Random(1)
    line = " ".join(rng.choice(words) for _ in range(220_000))[:1_000_000]
    report, db = await _reload(tmp_path, {"one_line.txt": line.encode()})
    assert report.added == ["one_line"]
    assert consistency_problems(db) == []


async def test_ten_thousand_paragraphs_load(tmp_path):
    paragraphs = [f"Paragraph {i} says the talks resumed on {i % 28 + 1} May, the minister said." for i in range(10_000)]
    report, db = await _reload(tmp_path, {"many.txt": "\n\n".join(paragraphs).encode()})
    assert report.added == ["many"]
    async with await open_store(db) as store:
        assert (await store.corpus_counts()).sentences == 10_000
    assert consistency_problems(db) == []


async def test_long_quote_heavy_paragraphs_load(tmp_path):
    """Their speed (no quadratic step) is measured in bench/nlp_scaling.py."""
    nested = 'He said "she told me \u201cthey said \'no\' to \u2018it\u2019\u201d and left" today. ' * 4000
    unbalanced = '"Unbalanced start, said Petrova. ' * 4000
    report, db = await _reload(tmp_path, {"nested.txt": nested.encode(), "unbalanced.txt": unbalanced.encode()})
    assert sorted(report.added) == ["nested", "unbalanced"]
    assert consistency_problems(db) == []


file_bytes = st.one_of(
    st.binary(max_size=600),
    st.lists(paragraph_text, min_size=1, max_size=5).map(lambda ps: "\n\n".join(ps).encode()),
    st.tuples(st.one_of(yaml_ish, st.just("title: ok")), salad).map(
        lambda t: f"---\n{t[0]}\n---\nThe talks resumed on Monday. {t[1]}".encode()),
    st.integers(0, 8).map(lambda n: _good(n).encode()),
)


@profile(0.4)
@given(st.dictionaries(st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True), file_bytes, min_size=1, max_size=6))
def test_any_folder_loads_what_it_can_and_stays_consistent(tmp_path_factory, files):
    tmp_path = tmp_path_factory.mktemp("folder")
    files = {f"{stem}.txt": data for stem, data in files.items()}
    report, db = asyncio.run(_reload(tmp_path, files))
    failed = {name for name, _ in report.failed}
    assert failed | {f"{i}.txt" for i in report.added} == set(files), "every file is either loaded or reported"
    assert not failed & {f"{i}.txt" for i in report.added}
    assert consistency_problems(db) == []
    for stem in report.added:
        expected = hashlib.sha256(files[f"{stem}.txt"]).hexdigest()
        assert _stored_hash(db, stem) == expected


def _stored_hash(db: Path, article_id: str) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    finally:
        conn.close()
