"""Adding one article to the corpus folder, from a file or a link, and reloading it.

The folder stays the one source of truth: a fetched page is saved there as `<id>.html`
with a YAML front matter block (url, canonical_url, fetched), written atomically. If the
reload refuses the new file, the folder is put back as it was (the file removed, or the
previous version restored) and the reason is raised as an AddError.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .answers.types import UserError
from .corpus.article import FEED_PUBLISHED_KEY, ParsedArticle
from .fetch import TIMEOUT_SECONDS, FetchedPage, fetch_page
from .ingest import CorpusLoader, IngestReport
from .links import canonical_url, link_article_id, normalise_url
from .uploads import check_upload, write_corpus_file


class AddError(UserError):
    pass


@dataclass(frozen=True, slots=True)
class Added:
    name: str  # the file name in the corpus folder
    article: ParsedArticle
    outcome: str  # "added" | "updated" | "unchanged"
    quotes: int
    dates: int
    report: IngestReport

    def lines(self) -> list[str]:
        article = self.article
        return [f"{self.name} → article {article.id}: {self.outcome}",
                f"title: {article.title or '(none found)'}",
                _published_line(article),
                f"source: {article.source or 'unknown'}",
                f"found: {self.quotes} quotes, {self.dates} dates"]


def _published_line(article: ParsedArticle) -> str:
    if article.published:
        via = " (the feed's date: the page gives none)" if article.published_kind == "feed_entry" else ""
        return f"published: {article.published[:10]}{via}"
    if article.captured:
        return f"published: unknown (page captured {article.captured[:10]})"
    return "published: unknown"


async def add_file(loader: CorpusLoader, path: Path) -> Added:
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:
        raise AddError(f"{path}: no such file (a link must start with http:// or https://)") from None
    except OSError as exc:
        raise AddError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return await add_bytes(loader, path.name, data)


async def add_link(loader: CorpusLoader, url: str, allow_private: bool = False,
                   timeout: float = TIMEOUT_SECONDS, feed_published: dt.datetime | None = None) -> Added:
    page = await fetch_page(url, allow_private=allow_private, timeout=timeout)
    return await add_page(loader, page, feed_published)


async def add_page(loader: CorpusLoader, page: FetchedPage, feed_published: dt.datetime | None = None) -> Added:
    """Save and ingest a page already fetched; `feed_published` is the date a feed gave for it, if any."""
    name, data = saved_page(page, dt.datetime.now(dt.timezone.utc), feed_published)
    return await add_bytes(loader, name, data)


def saved_page(page: FetchedPage, fetched: dt.datetime,
               feed_published: dt.datetime | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of a fetched page as stored in the corpus folder: front matter, then the HTML.

    A feed's date goes under its own key, not `published`: front matter `published` would
    win over the page's own metadata, and the feed's date is only the last resort.
    """
    canonical = canonical_url(page.body, page.url) or normalise_url(page.url)
    fields = {"url": page.requested, "canonical_url": canonical, "fetched": fetched.isoformat(timespec="seconds")}
    if feed_published is not None:
        fields[FEED_PUBLISHED_KEY] = feed_published.isoformat(timespec="seconds")
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    return f"{link_article_id(canonical)}.html", f"---\n{front}---\n".encode() + _utf8(page)


def _utf8(page: FetchedPage) -> bytes:
    """The page as UTF-8 when the server named its charset; otherwise as sent (the reader decodes it)."""
    if not page.charset:
        return page.body
    try:
        return page.body.decode(page.charset, errors="replace").encode("utf-8")
    except LookupError:
        return page.body


async def add_bytes(loader: CorpusLoader, name: str, data: bytes) -> Added:
    """Check, save and ingest one article file; a file the reload refuses is taken out again."""
    article = await asyncio.to_thread(check_upload, name, data)
    folder = loader.folder
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    previous = await asyncio.to_thread(_read_if_exists, folder / name)
    await asyncio.to_thread(write_corpus_file, folder, name, data)
    report = await loader.reload()
    reason = next((why for failed, why in report.failed if failed == name), None)
    if reason is not None:
        await asyncio.to_thread(_put_back, folder, name, previous)
        await loader.reload()
        raise AddError(f"{name}: refused by the corpus reload: {reason}")
    quotes, dates = await loader.store.article_extraction_counts(article.id)
    return Added(name, article, _outcome(article.id, report, previous, data), quotes, dates, report)


def _read_if_exists(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _put_back(folder: Path, name: str, previous: bytes | None) -> None:
    if previous is None:
        (folder / name).unlink(missing_ok=True)
    else:
        write_corpus_file(folder, name, previous)


def _outcome(article_id: str, report: IngestReport, previous: bytes | None, data: bytes) -> str:
    if article_id in report.added:
        return "added"
    if article_id in report.updated:
        return "updated"
    # Another reload running at the same time (two feeds polled at once, an upload during a poll)
    # may have taken the new file in before this one ran: the file is still new or changed.
    if previous != data:
        return "added" if previous is None else "updated"
    return "unchanged (the corpus already holds this exact file)"
