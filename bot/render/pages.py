"""Answers -> pages: titled blocks of Markdown sized to fit a Discord embed.

A `Page` knows nothing of discord.py; `render.embeds` turns it into an Embed
and `render.text` into console text, so both show the same content. Long
answers are split over several pages instead of being cut.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import singledispatch

from ..answers.types import (DIGEST_DATES, ArticleAnswer, ArticleRef, DigestAnswer, Expert, ExpertsAnswer, QuoteItem,
                             QuotesAnswer, SearchAnswer, StatusAnswer, SummaryAnswer, TimelineAnswer, TimelineEntry,
                             pickled_as_values)
from ..clip import clip
from ..store import HIT_END, HIT_START
from .markdown import bold, escape, italic

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
# What we allow ourselves per page: room to spare, and pages short enough to read.
PAGE_BUDGET = 3000
ITEMS_PER_PAGE = 10


@pickled_as_values  # pages come back from the answer workers
@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@pickled_as_values
@dataclass(frozen=True, slots=True)
class Page:
    title: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    footer: str = ""

    def size(self) -> int:
        return (len(self.title) + len(self.description) + len(self.footer)
                + sum(len(f.name) + len(f.value) for f in self.fields))




def split_long(text: str, limit: int) -> list[str]:
    """Split text at sentence, then word boundaries into pieces of at most `limit` characters."""
    if len(text) <= limit:
        return [text]
    pieces, current = [], ""
    for part in re.split(r"(?<=[.!?])\s+|\s+", text):
        if len(part) > limit:
            part = part[:limit]  # a single unbroken run longer than a page: nothing better to do
        candidate = f"{current} {part}".strip()
        if len(candidate) > limit:
            pieces.append(current)
            current = part
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def paginate(title: str, items: list[str], intro: str = "", footer: str = "") -> list[Page]:
    """Pack Markdown items into pages that respect the budget; number the pages in the footer."""
    blocks: list[str] = []
    for item in items:
        blocks.extend(split_long(item, PAGE_BUDGET))
    title = clip(title, TITLE_LIMIT)
    groups: list[list[str]] = []
    current: list[str] = []
    used = len(intro)
    for block in blocks:
        if current and (used + len(block) + 2 > PAGE_BUDGET or len(current) >= ITEMS_PER_PAGE):
            groups.append(current)
            current, used = [], len(intro)
        current.append(block)
        used += len(block) + 2
    if current or not groups:
        groups.append(current)
    pages = []
    for n, group in enumerate(groups, start=1):
        description = "\n\n".join(([intro] if intro else []) + group)
        foot = footer
        if len(groups) > 1:
            foot = f"{footer} · page {n}/{len(groups)}" if footer else f"page {n}/{len(groups)}"
        pages.append(Page(title=title, description=clip(description, DESCRIPTION_LIMIT), footer=clip(foot, FOOTER_LIMIT)))
    return pages


def source_line(article: ArticleRef) -> str:
    parts = [escape(article.display_title)]
    if article.display_date:
        parts.append(article.display_date)
    return " · ".join(parts)


# ---------------------------------------------------------------- one builder per answer
@singledispatch
def pages_for(answer) -> list[Page]:
    raise TypeError(f"no pages for {type(answer).__name__}")


CARRIERS_SHOWN = 10


def carried_by_line(articles: tuple[ArticleRef, ...]) -> str:
    """`Also carried by: Kyodo (2020-01-02), Reuters`: the outlets of the other copies of a story."""
    names = []
    for a in articles[:CARRIERS_SHOWN]:
        name = escape(a.source or a.display_title)
        names.append(f"{name} ({a.display_date})" if a.display_date else name)
    more = f" and {len(articles) - CARRIERS_SHOWN} more" if len(articles) > CARRIERS_SHOWN else ""
    return "Also carried by: " + ", ".join(names) + more


@pages_for.register
def _(answer: SummaryAnswer) -> list[Page]:
    items = [f"{escape(line.text)}\n— {italic(source_line(line.article))}" for line in answer.lines]
    intro = carried_by_line(answer.also_carried_by) if answer.also_carried_by else ""
    return paginate(answer.heading, items, intro=intro)


def _quote_text(q: QuoteItem) -> str:
    return _quoted(q) if q.kind == "direct" else f"{escape(q.text)} {italic('(reported)')}"


def _quoted(q: QuoteItem) -> str:
    """A direct quote in quotation marks; one split by its attribution shows its parts apart;
    a fragment is shown in its sentence, the quoted words in bold."""
    if q.in_sentence and not q.parts:
        before, quoted, after = q.in_sentence
        return f"{escape(before)}{bold(escape(quoted))}{escape(after)}"
    parts = q.parts or (q.text,)
    return " … ".join(f"“{escape(part)}”" for part in parts)


@pages_for.register
def _(answer: QuotesAnswer) -> list[Page]:
    who = answer.expert
    intro = escape(who.role) if who.role else ""
    items = [f"{_quote_text(q)}\n— {italic(source_line(q.article))}" for q in answer.quotes]
    count = f"latest {len(answer.quotes)}" if answer.truncated else str(len(answer.quotes))
    heading = f"{who.name}: {count} quote{'s' if len(answer.quotes) != 1 else ''}"
    if answer.filters:
        heading += f" ({answer.filters})"
    footer = "newest first; narrow with topic or kind to see older quotes" if answer.truncated else "newest first"
    return paginate(heading, items, intro=intro, footer=footer)


def _expert_line(e: Expert) -> str:
    line = f"{bold(escape(e.name))} — {e.quote_count} quote{'s' if e.quote_count != 1 else ''}"
    if e.role:
        line += f"\n{escape(e.role)}"
    if e.aliases:
        line += f"\n{italic('also: ' + escape(', '.join(e.aliases)))}"
    return line


@pages_for.register
def _(answer: ExpertsAnswer) -> list[Page]:
    """People first; organisations and groups quoted follow under a heading of their own."""
    items = [_expert_line(e) for e in answer.experts]
    lines = [f"• {escape(e.name)} ({e.kind}) — {e.quote_count} quote{'s' if e.quote_count != 1 else ''}"
             for e in answer.sources]
    for start in range(0, len(lines), ITEMS_PER_PAGE):  # blocks of lines, so long lists paginate
        block = "\n".join(lines[start:start + ITEMS_PER_PAGE])
        heading = bold(f"Organisations and groups quoted ({len(lines)})") + "\n" if start == 0 else ""
        items.append(heading + block)
    return paginate(f"Experts quoted ({len(answer.experts)})", items)


def _entry_text(e: TimelineEntry) -> str:
    sources = "; ".join(source_line(a) for a in e.articles[:3])
    reported_by = max(e.reports or 0, len(e.articles))
    if reported_by > 3:
        sources += f"; +{reported_by - 3} more"
    return f"{bold(escape(e.when))}\n{escape(e.sentence)}\n— {italic(sources)}"


@pages_for.register
def _(answer: TimelineAnswer) -> list[Page]:
    items = [_entry_text(e) for e in answer.entries]
    footer = "more dates than shown: narrow it with year, from/to or topic" if answer.truncated else ""
    return paginate(answer.heading, items, footer=footer)


def _snippet(text: str) -> str:
    pieces = re.split(f"([{HIT_START}{HIT_END}])", text)
    out, inside = [], False
    for piece in pieces:
        if piece == HIT_START:
            inside = True
        elif piece == HIT_END:
            inside = False
        elif piece:
            out.append(bold(escape(piece)) if inside else escape(piece))
    return "".join(out)


@pages_for.register
def _(answer: SearchAnswer) -> list[Page]:
    items = [f"{_snippet(h.snippet)}\n— {italic(source_line(h.article))}" for h in answer.hits]
    count = f"{len(answer.hits)} match{'es' if len(answer.hits) != 1 else ''}"
    return paginate(clip(f"Search: {answer.query}", 200) + f" ({count})", items)


@pages_for.register
def _(answer: ArticleAnswer) -> list[Page]:
    a = answer.article
    meta = [f"id: {escape(a.id)}"]
    if a.published:
        meta.append(f"published: {a.published}")
    else:
        meta.append("publication date unknown")
        if a.written_year:
            meta.append(f"written {a.written_year} (from the text)")
        if a.captured:
            meta.append(f"captured {a.captured_day}")
    if a.source:
        meta.append(f"source: {escape(a.source)}")
    meta.append(f"{answer.quote_count} quotes, {answer.date_count} dates")
    intro = " · ".join(meta)
    if answer.also_carried_by:
        intro += "\n" + carried_by_line(answer.also_carried_by)
    items = [escape(p) for p in answer.paragraphs]
    return paginate(a.display_title, items, intro=intro)


@pages_for.register
def _(answer: DigestAnswer) -> list[Page]:
    items = []
    if answer.new_articles:
        items.append(bold("New articles") + "\n" + "\n".join(f"• {source_line(a)}" for a in answer.new_articles))
    else:
        items.append(bold("New articles") + "\nNothing new since the last digest.")
    if answer.summary:
        items.append(bold("In brief") + "\n" + "\n".join(f"• {escape(s.text)}" for s in answer.summary))
    if answer.from_archive:
        lines = "\n".join(f"• {escape(s.text)}" for s in answer.from_archive)
        items.append(f"{bold('From the archive')}\n{lines}\n— {italic(source_line(answer.from_archive[0].article))}")
    if answer.quote:
        q = answer.quote
        who = escape(q.speaker or "unnamed source") + (f", {escape(q.role)}" if q.role else "")
        items.append(f"{bold('Quote of the day')}\n{_quoted(q)}\n— {who} ({italic(source_line(q.article))})")
    if answer.on_this_day:
        items.append(bold("On this day") + "\n" + "\n".join(
            f"• {escape(e.when)}: {escape(clip(e.sentence, 300))}" for e in answer.on_this_day[:DIGEST_DATES]))
    if answer.coming:
        items.append(bold("Coming anniversaries") + "\n" + "\n".join(
            f"• {escape(e.when)}: {escape(clip(e.sentence, 300))}" for e in answer.coming[:DIGEST_DATES]))
    return paginate(f"Daily briefing — {answer.day:%A %d %B %Y}", items)


def _megabytes(size: int | None) -> str:
    return "size unknown" if size is None else f"{size / 1_048_576:.1f} MB"


@pages_for.register
def _(answer: StatusAnswer) -> list[Page]:
    counts = ", ".join(f"{v:,} {k}" for k, v in answer.counts.items())
    lines = [f"{bold('Corpus')}: {counts}",
             f"{bold('Last ingest')}: {answer.last_ingest or 'never'}",
             f"{bold('Database')}: {_megabytes(answer.database_bytes)}, schema v{answer.schema_version}"]
    lines += [f"{bold(escape(k))}: {escape(str(v))}" for k, v in answer.extra.items()]
    if answer.last_report:
        lines.append(bold("Last reload") + "\n" + "\n".join(escape(l) for l in answer.last_report[:15]))
    return paginate("Bot status", lines)
