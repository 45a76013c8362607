"""Answers about articles: summaries, full text, search, title autocomplete."""
from __future__ import annotations

from ..clip import clip
from ..nlp import Doc
from ..nlp.summarize import summarize_article, summarize_many
from ..store import ArticleHead, SearchSyntaxError, SentenceHit, Store, StoredSentence
from .offloop import off_loop
from .types import (CHOICE_CHARS, ArticleAnswer, ArticleRef, Choice, NotFound, SearchAnswer, SearchHit, SummaryAnswer,
                    SummaryLine, UserError)

MAX_SENTENCES = 10
CORPUS_SUMMARY_ARTICLES = 40
TOPIC_CANDIDATES = 80
MAX_QUERY_CHARS = 200
# Longer than any id, title or name worth typing; longer text would only make slow, oversized
# LIKE patterns (SQLite refuses those past 50,000 bytes) and echo walls of text back to the user.
MAX_NAME_CHARS = 200
AUTOCOMPLETE_LIMIT = 25


def ref(head: ArticleHead) -> ArticleRef:
    return ArticleRef(id=head.id, title=head.title, published=head.published, source=head.source, label=head.label,
                      captured=head.captured, written_year=head.written_year)


async def find_article(store: Store, text: str) -> ArticleRef:
    """An article by id, or by a title that only one article matches."""
    text = (text or "").strip()
    if not text:
        raise UserError("Name an article: its id or part of its title.")
    if len(text) > MAX_NAME_CHARS:
        raise UserError(f"That is too long for an article id or title ({len(text)} characters; "
                        f"the limit is {MAX_NAME_CHARS}).")
    found = await store.article(text)
    if found is not None:
        return ref(found.head)
    titled = await store.articles_titled(text, limit=2)
    if len(titled) == 1:  # a whole title, as autocomplete fills it in: no need to look further
        return ref(titled[0])
    rows = await store.articles_by_title(text, limit=5)
    exact = [r for r in rows if (r.label or "").lower() == text.lower()]
    if len(exact) == 1 or len(rows) == 1:
        return ref((exact or rows)[0])
    if not rows:
        raise NotFound(f"No article matches {text!r}. Start typing a title to see suggestions.")
    names = "; ".join(ref(r).display_title for r in rows[:5])
    raise UserError(f"{text!r} matches several articles: {names}. Pick one from the suggestions.")


async def summary(store: Store, article: str | None = None, sentences: int = 3,
                  topic: str | None = None) -> SummaryAnswer:
    if not 1 <= sentences <= MAX_SENTENCES:
        raise UserError(f"sentences must be between 1 and {MAX_SENTENCES}.")
    if article:
        return await _article_summary(store, await find_article(store, article), sentences, topic)
    if topic:
        rows = await store.topic_sentences(topic, limit=TOPIC_CANDIDATES)
        if not rows:
            raise NotFound(f"Nothing in the corpus is about {topic!r}.")
        return await _pick(rows, sentences, topic, heading=f"Summary: {topic}")
    rows = await store.summary_sentences(CORPUS_SUMMARY_ARTICLES)
    if not rows:
        raise NotFound("The corpus is empty: add articles and run a reload.")
    return await _pick(rows, sentences, None, heading="Summary of the corpus")


async def _article_summary(store: Store, article: ArticleRef, sentences: int, topic: str | None) -> SummaryAnswer:
    rows = await store.sentences_of(article.id)
    if topic:
        picks = await off_loop(summarize_many, [(article.id, r.text) for r in rows], sentences, topic)
    else:
        picks = await off_loop(summarize_article, Doc(paragraphs=_paragraphs(rows), title=article.title), sentences)
    lines = tuple(SummaryLine(rows[i].text, article) for i in sorted(picks))
    return SummaryAnswer(heading=f"Summary: {article.display_title}", lines=lines,
                         also_carried_by=await carriers(store, article.id))


async def carriers(store: Store, article_id: str) -> tuple[ArticleRef, ...]:
    """The other articles that carried the same story, earliest published first."""
    return tuple(ref(r) for r in await store.carriers(article_id))


def _paragraphs(rows: list[StoredSentence]) -> tuple[tuple[str, ...], ...]:
    paragraphs: dict[int, list[str]] = {}
    for r in rows:
        paragraphs.setdefault(r.paragraph, []).append(r.text)
    return tuple(tuple(p) for _, p in sorted(paragraphs.items()))


async def _pick(rows: list[SentenceHit], n: int, query: str | None, heading: str) -> SummaryAnswer:
    picks = await off_loop(summarize_many, [(r.article.id, r.text) for r in rows], n, query)
    return SummaryAnswer(heading=heading, lines=tuple(SummaryLine(rows[i].text, ref(rows[i].article)) for i in picks))


async def article(store: Store, text: str) -> ArticleAnswer:
    found = await find_article(store, text)
    stored = await store.article(found.id)
    if stored is None:  # removed by a reload since it was found
        raise NotFound(f"No article matches {text!r}. Start typing a title to see suggestions.")
    rows = await store.sentences_of(found.id)
    summary_idx = set(stored.summary)
    quote_count, date_count = await store.article_extraction_counts(found.id)
    return ArticleAnswer(
        article=ref(stored.head),
        paragraphs=tuple(" ".join(p) for p in _paragraphs(rows)),
        summary=tuple(r.text for r in rows if r.idx in summary_idx),
        quote_count=quote_count,
        date_count=date_count,
        also_carried_by=await carriers(store, found.id),
    )


async def search(store: Store, query: str) -> SearchAnswer:
    query = (query or "").strip()
    if not query:
        raise UserError("Type something to search for.")
    if len(query) > MAX_QUERY_CHARS:
        raise UserError(f"That query is too long ({len(query)} characters; the limit is {MAX_QUERY_CHARS}).")
    try:
        rows = await store.search(query)
    except SearchSyntaxError as exc:
        raise UserError(str(exc)) from None
    if not rows:
        raise NotFound(f"No sentence matches {query!r}.")
    return SearchAnswer(query=query, hits=tuple(SearchHit(ref(r.article), r.snippet) for r in rows))


async def article_choices(store: Store, typed: str) -> list[Choice]:
    typed = (typed or "")[:MAX_NAME_CHARS]
    rows = await (store.articles_by_title(typed, AUTOCOMPLETE_LIMIT) if typed.strip()
                  else store.recent_articles(AUTOCOMPLETE_LIMIT))
    out = []
    for r in rows:
        a = ref(r)
        label = a.display_title if not a.display_date else f"{a.display_title} ({a.display_date})"
        out.append(Choice(name=clip(label, CHOICE_CHARS), value=a.id[:CHOICE_CHARS]))
    return out

