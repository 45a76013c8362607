"""Corpus status for admins."""
from __future__ import annotations

from ..store import SCHEMA_VERSION, Store
from .types import StatusAnswer


async def status(store: Store, last_report: list[str] | None = None) -> StatusAnswer:
    try:
        size = sum(p.stat().st_size for p in store.path.parent.glob(store.path.name + "*"))
    except OSError:
        size = 0
    return StatusAnswer(
        counts=await store.corpus_counts(),
        last_ingest=await store.meta("last_ingest"),
        last_report=tuple(last_report or ()),
        database_bytes=size,
        schema_version=SCHEMA_VERSION,
    )
