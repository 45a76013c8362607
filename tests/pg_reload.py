"""Reload a corpus folder into a PostgreSQL database, as a process of its own: `python -m tests.pg_reload DSN FOLDER`.

The crash-safety tests kill it in the middle of its reload.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.ingest import CorpusLoader
from bot.store.postgres.corpus_writes import PostgresCorpusWrites


async def main(dsn: str, folder: Path) -> None:
    store = await PostgresCorpusWrites.open(dsn)
    try:
        report = await CorpusLoader(store, folder, workers=1).reload()
        print(report.summary())
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
