"""The PostgreSQL schema as an ordered list of migrations.

The `schema_version` table holds how many migrations a database has had (one
row). Opening a database runs the missing ones, each in its own transaction,
while holding an advisory lock, so processes starting together migrate once.
A database whose version is higher than `SCHEMA_VERSION` was written by a
newer bot and is refused. Never edit a released migration: append a new one
(the corpus tables come as later migrations when the corpus moves here too).
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
)

SCHEMA_VERSION = len(MIGRATIONS)
