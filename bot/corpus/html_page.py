"""A saved web page (.html/.htm) -> its article: main text, title, author, site name, date.

trafilatura finds the main text and the page's metadata; htmldate reads the publication
date from the page's metadata (no search of the visible text, which would pick up the
date of a related link or of the day the page was saved).
"""
from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from htmldate import find_date

from .reader import CorpusFileError

HTML_SUFFIXES = (".html", ".htm")
# Fast and precise settings: on the dev pages they keep the most article text per page while
# leaving out more related links and footers than the defaults, at about 1.5x the speed.
EXTRACT_OPTIONS = dict(
    fast=True,
    favor_precision=True,
    include_comments=False,
    include_tables=True,
    with_metadata=True,
)
DATE_OPTIONS = dict(original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
NO_ARTICLE = "no article text found in the page"


@dataclass(frozen=True, slots=True)
class HtmlPage:
    title: str | None
    author: str | None
    site_name: str | None
    published: str | None  # YYYY-MM-DD from the page's metadata
    lines: tuple[str, ...]  # the main text, one paragraph a line
    url: str | None = None  # the page's own address (canonical link or og:url), when it gives one


def is_html_name(name: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES)


def read_html_page(html: str) -> HtmlPage:
    """The article of the page, or CorpusFileError when the page has none."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise CorpusFileError(NO_ARTICLE)
    published = _page_date(tree)  # first: extraction prunes the tree it is given
    found = trafilatura.bare_extraction(tree, **EXTRACT_OPTIONS)
    text = found.text if found is not None else None
    lines = tuple(line for line in (" ".join(raw.split()) for raw in (text or "").split("\n")) if line)
    if not lines:
        raise CorpusFileError(NO_ARTICLE)
    return HtmlPage(
        title=_clean(found.title),
        author=_clean(found.author),
        site_name=_clean(found.sitename),
        published=published,
        lines=lines,
        url=_clean(found.url),
    )


def _page_date(tree) -> str | None:
    try:
        return find_date(tree, **DATE_OPTIONS)
    except (ValueError, TypeError):  # a malformed date in the metadata is no date
        return None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None
