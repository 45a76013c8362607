"""Corpus status for admins."""
from __future__ import annotations

import dataclasses

from ..store import SCHEMA_VERSION, Store
from .types import StatusAnswer


async def status(store: Store, last_report: list[str] | None = None) -> StatusAnswer:
    storage = await store.storage_info()
    return StatusAnswer(
        counts=dataclasses.asdict(await store.corpus_counts()),
        last_ingest=await store.meta("last_ingest"),
        last_report=tuple(last_report or ()),
        database_bytes=storage.size_bytes,
        schema_version=SCHEMA_VERSION,
    )
