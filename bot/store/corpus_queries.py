"""Read queries over the corpus. Parameters only; every user string is bound, never spliced."""
from __future__ import annotations

import json
import sqlite3

from .corpus import SEARCH_NOT_READ, SearchSyntaxError
from .database import Database
from .fts import SEARCH_SYNTAX, fts_syntax_error, words_query
from .records import (HIT_END, HIT_START, Article, ArticleHead, CorpusCounts, DateMention, EventRecord, EventSource,
                      ExportData, ExportDate, ExportQuote, PersonMatch, PersonRecord, PooledQuote, QuoteCandidate,
                      QuoteRecord, SearchMatch, SentenceHit, StorageInfo, StoredSentence)

Row = sqlite3.Row


# Autocomplete: up to this many matches are sorted; more are walked newest first instead.
SORT_AT_MOST = 1000
_ARTICLE_COLUMNS = "id, title, label, published, captured, written_year, source"
# What names and dates an article (records.ArticleHead), from a join aliased `a`.
_REF = "a.id AS article_id, a.title, a.label, a.published, a.captured, a.written_year, a.source"
# The sentence a quote stands in, so a quoted fragment can be shown inside it.
_QUOTE_SENTENCE = ("(SELECT s.text FROM sentences s WHERE s.article_id = q.article_id AND s.idx = q.sentence) "
                   "AS sentence_text")
# "label starts with": a NOCASE range, so the label index serves it (LIKE 'x%' would scan).
_LAST_CHAR = "\U0010ffff"
_LABEL_STARTS = "label >= ? COLLATE NOCASE AND label < ? COLLATE NOCASE"
_LABEL_STARTS_NAMED = "label >= :low COLLATE NOCASE AND label < :high COLLATE NOCASE"


# Every matching sentence is ranked: by bm25, the newest first among equal scores (sentence
# rowids grow with ingest). bm25 as an ORDER BY expression with a LIMIT lets SQLite keep only
# the best `limit` rows while it scores (a top-N sort); FTS5's own ORDER BY rank would sort them all.
_RANKED_HITS = ("SELECT rowid, bm25(sentences_fts) AS score FROM sentences_fts WHERE sentences_fts MATCH :match "
                "{originals}ORDER BY score, rowid DESC LIMIT :fetch")
# A copy of a story (articles.copy_of) is never a hit: its original stands for it. Checking every
# match for that triples the cost of a common word, and copies are few: so the best
# HITS_FETCHED_PER_KEPT x limit matches are ranked and the copies among them dropped; only when
# too few originals remain is every match checked (_ranked_originals).
HITS_FETCHED_PER_KEPT = 4
_OF_ORIGINALS = ("NOT EXISTS (SELECT 1 FROM sentences s0 JOIN articles a0 ON a0.id = s0.article_id "
                 "WHERE s0.id = sentences_fts.rowid AND a0.copy_of IS NOT NULL) ")
# Snippets only for the hits kept: the FTS cursor must be on the row, so a second query seeks them.
_SNIPPETS = (f"SELECT rowid, snippet(sentences_fts, 0, '{HIT_START}', '{HIT_END}', '…', 24) AS snippet "
             "FROM sentences_fts WHERE sentences_fts MATCH :match AND rowid IN (SELECT value FROM json_each(:ids))")


_EVENT_COLUMNS = "e.id, e.value, e.year, e.month, e.day, e.label, e.sentence_text, e.reports, e.first_reported"
# An event one of whose reporting sentences matches the topic: event_words holds those sentences, each
# under its event's id (schema migration 19), so the matches name the events without a join. Few
# matches: each event is read by id and the few sorted. Many: listing the matches costs less than
# reading and sorting their events, so the events are walked in order, each kept when listed, until
# `limit` (the unary + keeps the planner from reading them by id).
_EVENT_ABOUT = "e.id IN (SELECT rowid >> 32 FROM event_words WHERE event_words MATCH ?)"
_EVENT_ABOUT_WALKED = "+" + _EVENT_ABOUT
EVENT_MATCHES_READ_BY_ID = 3000
# How many rows of a full-text index match (?), counted up to a bound (?): to choose a plan.
_SENTENCES_MATCHING_UP_TO = "SELECT count(*) FROM (SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ? LIMIT ?)"
_EVENT_WORDS_MATCHING_UP_TO = "SELECT count(*) FROM (SELECT 1 FROM event_words WHERE event_words MATCH ? LIMIT ?)"
# Does sentence `s` match: with `rowid = s.id` FTS5 seeks the one row instead of listing every match.
_SENTENCE_MATCHES = "s.id IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH :match AND rowid = s.id)"
# A common topic has many matches, and collecting them all to keep one person's quotes costs far
# more than the page shows: then the person's quotes are walked newest first instead, each
# sentence tested with one seek, until the page is full. A seek costs about as much as joining
# 15 to 40 matches, so the walk may test at most matches / MATCHES_PER_SEEK quotes; when that does
# not fill the page, every match is collected after all.
FEW_MATCHES = 2000
MATCHES_COUNTED = 100_000
MATCHES_PER_SEEK = 24


_QUOTE_COLUMNS = f"q.id, q.sentence, q.kind, q.text, q.parts, q.speaker, {_QUOTE_SENTENCE}, {_REF}"
_NEWEST_QUOTES_OF_NAME = (
    f"SELECT {_QUOTE_COLUMNS} FROM quotes q INDEXED BY quotes_by_speaker_newest JOIN articles a ON a.id = q.article_id "
    "WHERE q.speaker = :name AND NOT q.repeat AND a.copy_of IS NULL AND (:kind IS NULL OR q.kind = :kind) "
    "ORDER BY q.published DESC, q.article_id, q.sentence, q.id LIMIT :limit")
_QUOTES_ABOUT = (
    f"SELECT {_QUOTE_COLUMNS} FROM person_names n JOIN quotes q ON q.speaker = n.name "
    "JOIN articles a ON a.id = q.article_id WHERE n.person_id = ? AND NOT q.repeat AND a.copy_of IS NULL "
    "AND (? IS NULL OR q.kind = ?) "
    "AND q.id IN (SELECT q2.id FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
    "  JOIN quotes q2 ON q2.article_id = s.article_id AND q2.sentence = s.idx WHERE sentences_fts MATCH ?) "
    "ORDER BY a.published DESC, q.article_id, q.sentence, q.id LIMIT ?")
# One name's quotes about the topic, newest first, up to a bound (`{since}`); each sentence is
# tested by a seek, and the index order stops the walk at `limit`.
_NEWEST_QUOTES_OF_NAME_ABOUT = (
    f"SELECT {_QUOTE_COLUMNS} FROM quotes q INDEXED BY quotes_by_speaker_newest JOIN articles a ON a.id = q.article_id "
    "WHERE q.speaker = :name AND {since} AND NOT q.repeat AND a.copy_of IS NULL AND (:kind IS NULL OR q.kind = :kind) "
    "AND EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = q.article_id AND s.idx = q.sentence "
    f"AND {_SENTENCE_MATCHES}) ORDER BY q.published DESC, q.article_id, q.sentence, q.id LIMIT :limit")

# The quote of the day's pool: direct quotes of 40 to 400 characters by named people, in originals.
_POOLED_QUOTES = (
    "FROM articles a {indexed} JOIN quotes q ON q.article_id = a.id "
    "JOIN person_names n ON n.name = q.speaker JOIN people p ON p.id = n.person_id "
    "WHERE a.copy_of IS NULL AND q.kind = 'direct' AND NOT q.repeat AND length(q.text) BETWEEN 40 AND 400")


_PERSON_COLUMNS = "p.id, p.name, p.role, p.quote_count, p.kind"
# rank 0: a name equals `text`; 1: a name starts with it (a range of the name index, in the names'
# own NOCASE collation); 2: a name only contains it.
_PEOPLE_NAMED_FROM = (
    f"SELECT {_PERSON_COLUMNS}, MIN(CASE WHEN n.name = :text THEN 0 ELSE 1 END) AS rank "
    "FROM person_names n JOIN people p ON p.id = n.person_id WHERE n.name >= :low AND n.name < :high "
    "GROUP BY p.id ORDER BY rank, p.quote_count DESC, p.name LIMIT :limit")
_PEOPLE_NAMED_WITH = (
    f"SELECT {_PERSON_COLUMNS}, 2 AS rank FROM people p "
    "WHERE p.id IN (SELECT person_id FROM person_names WHERE name LIKE :like ESCAPE '\\') "
    "AND p.id NOT IN (SELECT person_id FROM person_names WHERE name >= :low AND name < :high) "
    "ORDER BY p.quote_count DESC, p.name LIMIT :limit")


def _newest_first(rows: list[Row], names: int) -> list[Row]:
    """Quotes walked name by name, merged as one newest-first list (undated last)."""
    if names > 1:  # by article, sentence and id, then (stable) newest first
        rows.sort(key=lambda r: (r["article_id"], r["sentence"], r["id"]))
        rows.sort(key=lambda r: r["published"] or "", reverse=True)
    return rows


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------- rows into records
def _head(row: Row) -> ArticleHead:
    """From _ARTICLE_COLUMNS."""
    return ArticleHead(row["id"], row["title"], row["label"], row["published"], row["captured"], row["written_year"],
                       row["source"])


def _ref(row: Row) -> ArticleHead:
    """From _REF."""
    return ArticleHead(row["article_id"], row["title"], row["label"], row["published"], row["captured"],
                       row["written_year"], row["source"])


def _article(row: Row) -> Article:
    """From SELECT * FROM articles."""
    return Article(_head(row), row["path"], row["content_hash"], row["published_kind"], row["body"],
                   tuple(json.loads(row["summary"])), row["ingested_at"], row["host"], row["copy_of"])


def _parts(stored: str | None) -> tuple[str, ...]:
    """A quote's parts, stored as a JSON list (NULL when it was not split)."""
    if not stored:
        return ()
    return tuple(p for p in json.loads(stored) if isinstance(p, str))


def _quote(row: Row) -> QuoteRecord:
    return QuoteRecord(row["id"], _ref(row), row["sentence"], row["kind"], row["text"], _parts(row["parts"]),
                       row["speaker"], row["sentence_text"])


def _person(row: Row) -> PersonRecord:
    aliases = tuple(json.loads(row["aliases"])) if "aliases" in row.keys() and row["aliases"] else ()
    return PersonRecord(row["id"], row["name"], row["role"], row["quote_count"], row["kind"], aliases)


def _event(row: Row) -> EventRecord:
    return EventRecord(row["id"], row["value"], row["year"], row["month"], row["day"], row["label"],
                       row["sentence_text"], row["reports"], row["first_reported"])


class CorpusQueries(Database):
    # ---------------------------------------------------------------- articles
    async def article_count(self) -> int:
        row = await self.fetch_one("SELECT COUNT(*) FROM articles")
        return row[0]

    async def article(self, article_id: str) -> Article | None:
        row = await self.fetch_one("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _article(row) if row is not None else None

    async def article_extraction_counts(self, article_id: str) -> tuple[int, int]:
        row = await self.fetch_one(
            "SELECT (SELECT COUNT(*) FROM quotes WHERE article_id = ?), (SELECT COUNT(*) FROM dates WHERE article_id = ?)",
            (article_id, article_id))
        return row[0], row[1]

    async def articles_titled(self, text: str, limit: int = 2) -> list[ArticleHead]:
        """Articles whose label is `text` (ASCII case ignored), from the label index."""
        rows = await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE label = ? COLLATE NOCASE LIMIT ?", (text, limit))
        return [_head(r) for r in rows]

    async def articles_by_title(self, text: str, limit: int = 25) -> list[ArticleHead]:
        """Articles whose label or id contains `text` (case-insensitive), labels starting with it first.

        Autocomplete calls this on every keystroke, so it never sorts the whole
        corpus: labels starting with `text` come from the label index, labels or
        ids containing it from the trigram index (three characters or more).
        When either finds a great many, walking the articles newest first finds
        the first page sooner than sorting them all.
        """
        rows = await self._labels_starting(text, limit)
        if len(rows) < limit:
            rows += await self._labels_containing(text, limit - len(rows))
        return [_head(r) for r in rows]

    async def _labels_starting(self, text: str, limit: int) -> list[Row]:
        low, high = text, text + _LAST_CHAR
        # Only to choose the plan (both give the same page), so copies count too: the label index alone.
        probe = await self.fetch_all(
            f"SELECT rowid FROM articles WHERE {_LABEL_STARTS} LIMIT ?", (low, high, SORT_AT_MOST + 1))
        index = "INDEXED BY articles_by_published_label " if len(probe) > SORT_AT_MOST else ""
        return await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles {index}WHERE {_LABEL_STARTS} AND copy_of IS NULL "
            "ORDER BY published DESC, id LIMIT ?", (low, high, limit))

    async def _labels_containing(self, text: str, limit: int) -> list[Row]:
        """Label or id contains `text`, label does not start with it."""
        like = f"%{_like_escape(text)}%"
        where = (f"(label LIKE :like ESCAPE '\\' OR id LIKE :like ESCAPE '\\') "
                 f"AND (label IS NULL OR NOT ({_LABEL_STARTS_NAMED})) AND copy_of IS NULL")
        params = {"like": like, "low": text, "high": text + _LAST_CHAR, "limit": limit}
        if len(text) >= 3:
            params["match"] = '"' + text.replace('"', '""') + '"'
            probe = await self.fetch_all(
                "SELECT rowid FROM articles_label_fts WHERE articles_label_fts MATCH :match LIMIT :cap",
                {"match": params["match"], "cap": SORT_AT_MOST + 1})
            if len(probe) <= SORT_AT_MOST:
                return await self.fetch_all(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE rowid IN (SELECT rowid FROM articles_label_fts "
                    f"WHERE articles_label_fts MATCH :match) AND {where} ORDER BY published DESC, id LIMIT :limit",
                    params)
        # Common text (or too short for trigrams): newest first until the page is full.
        return await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles INDEXED BY articles_by_published_label WHERE {where} "
            "ORDER BY published DESC, id LIMIT :limit", params)

    async def recent_articles(self, limit: int = 25, since: str | None = None) -> list[ArticleHead]:
        rows = await self.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles "
            "WHERE (? IS NULL OR ingested_at > ?) AND copy_of IS NULL ORDER BY ingested_at DESC, published DESC, id LIMIT ?",
            (since, since, limit))
        return [_head(r) for r in rows]

    async def carriers(self, article_id: str) -> list[ArticleHead]:
        """The other articles of this one's story (its original and copies), earliest published first."""
        rows = await self.fetch_all(
            f"WITH root AS (SELECT coalesce(copy_of, id) AS id FROM articles WHERE id = ?) "
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id != ? "
            "AND (id = (SELECT id FROM root) OR copy_of = (SELECT id FROM root)) "
            "ORDER BY published IS NULL, published, ingested_at, id", (article_id, article_id))
        return [_head(r) for r in rows]

    async def sentences_of(self, article_id: str, indices: list[int] | None = None) -> list[StoredSentence]:
        rows = await self.fetch_all(
            "SELECT idx, paragraph, text FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))
        wanted = set(indices) if indices is not None else None
        return [StoredSentence(r[0], r[1], r[2]) for r in rows if wanted is None or r[0] in wanted]

    async def summary_sentences(self, limit_articles: int) -> list[SentenceHit]:
        """The stored summary sentences of the most recent articles, for a corpus-wide summary."""
        rows = await self.fetch_all(
            f"SELECT {_REF}, s.idx, s.text FROM "
            "(SELECT id, title, label, published, captured, written_year, source, summary FROM articles "
            "WHERE copy_of IS NULL ORDER BY published DESC, id LIMIT ?) a "
            "JOIN json_each(a.summary) j JOIN sentences s ON s.article_id = a.id AND s.idx = j.value "
            "ORDER BY a.published DESC, a.id, s.idx", (limit_articles,))
        return [SentenceHit(_ref(r), r["idx"], r["text"]) for r in rows]

    # ---------------------------------------------------------------- full text
    async def topic_sentences(self, topic: str, limit: int = 60) -> list[SentenceHit]:
        """Sentences about `topic` (all its words), best first."""
        query = words_query(topic)
        if query is None:
            return []
        rows = await self._ranked_originals(f"SELECT {_REF}, s.idx, s.text", query, limit)
        return [SentenceHit(_ref(r), r["idx"], r["text"]) for r in rows]

    async def search(self, query: str, limit: int = 50) -> list[SearchMatch]:
        """FTS5 search as typed (phrases, OR, NOT, prefix*); raises SearchSyntaxError when it cannot be read.

        Text that is not valid FTS5 but has no search syntax in it (`Putin's`, `-peace`, `U.S.`)
        means its words.
        """
        try:
            return await self._fts_search(query, limit)
        except SearchSyntaxError:
            plain = None if SEARCH_SYNTAX.search(query) else words_query(query)
            if plain is None:
                raise
            return await self._fts_search(plain, limit)

    async def _fts_search(self, fts_query: str, limit: int) -> list[SearchMatch]:
        if fts_syntax_error(fts_query) is not None:
            raise SearchSyntaxError(SEARCH_NOT_READ)
        try:
            hits = await self._ranked_originals(f"SELECT hits.rowid, {_REF}, s.idx", fts_query, limit)
            snippets = {r["rowid"]: r["snippet"] for r in await self.fetch_all(
                _SNIPPETS, {"match": fts_query, "ids": json.dumps([h["rowid"] for h in hits])})}
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if "fts5" in message or "syntax" in message or "no such column" in message or "unterminated" in message:
                raise SearchSyntaxError(SEARCH_NOT_READ) from None
            raise
        # A reload that committed between the two queries may have removed a hit: it is gone, so left out.
        return [SearchMatch(_ref(h), h["idx"], snippets[h["rowid"]]) for h in hits if h["rowid"] in snippets]

    async def _ranked_originals(self, columns: str, match: str, limit: int) -> list[Row]:
        """The best `limit` matching sentences of original articles (`columns` over hits, s, a)."""
        def ranked(originals: str) -> str:
            return (f"WITH hits AS ({_RANKED_HITS.format(originals=originals)}) {columns} FROM hits "
                    "JOIN sentences s ON s.id = hits.rowid JOIN articles a ON a.id = s.article_id "
                    "WHERE a.copy_of IS NULL ORDER BY hits.score, hits.rowid DESC LIMIT :limit")
        fetch = limit * HITS_FETCHED_PER_KEPT
        rows = await self.fetch_all(ranked(""), {"match": match, "fetch": fetch, "limit": limit})
        if len(rows) < limit:  # copies crowded the best matches, or there are few matches: check each
            rows = await self.fetch_all(ranked(f"AND {_OF_ORIGINALS}"),
                                        {"match": match, "fetch": limit, "limit": limit})
        return rows

    # ---------------------------------------------------------------- people and quotes
    async def people(self, limit: int = 500) -> list[PersonRecord]:
        rows = await self.fetch_all(
            "SELECT p.id, p.name, p.role, p.quote_count, p.kind, "
            "(SELECT json_group_array(n.name) FROM person_names n WHERE n.person_id = p.id AND n.name != p.name) "
            "AS aliases FROM people p WHERE p.quote_count > 0 ORDER BY p.quote_count DESC, p.name LIMIT ?",
            (limit,))
        return [_person(r) for r in rows]

    async def all_people(self) -> list[PersonRecord]:
        rows = await self.fetch_all(
            "SELECT p.id, p.name, p.role, p.quote_count, p.kind, "
            "(SELECT json_group_array(n.name) FROM person_names n WHERE n.person_id = p.id AND n.name != p.name) "
            "AS aliases FROM people p ORDER BY p.name")
        return [_person(r) for r in rows]

    async def person(self, person_id: int) -> PersonRecord | None:
        row = await self.fetch_one("SELECT id, name, role, quote_count, kind FROM people WHERE id = ?", (person_id,))
        return _person(row) if row is not None else None

    async def find_people(self, text: str, limit: int = 25) -> list[PersonMatch]:
        """People any of whose names equals, starts with, or contains `text`, best match first.

        Autocomplete calls this on every keystroke and /quotes on every name, so names that
        equal or start with `text` come from the name index; only when they are fewer than
        `limit` people are the names that merely contain it looked for.
        """
        bounds = {"text": text, "low": text, "high": text + _LAST_CHAR, "limit": limit}
        rows = await self.fetch_all(_PEOPLE_NAMED_FROM, bounds)
        if len(rows) < limit:
            like = {**bounds, "like": f"%{_like_escape(text)}%", "limit": limit - len(rows)}
            rows += await self.fetch_all(_PEOPLE_NAMED_WITH, like)
        return [PersonMatch(r["id"], r["name"], r["role"], r["quote_count"], r["kind"], r["rank"]) for r in rows]

    async def quotes_of(self, person_id: int, kind: str | None = None, topic: str | None = None,
                        limit: int = 1000) -> list[QuoteRecord]:
        """A person's quotes, newest articles first, at most `limit`.

        The most quoted people have tens of thousands of quotes in a large archive, so without a
        topic nothing sorts them all: each name the person goes by is one walk of the speaker
        index, newest first, stopping at `limit`, and only those walks are merged. With a topic,
        the sentences about it bound the work instead.
        """
        if topic:
            topic_query = words_query(topic)
            if topic_query is None:
                return []
            rows = await self._newest_quotes_about(person_id, kind, topic_query, limit)
            if rows is None:
                rows = await self.fetch_all(_QUOTES_ABOUT, (person_id, kind, kind, topic_query, limit))
            return [_quote(r) for r in rows]
        names = await self.fetch_all("SELECT name FROM person_names WHERE person_id = ?", (person_id,))
        rows: list[Row] = []
        for name in names:
            rows += await self.fetch_all(_NEWEST_QUOTES_OF_NAME, {"name": name[0], "kind": kind, "limit": limit})
        return [_quote(r) for r in _newest_first(rows, len(names))[:limit]]

    async def _newest_quotes_about(self, person_id: int, kind: str | None, match: str,
                                   limit: int) -> list[Row] | None:
        """A person's newest `limit` quotes about `match`, walking each name's quotes newest first;
        None when the matches are few (collecting them is cheaper) or a walk's budget ran out first."""
        budget = await self._walk_budget(match)
        if budget is None:
            return None
        names = await self.fetch_all("SELECT name FROM person_names WHERE person_id = ?", (person_id,))
        rows: list[Row] = []
        for (name,) in names:
            # The walk tests at most `budget` quotes: those published no earlier than the budget-th.
            last = await self.fetch_one(
                "SELECT published FROM quotes INDEXED BY quotes_by_speaker_newest WHERE speaker = ? "
                "ORDER BY published DESC, article_id, sentence, id LIMIT 1 OFFSET ?", (name, budget - 1))
            since = "TRUE" if last is None else "q.published IS NOT NULL" if last[0] is None else "q.published >= :since"
            found = await self.fetch_all(_NEWEST_QUOTES_OF_NAME_ABOUT.format(since=since), {
                "name": name, "since": last[0] if last else None, "kind": kind, "match": match, "limit": limit})
            if len(found) < limit and last is not None:
                return None
            rows += found
        return _newest_first(rows, len(names))[:limit]

    async def quote_pool(self, limit: int = 200) -> list[PooledQuote]:
        """Direct quotes by named people, newest articles first: the pool for a quote of the day."""
        # Walk articles newest first and stop at `limit`, rather than sort every quote of the corpus.
        rows = await self.fetch_all(
            f"SELECT q.id, q.sentence, a.id AS article_id, p.name "
            f"{_POOLED_QUOTES.format(indexed='INDEXED BY articles_by_ingested')} "
            "ORDER BY a.ingested_at DESC, a.published DESC, q.id LIMIT ?", (limit,))
        return [PooledQuote(r["id"], r["article_id"], r["sentence"], r["name"]) for r in rows]

    async def quote_candidate(self, quote_id: int, name: str) -> QuoteCandidate | None:
        row = await self.fetch_one(
            f"SELECT q.id, q.sentence, q.text, q.parts, p.name, p.role, {_QUOTE_SENTENCE}, {_REF} "
            f"{_POOLED_QUOTES.format(indexed='')} AND q.id = ? AND p.name = ?", (quote_id, name))
        if row is None:
            return None
        return QuoteCandidate(row["id"], _ref(row), row["sentence"], row["text"], _parts(row["parts"]), row["name"],
                              row["role"], row["sentence_text"])

    # ---------------------------------------------------------------- dates
    async def dates(self, year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                    topic: str | None = None, limit: int = 2000) -> list[DateMention]:
        topic_query = words_query(topic) if topic else None
        if topic and topic_query is None:
            return []
        # Only the filters given, so a year filter can use the year index and stop at `limit`.
        conditions: list[str] = ["a.copy_of IS NULL"]
        params: list = []
        for clause, value in (("d.year = ?", year), ("d.year >= ?", start_year), ("d.year <= ?", end_year),
                              ("+s.id IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)", topic_query)):
            if value is not None:
                conditions.append(clause)
                params.append(value)
        years_known = any(v is not None for v in (year, start_year, end_year))
        order = "d.year, d.month, d.day, d.id" if years_known else "d.year IS NULL, d.year, d.month, d.day, d.id"
        rows = await self.fetch_all(
            "SELECT d.sentence AS sentence_idx, d.text, d.value, d.year, d.month, d.day, "
            f"{_REF}, s.text AS sentence FROM dates d "
            "JOIN articles a ON a.id = d.article_id "
            "JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence "
            f"WHERE {' AND '.join(conditions)} ORDER BY {order} LIMIT ?", (*params, limit))
        return [DateMention(_ref(r), r["sentence_idx"], r["text"], r["value"], r["year"], r["month"], r["day"],
                            r["sentence"]) for r in rows]

    # ---------------------------------------------------------------- timeline events
    async def events(self, year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                     topic: str | None = None, limit: int = 500) -> list[EventRecord]:
        """Timeline events in chronological order, at most `limit`; a topic keeps the events one of
        whose reporting sentences has all its words."""
        topic_query = words_query(topic) if topic else None
        if topic and topic_query is None:
            return []
        conditions: list[str] = []
        params: list = []
        about = _EVENT_ABOUT
        if topic_query is not None:
            counted = await self.fetch_one(_EVENT_WORDS_MATCHING_UP_TO, (topic_query, EVENT_MATCHES_READ_BY_ID))
            if counted[0] >= EVENT_MATCHES_READ_BY_ID:
                about = _EVENT_ABOUT_WALKED
        for clause, value in (("e.year = ?", year), ("e.year >= ?", start_year), ("e.year <= ?", end_year),
                              (about, topic_query)):
            if value is not None:
                conditions.append(clause)
                params.append(value)
        rows = await self.fetch_all(
            f"SELECT {_EVENT_COLUMNS} FROM events e WHERE {' AND '.join(conditions) or 'TRUE'} "
            "ORDER BY e.sort_key, e.rank LIMIT ?", (*params, limit))
        return [_event(r) for r in rows]

    async def _walk_budget(self, match: str) -> int | None:
        """How many candidates a walk may test for a topic; None when its matches are few."""
        matches = (await self.fetch_one(_SENTENCES_MATCHING_UP_TO, (match, MATCHES_COUNTED)))[0]
        return None if matches < FEW_MATCHES else max(1, matches // MATCHES_PER_SEEK)

    async def events_on(self, month: int, day: int, limit: int = 500) -> list[EventRecord]:
        """Events on a day of the year (any year), oldest first, those of an unknown year last."""
        rows = await self.fetch_all(
            f"SELECT {_EVENT_COLUMNS} FROM events e WHERE e.month = ? AND e.day = ? "
            "ORDER BY e.sort_key, e.rank LIMIT ?", (month, day, limit))
        return [_event(r) for r in rows]

    async def event_sources(self, event_ids: list[int], per_event: int = 50) -> list[EventSource]:
        """The first `per_event` articles reporting each event, first reporter first."""
        rows = await self.fetch_all(
            f"SELECT ea.event_id, {_REF} FROM event_articles ea "
            "JOIN articles a ON a.id = ea.article_id "
            "WHERE ea.event_id IN (SELECT value FROM json_each(?)) AND ea.position < ? "
            "ORDER BY ea.event_id, ea.position", (json.dumps(event_ids), per_event))
        return [EventSource(r["event_id"], _ref(r)) for r in rows]

    # ---------------------------------------------------------------- export
    async def export(self) -> ExportData:
        articles = await self.fetch_all("SELECT * FROM articles ORDER BY id")
        people = await self.all_people()
        quotes = await self.fetch_all(
            # The corpus-wide name of the speaker; the article's own spelling where none is known.
            "SELECT q.article_id, q.kind, q.text, q.sentence, COALESCE(p.name, q.speaker) AS speaker FROM quotes q "
            "LEFT JOIN person_names n ON n.name = q.speaker LEFT JOIN people p ON p.id = n.person_id "
            "ORDER BY q.article_id, q.sentence, q.id")
        dates = await self.fetch_all(
            "SELECT d.article_id, d.text, d.value, s.text AS sentence FROM dates d "
            "JOIN sentences s ON s.article_id = d.article_id AND s.idx = d.sentence ORDER BY d.article_id, d.id")
        return ExportData(articles=[_article(r) for r in articles], people=people,
                          quotes=[ExportQuote(r["article_id"], r["kind"], r["text"], r["sentence"], r["speaker"])
                                  for r in quotes],
                          dates=[ExportDate(r["article_id"], r["text"], r["value"], r["sentence"]) for r in dates])

    async def corpus_counts(self) -> CorpusCounts:
        counts = {}
        for table in ("articles", "sentences", "people", "quotes", "dates"):
            row = await self.fetch_one(f"SELECT COUNT(*) FROM {table}")
            counts[table] = row[0]
        return CorpusCounts(**counts)

    async def storage_info(self) -> StorageInfo:
        """The database file with its write-ahead log and shared-memory index (-wal, -shm)."""
        files = [self.path.with_name(self.path.name + suffix) for suffix in ("", "-wal", "-shm")]
        try:
            size = sum(f.stat().st_size for f in files if f.exists())
        except OSError:
            size = None
        return StorageInfo(engine="SQLite", where=str(self.path), size_bytes=size)
