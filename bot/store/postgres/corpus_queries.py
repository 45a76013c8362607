"""Read queries over the corpus on PostgreSQL: the reads of `CorpusStore`, with the SQLite driver's results and order.

SQLite's conventions are kept on purpose, so both drivers answer alike: NULL sorts
before every value (ascending) and after every value (descending); names compare
as SQLite's NOCASE does (ASCII case ignored) and sort by `lower(name COLLATE "C")`;
text ids and instants sort by code point (COLLATE "C" columns). A search is read by
`search_syntax` and matched as a tsquery (`tsquery.py`). Every user string is bound.
"""
from __future__ import annotations

import asyncpg

from ..corpus import SEARCH_NOT_READ, SearchSyntaxError
from ..fts import SEARCH_SYNTAX, words_query
from ..records import (Article, ArticleHead, CorpusCounts, DateMention, EventRecord, EventSource,
                       ExportData, ExportDate, ExportQuote, PersonMatch, PersonRecord, PooledQuote, QuoteCandidate,
                       QuoteRecord, SearchMatch, SentenceHit, StorageInfo, StoredSentence)
from ..search_syntax import UnsupportedSearch
from .database import PostgresDatabase
from .snippets import HEADLINE_OPTIONS, INDEXED_TEXT, snippet
from .tsquery import search_tsquery, words_tsquery

Record = asyncpg.Record

_ARTICLE_COLUMNS = "id, title, label, published, captured, written_year, source"
# What names and dates an article (records.ArticleHead), from a join aliased `a`.
_REF = "a.id AS article_id, a.title, a.label, a.published, a.captured, a.written_year, a.source"
_QUOTE_SENTENCE = ("(SELECT s.text FROM sentences s WHERE s.article_id = q.article_id AND s.idx = q.sentence) "
                   "AS sentence_text")
# The quote of the day's pool: direct quotes of 40 to 400 characters by named people, in originals.
_POOLED_QUOTES = (
    "FROM articles a JOIN quotes q ON q.article_id = a.id "
    "JOIN person_names n ON lower(n.name) = lower(q.speaker) JOIN people p ON p.id = n.person_id "
    "WHERE a.copy_of IS NULL AND q.kind = 'direct' AND NOT q.repeat AND length(q.text) BETWEEN 40 AND 400")
# SQLite's NOCASE order of names: ASCII letters folded, then code points.
_NAME_ORDER = 'lower(p.name COLLATE "C")'

# Best first: cover density (the matched words close together, in a short sentence), newest among equals.
_RANK = "ts_rank_cd(s.words, q.query, 1)"

_EVENT_COLUMNS = "e.id, e.value, e.year, e.month, e.day, e.label, e.sentence_text, e.reports, e.first_reported"
# The event one of whose reporting sentences matches the topic.
_EVENT_ABOUT = ("e.id IN (SELECT ea.event_id FROM sentences s JOIN event_articles ea ON ea.article_id = s.article_id "
                "AND ea.sentence = s.idx WHERE s.words @@ to_tsquery('briefing', ${}))")

_QUOTE_COLUMNS = f"q.id, q.sentence, q.kind, q.text, q.parts, q.speaker, {_QUOTE_SENTENCE}, {_REF}"
# A quote's speaker is the name exactly as SQLite compares it there (`q.speaker = name`, case kept);
# the lower-cased condition lets the speaker index find it.
_NEWEST_QUOTES_OF_NAME = (
    f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id "
    "WHERE lower(q.speaker) = lower($1) AND q.speaker = $1 AND NOT q.repeat AND a.copy_of IS NULL "
    "AND ($2::text IS NULL OR q.kind = $2) "
    "ORDER BY lower(q.speaker), q.published DESC NULLS LAST, q.article_id, q.sentence, q.id LIMIT $3")
_QUOTES_ABOUT = (
    f"SELECT {_QUOTE_COLUMNS} FROM person_names n JOIN quotes q ON lower(q.speaker) = lower(n.name) "
    "AND q.speaker = n.name "
    "JOIN articles a ON a.id = q.article_id WHERE n.person_id = $1 AND NOT q.repeat AND a.copy_of IS NULL "
    "AND ($2::text IS NULL OR q.kind = $2) "
    "AND EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = q.article_id AND s.idx = q.sentence "
    "  AND s.words @@ to_tsquery('briefing', $3)) "
    "ORDER BY a.published DESC NULLS LAST, q.article_id, q.sentence, q.id LIMIT $4")

_PERSON_COLUMNS = "p.id, p.name, p.role, p.quote_count, p.kind"
_ALIASES = ("ARRAY(SELECT n.name FROM person_names n WHERE n.person_id = p.id AND lower(n.name) <> lower(p.name) "
            "ORDER BY n.id) AS aliases")
# rank 0: a name equals `text`; 1: a name starts with it; 2: a name only contains it (trigram index).
_PEOPLE_NAMED_FROM = (
    f"SELECT {_PERSON_COLUMNS}, MIN(CASE WHEN lower(n.name) = lower($1) THEN 0 ELSE 1 END) AS rank "
    "FROM person_names n JOIN people p ON p.id = n.person_id WHERE lower(n.name) LIKE lower($2) "
    f"GROUP BY p.id ORDER BY rank, p.quote_count DESC, {_NAME_ORDER} LIMIT $3")
_PEOPLE_NAMED_WITH = (
    f"SELECT {_PERSON_COLUMNS}, 2 AS rank FROM people p "
    "WHERE p.id IN (SELECT person_id FROM person_names WHERE lower(name) LIKE lower($1)) "
    "AND p.id NOT IN (SELECT person_id FROM person_names WHERE lower(name) LIKE lower($2)) "
    f"ORDER BY p.quote_count DESC, {_NAME_ORDER} LIMIT $3")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------- rows into records
def _head(row: Record) -> ArticleHead:
    """From _ARTICLE_COLUMNS."""
    return ArticleHead(row["id"], row["title"], row["label"], row["published"], row["captured"], row["written_year"],
                       row["source"])


def _ref(row: Record) -> ArticleHead:
    """From _REF."""
    return ArticleHead(row["article_id"], row["title"], row["label"], row["published"], row["captured"],
                       row["written_year"], row["source"])


def _article(row: Record) -> Article:
    return Article(_head(row), row["path"], row["content_hash"], row["published_kind"], row["body"],
                   tuple(row["summary"]), row["ingested_at"], row["host"], row["copy_of"])


def _quote(row: Record) -> QuoteRecord:
    return QuoteRecord(row["id"], _ref(row), row["sentence"], row["kind"], row["text"], tuple(row["parts"] or ()),
                       row["speaker"], row["sentence_text"])


def _person(row: Record) -> PersonRecord:
    aliases = tuple(row["aliases"]) if "aliases" in row.keys() else ()
    return PersonRecord(row["id"], row["name"], row["role"], row["quote_count"], row["kind"], aliases)


def _event(row: Record) -> EventRecord:
    return EventRecord(row["id"], row["value"], row["year"], row["month"], row["day"], row["label"],
                       row["sentence_text"], row["reports"], row["first_reported"])


class PostgresCorpusQueries(PostgresDatabase):
    # ---------------------------------------------------------------- articles
    async def article_count(self) -> int:
        return (await self.fetch_one("SELECT count(*) FROM articles"))[0]

    async def article(self, article_id: str) -> Article | None:
        row = await self.fetch_one("SELECT * FROM articles WHERE id = $1", article_id)
        return _article(row) if row is not None else None

    async def article_extraction_counts(self, article_id: str) -> tuple[int, int]:
        row = await self.fetch_one("SELECT (SELECT count(*) FROM quotes WHERE article_id = $1), "
                                   "(SELECT count(*) FROM dates WHERE article_id = $1)", article_id)
        return row[0], row[1]

    async def articles_titled(self, text: str, limit: int = 2) -> list[ArticleHead]:
        """Articles whose label is `text` (case ignored), from the label index."""
        rows = await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE lower(label) = lower($1) ORDER BY id LIMIT $2",
            text, limit)
        return [_head(r) for r in rows]

    async def articles_by_title(self, text: str, limit: int = 25) -> list[ArticleHead]:
        """Originals whose label starts with `text`, then those whose label or id contains it; newest first.

        Autocomplete calls this on every keystroke: both come from the trigram indexes
        (three characters or more), or from walking the articles newest first.
        """
        starts = _like_escape(text) + "%"
        rows = await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE lower(label) LIKE lower($1) AND copy_of IS NULL "
            "ORDER BY published DESC NULLS LAST, id LIMIT $2", starts, limit)
        if len(rows) < limit:
            contains = "%" + _like_escape(text) + "%"
            rows += await self.fetch_all(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles "
                "WHERE (lower(label) LIKE lower($1) OR lower(id) LIKE lower($1)) "
                "AND (label IS NULL OR NOT lower(label) LIKE lower($2)) AND copy_of IS NULL "
                "ORDER BY published DESC NULLS LAST, id LIMIT $3", contains, starts, limit - len(rows))
        return [_head(r) for r in rows]

    async def recent_articles(self, limit: int = 25, since: str | None = None) -> list[ArticleHead]:
        rows = await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE ($1::text IS NULL OR ingested_at > $1) "
            "AND copy_of IS NULL ORDER BY ingested_at DESC, published DESC NULLS LAST, id LIMIT $2", since, limit)
        return [_head(r) for r in rows]

    async def carriers(self, article_id: str) -> list[ArticleHead]:
        """The other articles of this one's story (its original and copies), earliest published first."""
        rows = await self.fetch_all(
            "WITH root AS (SELECT coalesce(copy_of, id) AS id FROM articles WHERE id = $1) "
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id <> $1 "
            "AND (id = (SELECT id FROM root) OR copy_of = (SELECT id FROM root)) "
            "ORDER BY published IS NULL, published, ingested_at, id", article_id)
        return [_head(r) for r in rows]

    async def sentences_of(self, article_id: str, indices: list[int] | None = None) -> list[StoredSentence]:
        rows = await self.fetch_all(
            "SELECT idx, paragraph, text FROM sentences WHERE article_id = $1 ORDER BY idx", article_id)
        wanted = set(indices) if indices is not None else None
        return [StoredSentence(r[0], r[1], r[2]) for r in rows if wanted is None or r[0] in wanted]

    async def summary_sentences(self, limit_articles: int) -> list[SentenceHit]:
        """The stored summary sentences of the most recently published originals."""
        rows = await self.fetch_all(
            f"SELECT {_REF}, s.idx, s.text FROM "
            "(SELECT id, title, label, published, captured, written_year, source, summary FROM articles "
            "WHERE copy_of IS NULL ORDER BY published DESC NULLS LAST, id LIMIT $1) a "
            "CROSS JOIN LATERAL unnest(a.summary) AS j(idx) JOIN sentences s ON s.article_id = a.id AND s.idx = j.idx "
            "ORDER BY a.published DESC NULLS LAST, a.id, s.idx", limit_articles)
        return [SentenceHit(_ref(r), r["idx"], r["text"]) for r in rows]

    # ---------------------------------------------------------------- full text
    async def topic_sentences(self, topic: str, limit: int = 60) -> list[SentenceHit]:
        """Sentences of originals with every word of `topic`, best first."""
        tsquery = words_tsquery(topic)
        if tsquery is None:
            return []
        rows = await self._ranked_originals(tsquery, limit)
        return [SentenceHit(_ref(r), r["idx"], r["text"]) for r in rows]

    async def search(self, query: str, limit: int = 50) -> list[SearchMatch]:
        """Sentences of originals matching the search as typed (search_syntax), best first.

        Text that is not valid search syntax but has none in it (`Putin's`, `-peace`, `U.S.`)
        means its words, as on SQLite.
        """
        try:
            tsquery = search_tsquery(query)
        except UnsupportedSearch:
            raise
        except SearchSyntaxError:
            plain = None if SEARCH_SYNTAX.search(query) else words_query(query)
            if plain is None:
                raise SearchSyntaxError(SEARCH_NOT_READ) from None
            tsquery = search_tsquery(plain)
        if tsquery is None:
            return []
        rows = await self._ranked_originals(tsquery, limit, headline=True)
        return [SearchMatch(_ref(r), r["idx"], snippet(r["text"], r["headline"])) for r in rows]

    async def _ranked_originals(self, tsquery: str, limit: int, headline: bool = False) -> list[Record]:
        """The best `limit` matching sentences of original articles, every match ranked.

        Copies are few: their ids are hashed once and each match checked against them, so only
        the best sentences are joined to their articles.
        """
        indexed = INDEXED_TEXT.format("hits.text")
        snippet = f", ts_headline('briefing', {indexed}, q.query, $3) AS headline" if headline else ""
        return await self.fetch_all(
            "WITH q AS (SELECT to_tsquery('briefing', $1) AS query), "
            f"hits AS (SELECT s.id, s.article_id, s.idx, s.text, {_RANK} AS score FROM q, sentences s "
            "  WHERE s.words @@ q.query AND s.article_id NOT IN (SELECT id FROM articles WHERE copy_of IS NOT NULL) "
            "  ORDER BY score DESC, s.id DESC LIMIT $2) "
            f"SELECT {_REF}, hits.idx, hits.text{snippet} FROM hits JOIN articles a ON a.id = hits.article_id, q "
            "ORDER BY hits.score DESC, hits.id DESC",
            tsquery, limit, *((HEADLINE_OPTIONS,) if headline else ()))

    # ---------------------------------------------------------------- people and quotes
    async def people(self, limit: int = 500) -> list[PersonRecord]:
        rows = await self.fetch_all(
            f"SELECT {_PERSON_COLUMNS}, {_ALIASES} FROM people p WHERE p.quote_count > 0 "
            f"ORDER BY p.quote_count DESC, {_NAME_ORDER} LIMIT $1", limit)
        return [_person(r) for r in rows]

    async def all_people(self) -> list[PersonRecord]:
        rows = await self.fetch_all(f"SELECT {_PERSON_COLUMNS}, {_ALIASES} FROM people p ORDER BY {_NAME_ORDER}")
        return [_person(r) for r in rows]

    async def person(self, person_id: int) -> PersonRecord | None:
        row = await self.fetch_one(f"SELECT {_PERSON_COLUMNS} FROM people p WHERE p.id = $1", person_id)
        return _person(row) if row is not None else None

    async def find_people(self, text: str, limit: int = 25) -> list[PersonMatch]:
        """People any of whose names equals, starts with, or contains `text`, best match first.

        Names that equal or start with `text` come first; only when they are fewer than
        `limit` people are the names that merely contain it looked for.
        """
        starts = _like_escape(text) + "%"
        rows = await self.fetch_all(_PEOPLE_NAMED_FROM, text, starts, limit)
        if len(rows) < limit:
            rows += await self.fetch_all(_PEOPLE_NAMED_WITH, "%" + _like_escape(text) + "%", starts, limit - len(rows))
        return [PersonMatch(r["id"], r["name"], r["role"], r["quote_count"], r["kind"], r["rank"]) for r in rows]

    async def quotes_of(self, person_id: int, kind: str | None = None, topic: str | None = None,
                        limit: int = 1000) -> list[QuoteRecord]:
        """A person's quotes, newest articles first, at most `limit`: one walk of the speaker index
        per name the person goes by, merged; with a topic, the sentences about it bound the work."""
        if topic:
            tsquery = words_tsquery(topic)
            if tsquery is None:
                return []
            return [_quote(r) for r in await self.fetch_all(_QUOTES_ABOUT, person_id, kind, tsquery, limit)]
        names = await self.fetch_all("SELECT name FROM person_names WHERE person_id = $1", person_id)
        rows: list[Record] = []
        for name in names:
            rows += await self.fetch_all(_NEWEST_QUOTES_OF_NAME, name[0], kind, limit)
        if len(names) > 1:  # the merge: by article, sentence and id, then (stable) newest first, undated last
            rows.sort(key=lambda r: (r["article_id"], r["sentence"], r["id"]))
            rows.sort(key=lambda r: r["published"] or "", reverse=True)
        return [_quote(r) for r in rows[:limit]]

    async def quote_pool(self, limit: int = 200) -> list[PooledQuote]:
        """Direct quotes by named people, newest articles first: the pool for a quote of the day."""
        rows = await self.fetch_all(
            f"SELECT q.id, q.sentence, a.id AS article_id, p.name {_POOLED_QUOTES} "
            "ORDER BY a.ingested_at DESC, a.published DESC NULLS LAST, q.id LIMIT $1", limit)
        return [PooledQuote(r["id"], r["article_id"], r["sentence"], r["name"]) for r in rows]

    async def quote_candidate(self, quote_id: int, name: str) -> QuoteCandidate | None:
        row = await self.fetch_one(
            f"SELECT q.id, q.sentence, q.text, q.parts, p.name, p.role, {_QUOTE_SENTENCE}, {_REF} "
            f"{_POOLED_QUOTES} AND q.id = $1 AND p.name = $2", quote_id, name)
        if row is None:
            return None
        return QuoteCandidate(row["id"], _ref(row), row["sentence"], row["text"], tuple(row["parts"] or ()),
                              row["name"], row["role"], row["sentence_text"])

    # ---------------------------------------------------------------- dates
    async def dates(self, year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                    topic: str | None = None, limit: int = 2000) -> list[DateMention]:
        tsquery = words_tsquery(topic) if topic else None
        if topic and tsquery is None:
            return []
        conditions, params = _filters((("d.year = ${}", year), ("d.year >= ${}", start_year),
                                       ("d.year <= ${}", end_year),
                                       ("s.words @@ to_tsquery('briefing', ${})", tsquery)))
        conditions.insert(0, "a.copy_of IS NULL")
        years_known = any(v is not None for v in (year, start_year, end_year))
        order = "d.year, d.month NULLS FIRST, d.day NULLS FIRST, d.id"
        if not years_known:
            order = "d.year IS NULL, " + order
        rows = await self.fetch_all(
            f"SELECT d.sentence AS sentence_idx, d.text, d.value, d.year, d.month, d.day, {_REF}, "
            "s.text AS sentence FROM dates d JOIN articles a ON a.id = d.article_id "
            "JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence "
            f"WHERE {' AND '.join(conditions)} ORDER BY {order} LIMIT ${len(params) + 1}", *params, limit)
        return [DateMention(_ref(r), r["sentence_idx"], r["text"], r["value"], r["year"], r["month"], r["day"],
                            r["sentence"]) for r in rows]

    # ---------------------------------------------------------------- timeline events
    async def events(self, year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                     topic: str | None = None, limit: int = 500) -> list[EventRecord]:
        """Chronological; a topic keeps the events one of whose reporting sentences has all its words."""
        tsquery = words_tsquery(topic) if topic else None
        if topic and tsquery is None:
            return []
        conditions, params = _filters((("e.year = ${}", year), ("e.year >= ${}", start_year),
                                       ("e.year <= ${}", end_year), (_EVENT_ABOUT, tsquery)))
        rows = await self.fetch_all(
            f"SELECT {_EVENT_COLUMNS} FROM events e WHERE {' AND '.join(conditions) or 'TRUE'} "
            f"ORDER BY e.sort_key, e.rank, e.id LIMIT ${len(params) + 1}", *params, limit)
        return [_event(r) for r in rows]

    async def events_on(self, month: int, day: int, limit: int = 500) -> list[EventRecord]:
        """Events on a day of the year (any year), oldest first, those of an unknown year last."""
        rows = await self.fetch_all(
            f"SELECT {_EVENT_COLUMNS} FROM events e WHERE e.month = $1 AND e.day = $2 "
            "ORDER BY e.sort_key, e.rank, e.id LIMIT $3", month, day, limit)
        return [_event(r) for r in rows]

    async def event_sources(self, event_ids: list[int], per_event: int = 50) -> list[EventSource]:
        """The first `per_event` articles reporting each event, first reporter first."""
        rows = await self.fetch_all(
            f"SELECT ea.event_id, {_REF} FROM event_articles ea JOIN articles a ON a.id = ea.article_id "
            "WHERE ea.event_id = ANY($1::bigint[]) AND ea.position < $2 ORDER BY ea.event_id, ea.position",
            list(event_ids), per_event)
        return [EventSource(r["event_id"], _ref(r)) for r in rows]

    # ---------------------------------------------------------------- export and status
    async def export(self) -> ExportData:
        articles = await self.fetch_all("SELECT * FROM articles ORDER BY id")
        people = await self.all_people()
        quotes = await self.fetch_all(
            # The corpus-wide name of the speaker; the article's own spelling where none is known.
            "SELECT q.article_id, q.kind, q.text, q.sentence, COALESCE(p.name, q.speaker) AS speaker FROM quotes q "
            "LEFT JOIN person_names n ON lower(n.name) = lower(q.speaker) LEFT JOIN people p ON p.id = n.person_id "
            "ORDER BY q.article_id, q.sentence, q.id")
        dates = await self.fetch_all(
            "SELECT d.article_id, d.text, d.value, s.text AS sentence FROM dates d "
            "JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence ORDER BY d.article_id, d.id")
        return ExportData(articles=[_article(r) for r in articles], people=people,
                          quotes=[ExportQuote(r["article_id"], r["kind"], r["text"], r["sentence"], r["speaker"])
                                  for r in quotes],
                          dates=[ExportDate(r["article_id"], r["text"], r["value"], r["sentence"]) for r in dates])

    async def corpus_counts(self) -> CorpusCounts:
        row = await self.fetch_one(
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM sentences) AS sentences, "
            "(SELECT count(*) FROM people) AS people, (SELECT count(*) FROM quotes) AS quotes, "
            "(SELECT count(*) FROM dates) AS dates")
        return CorpusCounts(**dict(row))

    async def storage_info(self) -> StorageInfo:
        """The database's size on the server, as pg_database_size counts it; its address without the password."""
        size = (await self.fetch_one("SELECT pg_database_size(current_database())"))[0]
        return StorageInfo(engine="PostgreSQL", where=self.where, size_bytes=size)


def _filters(candidates) -> tuple[list[str], list]:
    """The conditions whose value is given, numbered as parameters $1, $2, … in order."""
    conditions: list[str] = []
    params: list = []
    for clause, value in candidates:
        if value is not None:
            params.append(value)
            conditions.append(clause.format(len(params)))
    return conditions, params
