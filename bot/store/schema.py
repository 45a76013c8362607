"""The database schema as an ordered list of migrations.

`PRAGMA user_version` holds how many migrations a database has had. Opening a
database runs the missing ones, each in its own transaction; a database whose
version is higher than `SCHEMA_VERSION` was written by a newer bot and is
refused. Never edit a released migration: append a new one.
"""
from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the corpus and the digest subscriptions.
    """
    CREATE TABLE articles (
        id             TEXT PRIMARY KEY,
        path           TEXT NOT NULL,
        content_hash   TEXT NOT NULL,
        title          TEXT,
        published      TEXT,
        published_kind TEXT,
        source         TEXT,
        body           TEXT NOT NULL,
        summary        TEXT NOT NULL DEFAULT '[]',  -- JSON list of sentence indices
        ingested_at    TEXT NOT NULL
    );
    CREATE TABLE sentences (
        id         INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        paragraph  INTEGER NOT NULL,
        text       TEXT NOT NULL,
        UNIQUE (article_id, idx)
    );
    CREATE VIRTUAL TABLE sentences_fts USING fts5(
        text, content='sentences', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TABLE article_people (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        aliases    TEXT NOT NULL DEFAULT '[]',  -- JSON list
        role       TEXT,
        PRIMARY KEY (article_id, name)
    );
    CREATE TABLE quotes (
        id         INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence   INTEGER NOT NULL,
        speaker    TEXT,              -- the article's own name for the person
        kind       TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
        text       TEXT NOT NULL
    );
    CREATE INDEX quotes_by_speaker ON quotes(speaker);
    CREATE INDEX quotes_by_article ON quotes(article_id);
    CREATE TABLE dates (
        id         INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence   INTEGER NOT NULL,
        text       TEXT NOT NULL,
        value      TEXT NOT NULL,
        year       INTEGER,           -- NULL when the year is unknown
        month      INTEGER,
        day        INTEGER
    );
    CREATE INDEX dates_by_year ON dates(year, month, day);
    CREATE INDEX dates_by_month_day ON dates(month, day);
    CREATE INDEX dates_by_article ON dates(article_id);
    -- People across the whole corpus, rebuilt from article_people after each ingest.
    CREATE TABLE people (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role        TEXT,
        quote_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE person_names (
        name      TEXT PRIMARY KEY COLLATE NOCASE,  -- any spelling an article used
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE
    );
    CREATE INDEX person_names_by_person ON person_names(person_id);
    CREATE TABLE digest_subscriptions (
        guild_id   INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL,
        post_time  TEXT NOT NULL,     -- HH:MM local time
        timezone   TEXT NOT NULL,     -- IANA name
        enabled    INTEGER NOT NULL DEFAULT 1,
        created_by INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE TABLE digests_sent (
        guild_id   INTEGER NOT NULL,
        local_date TEXT NOT NULL,     -- the subscriber's calendar day the digest belongs to
        channel_id INTEGER NOT NULL,
        message_id INTEGER,
        sent_at    TEXT NOT NULL,
        PRIMARY KEY (guild_id, local_date)
    );
    """,
    # 2: quote-of-the-day history, why a subscription was disabled, bot metadata.
    """
    CREATE TABLE quotes_shown (
        guild_id   INTEGER NOT NULL,
        quote_key  TEXT NOT NULL,     -- article id + sentence + speaker: stable across re-ingest
        shown_on   TEXT NOT NULL,
        PRIMARY KEY (guild_id, quote_key, shown_on)
    );
    ALTER TABLE digest_subscriptions ADD COLUMN disabled_reason TEXT;
    CREATE INDEX articles_by_title ON articles(title COLLATE NOCASE);
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: a display label for every article: its title, or the start of its first sentence.
    """
    ALTER TABLE articles ADD COLUMN label TEXT;
    UPDATE articles SET label = COALESCE(title, substr(body, 1, 80));
    CREATE INDEX articles_by_label ON articles(label COLLATE NOCASE);
    """,
    # 4: each article file's size and modification time as last read, so a reload
    # re-reads and re-hashes only the files whose size or time changed.
    """
    ALTER TABLE articles ADD COLUMN file_size INTEGER;
    ALTER TABLE articles ADD COLUMN file_mtime_ns INTEGER;
    """,
    # 5: indexes for answers at 100,000 articles. Newest-first walks for autocomplete,
    # corpus summaries and the digest; a trigram index for "label or id contains".
    # The trigram table mirrors articles by rowid: a VACUUM may renumber those, so
    # follow one with INSERT INTO articles_label_fts(articles_label_fts) VALUES ('rebuild').
    """
    CREATE INDEX articles_by_published ON articles(published DESC, id);
    CREATE INDEX articles_by_ingested ON articles(ingested_at DESC, published DESC, id);
    CREATE VIRTUAL TABLE articles_label_fts USING fts5(
        label, id, content='articles', content_rowid='rowid', tokenize='trigram'
    );
    INSERT INTO articles_label_fts(articles_label_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_label_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_label_fts(rowid, label, id) VALUES (new.rowid, new.label, new.id);
    END;
    CREATE TRIGGER articles_label_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_label_fts(articles_label_fts, rowid, label, id)
        VALUES ('delete', old.rowid, old.label, old.id);
    END;
    CREATE TRIGGER articles_label_au AFTER UPDATE OF label, id ON articles BEGIN
        INSERT INTO articles_label_fts(articles_label_fts, rowid, label, id)
        VALUES ('delete', old.rowid, old.label, old.id);
        INSERT INTO articles_label_fts(rowid, label, id) VALUES (new.rowid, new.label, new.id);
    END;
    """,
    # 6: when a page was captured is not when it was published. A page's own timestamp line
    # used to be stored as `published` (published_kind 'page_stamp'); it moves to `captured`.
    """
    ALTER TABLE articles ADD COLUMN captured TEXT;
    ALTER TABLE articles ADD COLUMN written_year INTEGER;  -- settled by the text of an undated article
    UPDATE articles SET captured = published, published = NULL, published_kind = NULL
        WHERE published_kind = 'page_stamp';
    """,
    # 7: a quote whose words a longer quote of the same sentence shows is a repeat: kept for the
    # export, left out of every count and list, so /experts and /quotes count the same quotes.
    # Later ingests mark repeats in Python (bot/nlp/quote_repeats.py); this marks stored ones alike.
    """
    ALTER TABLE quotes ADD COLUMN repeat INTEGER NOT NULL DEFAULT 0;
    UPDATE quotes SET repeat = 1 WHERE EXISTS (
        SELECT 1 FROM quotes o WHERE o.article_id = quotes.article_id AND o.sentence = quotes.sentence
        AND length(o.text) > length(quotes.text) AND instr(lower(o.text), lower(quotes.text)) > 0);
    UPDATE people SET quote_count = (
        SELECT COUNT(*) FROM quotes q JOIN person_names n ON n.name = q.speaker
        WHERE n.person_id = people.id AND NOT q.repeat);
    """,
    # 8: a quote interrupted by its attribution ('"...," she said. "..."') keeps its parts as
    # written (JSON list), so answers show them apart; `text` stays the quoted words. NULL for one part.
    """
    ALTER TABLE quotes ADD COLUMN parts TEXT;
    """,

    # 9: the feeds added by /admin feeds add (configured ones live in the configuration),
    # each feed's polling state (validators for conditional requests, failures and backoff),
    # and the entries already handled, so a restart neither re-fetches nor loses any.
    """
    CREATE TABLE feeds_added (
        url            TEXT PRIMARY KEY,
        name           TEXT,
        every_minutes  INTEGER NOT NULL,
        match          TEXT,
        added_by       INTEGER,
        added_at       TEXT NOT NULL
    );
    CREATE TABLE feed_state (
        url            TEXT PRIMARY KEY,
        etag           TEXT,
        last_modified  TEXT,
        last_attempt   TEXT,
        last_success   TEXT,
        last_error     TEXT,
        last_error_at  TEXT,
        failures       INTEGER NOT NULL DEFAULT 0,   -- in a row; reset by a success
        next_attempt   TEXT,
        new_articles   INTEGER NOT NULL DEFAULT 0    -- ingested from this feed, all time
    );
    CREATE TABLE feed_entries_seen (
        feed_url    TEXT NOT NULL,
        entry_key   TEXT NOT NULL,   -- the entry's id, else its link
        updated     TEXT,            -- the entry's updated date when handled: a later one is fetched again
        outcome     TEXT NOT NULL,   -- 'ingested' | 'filtered' | 'failed' | 'skipped' (no link)
        attempts    INTEGER NOT NULL DEFAULT 1,
        article_id  TEXT,
        detail      TEXT,
        seen_at     TEXT NOT NULL,
        PRIMARY KEY (feed_url, entry_key)
    );
    """,
    # 10: a quoted source is a person, an organisation or a group (bot/nlp/source_words.KINDS), as each
    # article judged it and as the corpus-wide entry settles it. Rows stored before are persons
    # until their article is read again.
    """
    ALTER TABLE article_people ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
    ALTER TABLE people ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
    """,
    # 11: one name for each outlet (bot/corpus/outlets.py): `source` is the name the outlet's
    # articles most often give, `source_given` what this article itself gives, `host` the
    # registrable domain it came from. Stored articles keep their own name until the next ingest.
    """
    ALTER TABLE articles ADD COLUMN host TEXT;
    ALTER TABLE articles ADD COLUMN source_given TEXT;
    UPDATE articles SET source_given = source;
    -- Covers the corpus-wide pass of every ingest, so it reads this index, not every article's body.
    CREATE INDEX articles_by_outlet ON articles(host, source_given, source, id);
    """,
    # 12: one story, many outlets. `copy_of` names the article a near-identical body copies (NULL for an
    # original); answers leave copies out. `article_bands` holds each body's LSH keys
    # (bot/nlp/near_duplicates.py), so a new article finds its candidate copies by index, not by
    # comparing with every body. Keys are computed in Python, so stored articles get theirs on the
    # next reload: clearing the recorded hash and file stats makes it read every file again once.
    """
    ALTER TABLE articles ADD COLUMN copy_of TEXT;
    ALTER TABLE articles ADD COLUMN minhash BLOB;  -- shingle count + MinHash signature: ranks candidates cheaply
    CREATE INDEX articles_by_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL;
    CREATE TABLE article_bands (
        key        INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_bands_by_article ON article_bands(article_id);
    UPDATE articles SET content_hash = '', file_size = NULL, file_mtime_ns = NULL;
    """,
    # 13: a person's quotes newest first straight from an index, stopping at a page: each quote keeps
    # its article's publication date (written with the quote; an article's date changes only when
    # it is re-ingested, which rewrites its quotes). The new index starts with `speaker`, so it
    # serves every lookup the old one did.
    """
    ALTER TABLE quotes ADD COLUMN published TEXT;
    UPDATE quotes SET published = (SELECT a.published FROM articles a WHERE a.id = quotes.article_id);
    CREATE INDEX quotes_by_speaker_newest ON quotes(speaker, published DESC, article_id, sentence, id);
    DROP INDEX quotes_by_speaker;
    """,
    # 14: timeline events, built at ingest from the date mentions (bot/nlp/timeline.py) and kept up to
    # date in the transaction that changes an article: only the events of the date values it
    # touches are rebuilt. Clustering is Python, so this only marks the stored corpus: the first
    # open after the upgrade builds the events of every stored value (CorpusWrites.open).
    """
    CREATE TABLE events (
        id             INTEGER PRIMARY KEY,
        value          TEXT NOT NULL,     -- normalised ISO 8601 with X, as the mentions it merges
        year           INTEGER,           -- of its start; NULL where unknown
        month          INTEGER,
        day            INTEGER,
        sort_key       TEXT NOT NULL,     -- chronological order of values (timeline.event_sort_key)
        rank           INTEGER NOT NULL,  -- among the events of one value: most widely reported first
        label          TEXT NOT NULL,     -- the date as written in the chosen sentence
        article_id     TEXT NOT NULL,     -- the clearest sentence: its article, index and text
        sentence       INTEGER NOT NULL,
        sentence_text  TEXT NOT NULL,
        reports        INTEGER NOT NULL,  -- how many articles reported it
        first_reported TEXT               -- when the first of them was published (or captured), where known
    );
    CREATE INDEX events_by_value ON events(value);
    CREATE INDEX events_in_order ON events(sort_key, rank);
    CREATE INDEX events_by_year ON events(year, sort_key, rank);
    CREATE INDEX events_by_month_day ON events(month, day, sort_key, rank);
    CREATE TABLE event_articles (
        event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,      -- 0: the first to report it
        article_id TEXT NOT NULL,
        sentence   INTEGER NOT NULL,      -- the sentence of that article reporting it
        PRIMARY KEY (event_id, position)
    );
    CREATE INDEX event_articles_by_sentence ON event_articles(article_id, sentence);
    CREATE INDEX dates_by_value ON dates(value);
    CREATE INDEX dates_by_sentence ON dates(article_id, sentence);
    INSERT INTO meta(key, value) VALUES ('events_stale', '1')
        ON CONFLICT(key) DO UPDATE SET value = excluded.value;
    """,
    # 15: the events of a date mentioned more than timeline.CORE_MENTIONS times are grouped from its
    # first mentions (its core), so that a reload updates them in place: the stored events of such
    # dates were grouped otherwise, and the first open after the upgrade builds them again.
    """
    INSERT INTO meta(key, value) VALUES ('events_stale', '1')
        ON CONFLICT(key) DO UPDATE SET value = excluded.value;
    """,
    # 16: the originals in the order that makes events (first reported first, bot/store/events.py), so
    # that the first mentions of a date mentioned in much of the corpus are found by a walk that stops
    # at its core, not by sorting all its mentions.
    """
    CREATE INDEX articles_in_report_order
        ON articles(coalesce(published, captured) IS NULL, coalesce(published, captured), id)
        WHERE copy_of IS NULL;
    """,
    # 17: title autocomplete walks the articles newest first when a great many labels match; with
    # the label and copy_of in the walk's index, articles that do not match are passed over in the
    # index alone, without reading their rows (bodies included).
    """
    CREATE INDEX articles_by_published_label ON articles(published DESC, id, label, copy_of);
    """,
    # 18: articles_by_published (published DESC, id) is the start of 17's index, which every newest-first
    # read now uses: one index less to write for each article stored.
    """
    DROP INDEX articles_by_published;
    """,
    # 19: `/dates topic:` keeps the events one of whose reporting sentences has the topic's words. The
    # whole-corpus index lists every sentence with a common word (hundreds of thousands at 100,000
    # articles) and each had to be joined to its events; this index holds only the reporting sentences,
    # one row per event and sentence, its rowid the event's id and the sentence's (event_id << 32 |
    # sentence id): a match names its event without a join. Its text is the sentence's own (external
    # content: the view), kept in step by triggers on both sides of the view's join; a 'delete' must
    # give the text that was indexed, so the sentence triggers use the row's own text. A report moved
    # to another position of its event (bot/store/events.py) is shifted by an UPDATE, which no trigger
    # watches; the insert and delete triggers leave the index alone while another row names the same
    # event and sentence.
    """
    CREATE VIEW event_sentences(event_sentence, text) AS
        SELECT DISTINCT (ea.event_id << 32) | s.id, s.text FROM event_articles ea
        JOIN sentences s ON s.article_id = ea.article_id AND s.idx = ea.sentence;
    CREATE VIRTUAL TABLE event_words USING fts5(
        text, content='event_sentences', content_rowid='event_sentence', columnsize=0,
        tokenize='porter unicode61 remove_diacritics 2'
    );
    INSERT INTO event_words(event_words) VALUES ('rebuild');
    CREATE TRIGGER event_words_report_ai AFTER INSERT ON event_articles
    WHEN NOT EXISTS (SELECT 1 FROM event_articles o WHERE o.article_id = new.article_id
                     AND o.sentence = new.sentence AND o.event_id = new.event_id AND o.position <> new.position)
    BEGIN
        INSERT INTO event_words(rowid, text) SELECT (new.event_id << 32) | s.id, s.text FROM sentences s
        WHERE s.article_id = new.article_id AND s.idx = new.sentence;
    END;
    CREATE TRIGGER event_words_report_ad AFTER DELETE ON event_articles
    WHEN NOT EXISTS (SELECT 1 FROM event_articles o WHERE o.article_id = old.article_id
                     AND o.sentence = old.sentence AND o.event_id = old.event_id)
    BEGIN
        INSERT INTO event_words(event_words, rowid, text) SELECT 'delete', (old.event_id << 32) | s.id, s.text
        FROM sentences s WHERE s.article_id = old.article_id AND s.idx = old.sentence;
    END;
    CREATE TRIGGER event_words_sentence_ai AFTER INSERT ON sentences BEGIN
        INSERT INTO event_words(rowid, text) SELECT DISTINCT (ea.event_id << 32) | new.id, new.text
        FROM event_articles ea WHERE ea.article_id = new.article_id AND ea.sentence = new.idx;
    END;
    CREATE TRIGGER event_words_sentence_ad AFTER DELETE ON sentences BEGIN
        INSERT INTO event_words(event_words, rowid, text) SELECT DISTINCT 'delete', (ea.event_id << 32) | old.id, old.text
        FROM event_articles ea WHERE ea.article_id = old.article_id AND ea.sentence = old.idx;
    END;
    """,
    # 20: every reload starts by reading each article's file record (corpus_files); the columns sit
    # after the body, so reading them from the table walked every body's pages (0.25 to 0.6 s at
    # 100,000 articles). In an index of their own it is a scan of a few megabytes (0.08 s).
    """
    CREATE INDEX articles_file_record ON articles(id, content_hash, file_size, file_mtime_ns);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
