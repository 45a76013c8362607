"""One corpus file -> a cleaned article: title, dates, source, paragraphs, sentences."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import furniture as fur
from .frontmatter import FrontMatter, split_front_matter
from .html_page import HtmlPage, is_html_name, read_html_page
from .outlets import registrable_domain
from .reader import CorpusFileError, decode_article_bytes
from .sentences import split_sentences
from .stamps import iso_minutes, parse_page_stamp

MAX_TITLE_WORDS = 25
# Front matter key for the publication date a feed gave for a saved page; the page's own metadata wins over it.
FEED_PUBLISHED_KEY = "feed_published"
# Extraction reasons in years around the anchor (decades, centuries); a year at the edge of what
# Python's dates hold is a typo in the front matter, not a date to reason from.
ANCHOR_YEARS = range(1000, 9000)
# Extraction weighs a sentence, and the quotes of a paragraph, as a whole. No real sentence or
# paragraph comes near these sizes (the longest in the dev sets: 631 characters, 72 sentences),
# but a file that is one endless line would make that cost grow with the square of its length.
MAX_SENTENCE_CHARS = 1000
MAX_PARAGRAPH_SENTENCES = 100
# Characters other than layout whitespace that have no business in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\ufeff]")


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    id: str
    content_hash: str
    title: str | None
    published: str | None  # ISO 8601: when the article was published, as the article vouches for it
    published_kind: str | None  # "front_matter" | "page_metadata" | "feed_entry" | None
    source: str | None
    paragraphs: tuple[tuple[str, ...], ...]  # sentences per paragraph
    captured: str | None = None  # ISO 8601: when the page was saved (its own timestamp line), never a publication date
    host: str | None = None  # the registrable domain the article came from, when known (bot/corpus/outlets.py)
    notes: tuple[str, ...] = ()  # things worth reporting (e.g. a fallback encoding)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)

    @property
    def anchor(self) -> dt.date | None:
        """The publication date, when the article itself vouches for it (and it is a plausible year)."""
        if not self.published:
            return None
        day = dt.date.fromisoformat(self.published[:10])
        return day if day.year in ANCHOR_YEARS else None


def article_id(path: Path) -> str:
    return path.stem


def parse_article_file(path: Path) -> ParsedArticle:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusFileError(f"cannot be read ({exc.strerror or exc})") from None
    return parse_article_bytes(article_id(path), data, path.name)


def parse_article_bytes(file_id: str, data: bytes, name: str = "") -> ParsedArticle:
    """The article in a file's bytes; `name` (the file name) says whether it is an HTML page."""
    decoded = decode_article_bytes(data)
    content_hash = hashlib.sha256(data).hexdigest()
    text = _normalise(decoded.text)
    front, rest = split_front_matter(text)
    notes = (decoded.note,) if decoded.note else ()
    cleaned = clean_html(rest, front) if is_html_name(name) else clean_text(rest, front)
    if not cleaned.paragraphs:
        raise CorpusFileError("no article text left after removing page furniture")
    return ParsedArticle(
        id=file_id,
        content_hash=content_hash,
        title=cleaned.title,
        published=cleaned.published,
        published_kind=cleaned.published_kind,
        captured=cleaned.captured,
        source=cleaned.source,
        paragraphs=cleaned.paragraphs,
        host=cleaned.host,
        notes=notes,
        extra=dict(front.extra) if front else {},
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text)


@dataclass(slots=True)
class _Cleaned:
    title: str | None = None
    published: str | None = None
    published_kind: str | None = None
    captured: str | None = None
    source: str | None = None
    host: str | None = None
    paragraphs: tuple[tuple[str, ...], ...] = ()


def _front_host(front: FrontMatter | None) -> str | None:
    """The host of the address front matter records (`canonical_url`, else `url`)."""
    if not front:
        return None
    return registrable_domain(front.extra.get("canonical_url")) or registrable_domain(front.extra.get("url"))


def clean_html(html: str, front: FrontMatter | None = None) -> _Cleaned:
    """The page's main text as paragraphs (one per extracted line); front matter wins over the page's metadata."""
    page: HtmlPage = read_html_page(html)
    out = _Cleaned()
    if front and front.published:
        out.published, out.published_kind = _iso(front.published), "front_matter"
    elif page.published:
        out.published, out.published_kind = page.published, "page_metadata"
    else:
        _feed_entry_date(front, out)
    out.captured = _front_time(front, "fetched")  # set by `python -m bot add` and the feeds when they save a page
    out.source = (front.source if front else None) or page.site_name or page.author
    out.host = _front_host(front) or registrable_domain(page.url)
    out.title = (front.title if front else None) or page.title
    lines = [line for line in (_normalise(raw).strip() for raw in page.lines) if line]  # entities: &#8203;
    out.paragraphs = tuple(_bounded_paragraphs(lines))
    return out


def clean_text(text: str, front: FrontMatter | None = None) -> _Cleaned:
    out = _Cleaned()
    if front and front.published:
        out.published, out.published_kind = _iso(front.published), "front_matter"
    else:
        _feed_entry_date(front, out)
    if front and front.source:
        out.source = front.source
    out.host = _front_host(front)
    blocks = [_unwrap(b) for b in _blocks(text)]
    kept, index = [], 0  # (index in the page, line)
    for block in blocks:
        kept.extend((index + position, block[position]) for position in _keep_prose(block, out))
        index += len(block)
    page = [line for block in blocks for line in block]
    span = fur.main_block(page, _caption_lines(blocks))
    lines = [line for _, line in kept]
    in_span = [i in span for i, _ in kept]
    out.title = front.title if front and front.title else _detect_title(lines)
    lines = _drop_repeated_title([line for line, keep in zip(lines, in_span) if keep], out.title)
    in_lists = fur.list_runs(lines)
    lines = [line for i, line in enumerate(lines) if i in in_lists or not fur.is_lone_caption(line)]
    out.paragraphs = tuple(_bounded_paragraphs(lines))
    return out


def _bounded_paragraphs(lines: list[str]):
    """Each line's sentences as a paragraph, cut to sizes extraction handles in bounded time."""
    for line in lines:
        sentences = [piece for sentence in split_sentences(line) for piece in _pieces(sentence)]
        for start in range(0, len(sentences), MAX_PARAGRAPH_SENTENCES):
            yield tuple(sentences[start:start + MAX_PARAGRAPH_SENTENCES])


def _pieces(sentence: str) -> list[str]:
    """`sentence` cut at spaces into pieces of at most MAX_SENTENCE_CHARS."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    pieces, start = [], 0
    while len(sentence) - start > MAX_SENTENCE_CHARS:
        cut = sentence.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS + 1)
        if cut == -1:  # one endless "word"
            cut = start + MAX_SENTENCE_CHARS
        pieces.append(sentence[start:cut].strip())
        start = cut
        while start < len(sentence) and sentence[start] == " ":
            start += 1
    if start < len(sentence):
        pieces.append(sentence[start:])
    return [p for p in pieces if p]


def _feed_entry_date(front: FrontMatter | None, out: _Cleaned) -> None:
    """The date of the feed entry that led to the page (front matter `feed_published`): the last resort."""
    published = _front_time(front, FEED_PUBLISHED_KEY)
    if published:
        out.published, out.published_kind = published, "feed_entry"


def _front_time(front: FrontMatter | None, key: str) -> str | None:
    """An extra front-matter key holding a date or time (YAML may give a datetime or a string)."""
    value = front.extra.get(key) if front else None
    if isinstance(value, (dt.date, dt.datetime)):
        return _iso(value)
    if isinstance(value, str):
        try:
            return _iso(dt.datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return iso_minutes(value) if value.tzinfo else value.isoformat(timespec="minutes")
    return value.isoformat()


def _blocks(text: str) -> list[list[str]]:
    """Runs of non-blank lines, stripped."""
    blocks, current = [], []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of one paragraph; keep lines that stand alone."""
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str) -> bool:
    if fur.ends_like_sentence(previous) or fur.is_headline_like(previous):
        return False
    starts_lower = line[:1].islower()
    return starts_lower or previous.endswith((",", "-", "\u2014")) or len(previous) >= 60


def _is_caption_block(lines: list[str]) -> bool:
    return any(fur.is_credit(line) for line in lines) and all(fur.word_count(l) <= 12 for l in lines)


def _caption_lines(blocks: list[list[str]]) -> set[int]:
    """Indexes, in the whole page, of the lines of photo caption blocks."""
    out, index = set(), 0
    for block in blocks:
        if _is_caption_block(block):
            out.update(range(index, index + len(block)))
        index += len(block)
    return out


def _keep_prose(lines: list[str], out: _Cleaned) -> list[int]:
    """The positions of the lines of one block that are article text; notes the stamp and source."""
    if _is_caption_block(lines):
        for line in lines:
            if fur.is_credit(line):
                out.source = out.source or fur.source_from_credit(line)
        return []  # a photo caption block
    in_lists = fur.list_runs(lines)
    headline_run = len(lines) >= 2 and sum(fur.is_headline_like(l) for l in lines) >= 2
    kept = []
    for position, line in enumerate(lines):
        stamp = parse_page_stamp(line)
        if stamp is not None:
            out.captured = out.captured or iso_minutes(stamp)
            continue
        if fur.is_credit(line):
            out.source = out.source or fur.source_from_credit(line)
            continue
        if (fur.is_call_to_action(line) or fur.is_source_note(line) or fur.is_tag_list(line)
                or (headline_run and position not in in_lists and fur.is_headline_like(line))):
            continue
        kept.append(position)
    return kept


def _detect_title(lines: list[str]) -> str | None:
    """A short first line that does not end like a sentence, followed by the text."""
    if len(lines) < 2:
        return None
    first = lines[0]
    if fur.is_dateline(first):
        return None
    n = fur.word_count(first)
    if 3 <= n <= MAX_TITLE_WORDS and not first.rstrip().endswith((".", ",", ";", '"', "\u201d")):
        return first.strip()
    return None


def _drop_repeated_title(lines: list[str], title: str | None) -> list[str]:
    if not title:
        return lines
    key = _title_key(title)
    return [line for line in lines if _title_key(line) != key]


def _title_key(text: str) -> str:
    return " ".join(fur.words(text.lower())).rstrip(".")
