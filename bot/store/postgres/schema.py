"""The PostgreSQL schema as an ordered list of migrations.

The `schema_version` table holds how many migrations a database has had (one
row). Opening a database runs the missing ones, each in its own transaction,
while holding an advisory lock, so processes starting together migrate once.
A database whose version is higher than `SCHEMA_VERSION` was written by a
newer bot and is refused. Never edit a released migration: append a new one
.
"""
from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the bot's own state: digest subscriptions, digests sent, quotes shown, metadata.
    """
    CREATE TABLE digest_subscriptions (
        guild_id        BIGINT PRIMARY KEY,
        channel_id      BIGINT NOT NULL,
        post_time       TEXT NOT NULL,          -- HH:MM local time
        timezone        TEXT NOT NULL,          -- IANA name
        enabled         BOOLEAN NOT NULL DEFAULT TRUE,
        created_by      BIGINT,
        created_at      TIMESTAMPTZ NOT NULL,
        disabled_reason TEXT
    );
    CREATE TABLE digests_sent (
        guild_id   BIGINT NOT NULL,
        local_date DATE NOT NULL,               -- the subscriber's calendar day the digest belongs to
        channel_id BIGINT NOT NULL,
        message_id BIGINT,
        sent_at    TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (guild_id, local_date)      -- what makes a claim succeed once
    );
    CREATE TABLE quotes_shown (
        guild_id  BIGINT NOT NULL,
        quote_key TEXT NOT NULL,                -- article id + sentence + speaker: stable across re-ingest
        shown_on  DATE NOT NULL,
        PRIMARY KEY (guild_id, quote_key, shown_on)
    );
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: the corpus, as in SQLite (bot/store/schema.py) with PostgreSQL's own types and full-text search.
    # Instants stay ISO 8601 text, as the SQLite store keeps them, so both order and compare alike.
    # Search matches like SQLite's FTS5 (porter stemmer, no stop words, accents ignored): the
    # `briefing` configuration stems English without dropping any word, after unaccent.
    # pg_trgm and unaccent are trusted extensions: the database's owner may create them.
    """
    CREATE EXTENSION IF NOT EXISTS unaccent;
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TEXT SEARCH DICTIONARY briefing_stem (TEMPLATE = snowball, LANGUAGE = english);
    CREATE TEXT SEARCH CONFIGURATION briefing (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION briefing
        ALTER MAPPING FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword, numword,
                          numhword, hword_numpart
        WITH unaccent, briefing_stem;

    CREATE TABLE articles (
        id             TEXT COLLATE "C" PRIMARY KEY,
        path           TEXT NOT NULL,
        content_hash   TEXT NOT NULL,
        title          TEXT,
        published      TEXT COLLATE "C",
        published_kind TEXT,
        captured       TEXT COLLATE "C",
        written_year   INTEGER,
        source         TEXT,
        body           TEXT NOT NULL,
        summary        INTEGER[] NOT NULL DEFAULT '{}',  -- sentence indices
        ingested_at    TEXT COLLATE "C" NOT NULL,
        file_size      BIGINT,
        file_mtime_ns  BIGINT,
        label          TEXT,
        host           TEXT,
        source_given   TEXT,
        copy_of        TEXT,
        minhash        BYTEA
    );
    CREATE INDEX articles_by_label ON articles (lower(label));
    CREATE INDEX articles_by_label_trigram ON articles USING gin (lower(label) gin_trgm_ops);
    CREATE INDEX articles_by_published ON articles (published DESC NULLS LAST, id);
    CREATE INDEX articles_by_ingested ON articles (ingested_at DESC, published DESC NULLS LAST, id);
    CREATE INDEX articles_by_outlet ON articles (host, source_given, source, id);
    CREATE INDEX articles_by_copy_of ON articles (copy_of) WHERE copy_of IS NOT NULL;

    CREATE TABLE sentences (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        paragraph  INTEGER NOT NULL,
        text       TEXT NOT NULL,
        words      TSVECTOR GENERATED ALWAYS AS (to_tsvector('briefing', text)) STORED,
        UNIQUE (article_id, idx)
    );
    CREATE INDEX sentences_by_words ON sentences USING gin (words);

    CREATE TABLE article_people (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        aliases    TEXT[] NOT NULL DEFAULT '{}',
        role       TEXT,
        kind       TEXT NOT NULL DEFAULT 'person',
        PRIMARY KEY (article_id, name)
    );

    CREATE TABLE quotes (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence   INTEGER NOT NULL,
        speaker    TEXT,                        -- the article's own name for the person
        kind       TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
        text       TEXT NOT NULL,
        repeat     BOOLEAN NOT NULL DEFAULT FALSE,
        parts      TEXT[],                      -- the pieces of a quote split by "he said"
        published  TEXT COLLATE "C"
    );
    CREATE INDEX quotes_by_article ON quotes (article_id);
    CREATE INDEX quotes_by_speaker_newest ON quotes (lower(speaker), published DESC NULLS LAST, article_id, sentence, id);

    CREATE TABLE dates (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence   INTEGER NOT NULL,
        text       TEXT NOT NULL,
        value      TEXT NOT NULL,
        year       INTEGER,                     -- NULL when the year is unknown
        month      INTEGER,
        day        INTEGER
    );
    CREATE INDEX dates_by_year ON dates (year, month, day);
    CREATE INDEX dates_by_month_day ON dates (month, day);
    CREATE INDEX dates_by_article ON dates (article_id);
    CREATE INDEX dates_by_value ON dates (value);
    CREATE INDEX dates_by_sentence ON dates (article_id, sentence);

    -- Text that is ordered sorts by code point (COLLATE "C"), as in SQLite.
    -- Names compare without case, as SQLite's NOCASE columns do: the lower-cased name is the key.
    CREATE TABLE people (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name        TEXT NOT NULL,
        role        TEXT,
        quote_count INTEGER NOT NULL DEFAULT 0,
        kind        TEXT NOT NULL DEFAULT 'person'
    );
    CREATE UNIQUE INDEX people_by_name ON people (lower(name));
    CREATE TABLE person_names (
        name      TEXT NOT NULL,                -- any spelling an article used
        person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX person_names_by_name ON person_names (lower(name));
    CREATE INDEX person_names_by_name_trigram ON person_names USING gin (lower(name) gin_trgm_ops);
    CREATE INDEX person_names_by_person ON person_names (person_id);

    CREATE TABLE article_bands (
        key        BIGINT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (key, article_id)
    );
    CREATE INDEX article_bands_by_article ON article_bands (article_id);

    CREATE TABLE events (
        id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        value          TEXT NOT NULL,           -- normalised ISO 8601 with X, as the mentions it merges
        year           INTEGER,
        month          INTEGER,
        day            INTEGER,
        sort_key       TEXT COLLATE "C" NOT NULL,           -- chronological order of values (timeline.event_sort_key)
        rank           INTEGER NOT NULL,        -- among the events of one value: most widely reported first
        label          TEXT NOT NULL,
        article_id     TEXT NOT NULL,
        sentence       INTEGER NOT NULL,
        sentence_text  TEXT NOT NULL,
        reports        INTEGER NOT NULL,
        first_reported TEXT
    );
    CREATE INDEX events_by_value ON events (value);
    CREATE INDEX events_in_order ON events (sort_key, rank);
    CREATE INDEX events_by_year ON events (year, sort_key, rank);
    CREATE INDEX events_by_month_day ON events (month, day, sort_key, rank);
    CREATE TABLE event_articles (
        event_id   BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,            -- 0: the first to report it
        article_id TEXT NOT NULL,
        sentence   INTEGER NOT NULL,
        PRIMARY KEY (event_id, position)
    );
    CREATE INDEX event_articles_by_sentence ON event_articles (article_id, sentence);

    CREATE TABLE feeds_added (
        url           TEXT PRIMARY KEY,
        name          TEXT,
        every_minutes INTEGER NOT NULL,
        match         TEXT,
        added_by      BIGINT,
        added_at      TEXT NOT NULL
    );
    CREATE TABLE feed_state (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT,
        last_attempt  TEXT,
        last_success  TEXT,
        last_error    TEXT,
        last_error_at TEXT,
        failures      INTEGER NOT NULL DEFAULT 0,
        next_attempt  TEXT,
        new_articles  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE feed_entries_seen (
        feed_url   TEXT NOT NULL,
        entry_key  TEXT NOT NULL,
        updated    TEXT,
        outcome    TEXT NOT NULL,
        attempts   INTEGER NOT NULL DEFAULT 1,
        article_id TEXT,
        detail     TEXT,
        seen_at    TEXT NOT NULL,
        PRIMARY KEY (feed_url, entry_key)
    );
    """,
    # 3: search matches as SQLite's FTS5 does (tests/test_search_syntax.py compares them). The words are
    # cut as FTS5's unicode61 cuts them: every run of letters or digits is one word, so "well-known"
    # is two words at two positions (PostgreSQL's parser also kept the compound, shifting phrases) and
    # case folds for every alphabet (lower() by ICU: the "C" locale folds ASCII only). FTS5's stemmer
    # is the original Porter algorithm, which snowball also has; FTS5 leaves words shorter than three
    # letters alone, where Porter makes "as" "a": those ending in "s" get a mark (tsquery.SHORT_WORD_MARK).
    r"""
    CREATE TEXT SEARCH DICTIONARY briefing_porter (TEMPLATE = snowball, LANGUAGE = porter);
    ALTER TEXT SEARCH CONFIGURATION briefing
        ALTER MAPPING FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword, numword,
                          numhword, hword_numpart
        WITH unaccent, briefing_porter;
    DROP TEXT SEARCH DICTIONARY briefing_stem;
    ALTER TABLE sentences DROP COLUMN words;
    ALTER TABLE sentences ADD COLUMN words TSVECTOR GENERATED ALWAYS AS (to_tsvector('briefing',
        regexp_replace(regexp_replace(lower(text COLLATE "und-x-icu"), '[^[:alnum:]]+', ' ', 'g'),
                       '\m([[:alnum:]]s)\M', '\10', 'g'))) STORED;
    CREATE INDEX sentences_by_words ON sentences USING gin (words);
    -- Answers and the export order by these as SQLite does: by code point.
    ALTER TABLE sentences ALTER COLUMN article_id TYPE TEXT COLLATE "C";
    ALTER TABLE quotes ALTER COLUMN article_id TYPE TEXT COLLATE "C";
    ALTER TABLE dates ALTER COLUMN article_id TYPE TEXT COLLATE "C";
    -- A person's other names are listed in the order they were written, as SQLite lists them (by rowid).
    ALTER TABLE person_names ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
    CREATE INDEX person_names_in_order ON person_names (person_id, id);
    -- The dates of a year in order (NULL month and day first, as SQLite sorts them), walked up to a page.
    CREATE INDEX dates_in_order ON dates (year, month NULLS FIRST, day NULLS FIRST, id);
    -- Quote-of-the-day candidates are 40 to 400 characters long: without statistics on that length
    -- the planner takes them for a handful and sorts them all instead of walking the newest articles.
    CREATE STATISTICS quotes_text_length ON (length(text)) FROM quotes;
    -- Autocomplete: "label or id contains" from trigram indexes, as SQLite's trigram index covers both.
    CREATE INDEX articles_by_id_trigram ON articles USING gin (lower(id) gin_trgm_ops);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
