"""The daily digest: what is new, a short summary, a quote of the day, anniversaries, coming dates."""
from __future__ import annotations

import datetime as dt

from ..nlp.summarize import summarize_many
from ..store import SentenceHit, Store
from .articles import CORPUS_SUMMARY_ARTICLES, ref
from .offloop import off_loop
from .people import fragment_in_sentence, quote_key, quote_parts
from .timeline import anniversaries, coming_dates
from .types import DIGEST_DATES, DigestAnswer, QuoteItem, SummaryLine

MAX_NEW_ARTICLES = 10
QUOTE_MEMORY_DAYS = 7
SUMMARY_SENTENCES = 3
ARCHIVE_SENTENCES = 2


async def digest(store: Store, day: dt.date, since: str | None = None, guild_id: int | None = None,
                 sentences: int = SUMMARY_SENTENCES) -> DigestAnswer:
    """The digest for `day`; `since` is when the previous digest went out (articles after it are new)."""
    new_rows = await store.recent_articles(MAX_NEW_ARTICLES, since=since)
    new_articles = tuple(ref(a) for a in new_rows)
    rows = await store.summary_sentences(CORPUS_SUMMARY_ARTICLES)
    return DigestAnswer(
        day=day,
        new_articles=new_articles,
        summary=await _summary(rows, {a.id for a in new_articles}, sentences),
        from_archive=() if new_articles else await _from_archive(rows, day),
        quote=await quote_of_the_day(store, day, guild_id),
        on_this_day=await anniversaries(store, day, DIGEST_DATES),
        coming=tuple(await coming_dates(store, day, limit=DIGEST_DATES)),
    )


async def _summary(rows: list[SentenceHit], new_ids: set[str], sentences: int) -> tuple[SummaryLine, ...]:
    """A short summary of what is new; nothing on a day with nothing new (yesterday's would repeat)."""
    rows = [r for r in rows if r.article.id in new_ids]
    if not rows:
        return ()
    picks = await off_loop(summarize_many, [(r.article.id, r.text) for r in rows], sentences)
    return tuple(SummaryLine(rows[i].text, ref(rows[i].article)) for i in picks)


async def _from_archive(rows: list[SentenceHit], day: dt.date) -> tuple[SummaryLine, ...]:
    """On a quiet day, the summary of one stored article, a different one each day."""
    by_article: dict[str, list[SentenceHit]] = {}
    for r in rows:
        by_article.setdefault(r.article.id, []).append(r)
    if not by_article:
        return ()
    chosen = list(by_article.values())[day.toordinal() % len(by_article)]
    picks = await off_loop(summarize_many, [(r.article.id, r.text) for r in chosen], ARCHIVE_SENTENCES)
    return tuple(SummaryLine(chosen[i].text, ref(chosen[i].article)) for i in picks)


async def quote_of_the_day(store: Store, day: dt.date, guild_id: int | None) -> QuoteItem | None:
    """A direct quote not shown to this guild in the last week, varying with the day."""
    pool = await store.quote_pool()
    if not pool:
        return None
    recent: set[str] = set()
    if guild_id is not None:
        recent = await store.quotes_shown_since(guild_id, day - dt.timedelta(days=QUOTE_MEMORY_DAYS - 1))
    fresh = [q for q in pool if quote_key(q.article_id, q.sentence, q.name) not in recent]
    if not fresh:
        return None
    chosen = fresh[day.toordinal() % len(fresh)]
    r = await store.quote_candidate(chosen.id, chosen.name)
    if r is None:  # a reload removed it since the pool was read
        return None
    return QuoteItem(text=r.text, kind="direct", article=ref(r.article), speaker=r.name, role=r.role,
                     key=quote_key(r.article.id, r.sentence, r.name), parts=quote_parts(r.parts),
                     in_sentence=fragment_in_sentence(r.text, r.sentence_text))
