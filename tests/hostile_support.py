"""Shared by the hostile-input, crash and fault tests: hypothesis profiles and a consistency check.

Profiles: `HOSTILE_PROFILE=thorough pytest tests/test_hostile_*.py` runs many more examples;
the default keeps the whole suite fast.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("fast", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def profile(scale: float = 1.0) -> settings:
    """The chosen profile, with `scale` times its examples (for the slower properties)."""
    base = settings.get_profile(os.environ.get("HOSTILE_PROFILE", "fast"))
    return settings(base, max_examples=max(1, int(base.max_examples * scale)))


def consistency_problems(db_path: Path) -> list[str]:
    """Everything wrong with a stored corpus; [] when it is whole and consistent.

    Checks what a half-written article would break: SQLite's own integrity, the FTS
    index against its content table, foreign keys, and for every article its
    sentences (numbered 0..n-1, rebuilding its body), summary, quotes and dates.
    """
    conn = sqlite3.connect(db_path)
    try:
        return _problems(conn)
    finally:
        conn.close()


def _problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    try:
        conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES('integrity-check')")
    except sqlite3.DatabaseError as exc:
        problems.append(f"fts integrity-check: {exc}")
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    if orphans:
        problems.append(f"foreign keys: {len(orphans)} orphan rows, e.g. {tuple(orphans[0])}")
    sentences: dict[str, list[tuple[int, int, str]]] = {}
    for article_id, idx, paragraph, text in conn.execute(
            "SELECT article_id, idx, paragraph, text FROM sentences ORDER BY article_id, idx"):
        sentences.setdefault(article_id, []).append((idx, paragraph, text))
    for article_id, body, summary in conn.execute("SELECT id, body, summary FROM articles"):
        rows = sentences.get(article_id, [])
        if not rows:
            problems.append(f"{article_id}: stored without sentences")
            continue
        if [r[0] for r in rows] != list(range(len(rows))):
            problems.append(f"{article_id}: sentence numbers are not 0..{len(rows) - 1}")
        if _body_of(rows) != body:
            problems.append(f"{article_id}: body does not match its sentences")
        if any(not 0 <= i < len(rows) for i in json.loads(summary)):
            problems.append(f"{article_id}: summary points outside the article")
    for table in ("quotes", "dates"):
        (bad,) = conn.execute(
            f"SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS "
            "(SELECT 1 FROM sentences s WHERE s.article_id = t.article_id AND s.idx = t.sentence)").fetchone()
        if bad:
            problems.append(f"{table}: {bad} rows point at a sentence that is not stored")
    (unindexed,) = conn.execute(
        "SELECT (SELECT COUNT(*) FROM sentences) - (SELECT COUNT(*) FROM sentences_fts_docsize)").fetchone()
    if unindexed:
        problems.append(f"fts: {unindexed} sentences missing from the index")
    return problems


def _body_of(rows: list[tuple[int, int, str]]) -> str:
    paragraphs: dict[int, list[str]] = {}
    for _, paragraph, text in rows:
        paragraphs.setdefault(paragraph, []).append(text)
    return "\n\n".join(" ".join(p) for _, p in sorted(paragraphs.items()))


def corpus_snapshot(db_path: Path) -> dict:
    """What a reader would see: ids with their hashes, and the row count of every corpus table."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        hashes = dict(conn.execute("SELECT id, content_hash FROM articles").fetchall())
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "sentences", "quotes", "dates", "people", "person_names")}
    finally:
        conn.close()
    return {"hashes": hashes, "counts": counts}
