"""Load a corpus folder into the store: incremental, off the event loop, all or nothing.

1. scan: hash every corpus file (in a thread);
2. compare with the stored hashes: new, changed, removed, unchanged;
3. prepare the new and changed files (decode, clean, extract) in worker
   processes, so the event loop never waits on CPU work;
4. write every change in one transaction. Until it commits, readers keep
   seeing the previous corpus; if anything fails, nothing is written.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path

from .corpus.article import article_id, parse_article_bytes
from .corpus.reader import MAX_FILE_BYTES, CorpusFileError
from .nlp import Doc, analyse
from .store import ArticleRows, PreparedArticle, Store, StoredFile, article_rows, utc_now
from .workers import pool_initializer

log = logging.getLogger(__name__)

CORPUS_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Below this many files to prepare, a worker process costs more than it saves.
POOL_THRESHOLD = 64
CHUNK = 32
# Chunks handed to each worker ahead of the writer: enough to keep the workers busy, few enough
# that memory holds a handful of chunks, not the corpus.
IN_FLIGHT_PER_WORKER = 4
# From this share of the corpus written in one reload, rebuilding the full-text indexes once
# (~0.06 ms per stored article) is cheaper than keeping them up to date row by row (~0.7 ms
# per written article).
BULK_SHARE = 0.1


class CorpusFolderError(Exception):
    pass


@dataclass(slots=True)
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file name, remark) for files that loaded
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for benchmarks and logs

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (f"added {len(self.added)}, updated {len(self.updated)}, removed {len(self.removed)}, "
                f"failed {len(self.failed)}, unchanged {self.unchanged} in {self.seconds:.2f} s")

    def lines(self) -> list[str]:
        out = [self.summary()]
        out += [f"  failed: {name}: {reason}" for name, reason in self.failed]
        out += [f"  note: {name}: {remark}" for name, remark in self.notes]
        return out


@dataclass(frozen=True, slots=True)
class Listing:
    """The corpus files of a folder with their size and time, before any is read."""

    files: list[tuple[str, str, int, int]]  # (id, path, size, mtime_ns): plain values, a fraction of a stat_result
    refused: list[tuple[str, str]]


def list_corpus(folder: Path) -> Listing:
    if not folder.is_dir():
        raise CorpusFolderError(f"corpus folder {folder} does not exist or is not a folder")
    # Plain values, not Path objects or DirEntry objects (which keep their stat): at 100,000 files
    # those cost half a second and 100 MB.
    seen: list[tuple[str, str, str, str | None, int, int]] = []  # (name, id, path, refusal, size, mtime_ns)
    with os.scandir(folder) as listing:
        for entry in listing:
            name = entry.name
            file_id, dot, extension = name.rpartition(".")  # file_id: the stem, as article_id() gives it
            if name.startswith(".") or not dot or f".{extension.lower()}" not in CORPUS_SUFFIXES:
                continue
            reason, stat = _refusal(entry)
            size, mtime_ns = (stat.st_size, stat.st_mtime_ns) if stat else (0, 0)
            seen.append((name, file_id, entry.path, reason, size, mtime_ns))
    seen.sort()
    files: dict[str, tuple[str, str, int, int]] = {}
    refused: list[tuple[str, str]] = []
    for name, file_id, path, reason, size, mtime_ns in seen:
        if reason is None and file_id in files:
            reason = f"same article id as {os.path.basename(files[file_id][1])}"
        if reason:
            refused.append((name, reason))
            continue
        files[file_id] = (file_id, path, size, mtime_ns)
    return Listing(list(files.values()), refused)


@dataclass(slots=True)
class ReloadPlan:
    todo: list[str]  # paths of new and changed files
    stored: set[str]  # ids the store holds now
    removed: list[str]  # ids whose file is gone
    restamped: list[tuple[str, int | None, int | None]]  # (id, size, mtime_ns): same bytes, new size/time
    refused: list[tuple[str, str]]
    unchanged: int


def _file_digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def plan_reload(listing: Listing, known: dict[str, StoredFile]) -> ReloadPlan:
    """What a reload has to do: the listed files compared with what the store holds.

    One pass; a file whose size and time match the record costs a dict lookup, others are hashed.
    """
    todo: list[str] = []
    restamped: list[tuple[str, int | None, int | None]] = []
    refused = list(listing.refused)
    present: set[str] = set()
    for file_id, path, size, mtime_ns in listing.files:
        recorded = known.get(file_id)
        if recorded is not None and (recorded.size, recorded.mtime_ns) == (size, mtime_ns):
            present.add(file_id)
            continue
        try:
            digest = _file_digest(path)
        except OSError as exc:
            refused.append((os.path.basename(path), f"cannot be read ({exc.strerror or exc})"))
            continue
        present.add(file_id)
        if recorded is None or recorded.content_hash != digest:
            todo.append(path)
        else:
            restamped.append((file_id, size, mtime_ns))
    return ReloadPlan(todo=todo, stored=set(known), removed=sorted(i for i in known if i not in present),
                      restamped=restamped, refused=refused, unchanged=len(present) - len(todo))


def _refusal(entry: os.DirEntry) -> tuple[str | None, os.stat_result | None]:
    try:
        if entry.is_symlink():
            return "symbolic links are not followed", None
        if not entry.is_file(follow_symlinks=False):
            return "not a regular file", None
        stat = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})", None
    if stat.st_size > MAX_FILE_BYTES:
        return f"too large ({stat.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,})", None
    return None, stat


def prepare_file(path: str, summary_sentences: int | None = None) -> PreparedArticle | tuple[str, str]:
    """Read, clean and analyse one file; a (file name, reason) pair when it cannot be used.

    Runs in a worker process, so it takes and returns plain picklable values.
    """
    name = Path(path).name
    try:
        with open(path, "rb") as f:
            stat = os.fstat(f.fileno())  # of the very bytes read, for the next scan's size+time check
            data = f.read()
        article = parse_article_bytes(article_id(Path(path)), data, name)
    except CorpusFileError as exc:
        return name, str(exc)
    except OSError as exc:
        return name, f"cannot be read ({exc.strerror or exc})"
    except Exception as exc:  # a bug in cleaning must not sink the whole reload either
        log.exception("cleaning failed on %s", name)
        return name, f"cleaning failed ({type(exc).__name__}: {exc})"
    doc = Doc(paragraphs=article.paragraphs, title=article.title, anchor=article.anchor)
    try:
        analysis = analyse(doc, summary_sentences)
    except Exception as exc:  # a bug in extraction must not sink the whole reload
        log.exception("extraction failed on %s", name)
        return name, f"extraction failed ({type(exc).__name__}: {exc})"
    return PreparedArticle(path=str(path), article=article, analysis=analysis, file_size=stat.st_size,
                           file_mtime_ns=stat.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class PreparedRows:
    """A prepared article as the worker hands it back: its rows, and what to tell the admin."""

    rows: ArticleRows
    file_name: str
    notes: tuple[str, ...]


def _prepare_rows(paths: list[str], summary_sentences: int | None, now: str) -> list[PreparedRows | tuple[str, str]]:
    out: list[PreparedRows | tuple[str, str]] = []
    for path in paths:
        item = prepare_file(path, summary_sentences)
        if isinstance(item, tuple):
            out.append(item)
        else:
            out.append(PreparedRows(article_rows(item, now), Path(path).name, item.article.notes))
    return out


class CorpusLoader:
    """Loads one corpus folder into one store; one reload at a time."""

    def __init__(self, store: Store, folder: Path, summary_sentences: int | None = None,
                 workers: int | None = None):
        self.store = store
        self.folder = folder
        self.summary_sentences = summary_sentences
        self.workers = workers or os.cpu_count() or 1
        self._lock = asyncio.Lock()
        self.last_report: IngestReport | None = None

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def reload(self) -> IngestReport:
        async with self._lock:
            started = time.perf_counter()
            report = IngestReport()
            # Every step that walks all files runs in a thread: at 100,000 files even a loop over them
            # would hold the event loop for tens of milliseconds. (Listing the folder while reading
            # what the store knows is slower, not faster: both want the GIL.)
            known = await self.store.corpus_files()
            plan = await asyncio.to_thread(plan_reload, await asyncio.to_thread(list_corpus, self.folder), known)
            report.failed.extend(plan.refused)
            report.removed = plan.removed
            report.unchanged = plan.unchanged
            report.timings["scan"] = time.perf_counter() - started
            if plan.todo or plan.removed:
                await self._write(plan, report)
            elif plan.restamped:
                await self.store.record_file_stats(plan.restamped)
            report.seconds = time.perf_counter() - started
            self.last_report = report
            log.info("corpus %s: %s", self.folder, report.summary())
            return report

    async def _write(self, plan: ReloadPlan, report: IngestReport) -> None:
        """Prepare `todo` in batches and write each batch as it comes, all in one transaction."""
        now = utc_now()
        started = time.perf_counter()
        # Rewriting a large share of the corpus: reindex once at the end rather than row by row.
        bulk = len(plan.todo) + len(plan.removed) >= BULK_SHARE * (len(plan.todo) + plan.unchanged)
        async with self.store.corpus_changes(now, bulk=bulk) as batch, \
                aclosing(self._prepared_chunks(plan.todo, now)) as chunks:
            await batch.remove(plan.removed)
            await batch.record_file_stats(plan.restamped)
            async for chunk in chunks:
                ready = []
                for item in chunk:
                    if isinstance(item, tuple):
                        report.failed.append(item)
                        continue
                    ready.append(item.rows)
                    (report.updated if item.rows.id in plan.stored else report.added).append(item.rows.id)
                    report.notes.extend((item.file_name, n) for n in item.notes)
                writing = time.perf_counter()
                await batch.remove([r.id for r in ready if r.id in plan.stored])
                await batch.insert(ready)
                report.timings["write"] = report.timings.get("write", 0.0) + time.perf_counter() - writing
            report.timings["prepare + write"] = time.perf_counter() - started
            started = time.perf_counter()
        report.timings["people + commit"] = time.perf_counter() - started

    async def _prepared_chunks(self, paths: list[str], now: str) -> AsyncIterator[list[PreparedRows | tuple[str, str]]]:
        """Prepared articles in file order, a chunk at a time, with only a few chunks in flight."""
        chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
        if len(paths) < POOL_THRESHOLD or self.workers == 1:
            for chunk in chunks:
                yield await asyncio.to_thread(_prepare_rows, chunk, self.summary_sentences, now)
            return
        loop = asyncio.get_running_loop()
        # Each worker exits when this process dies, even by SIGKILL (see bot/workers.py).
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=pool_initializer,
                                   initargs=(os.getpid(),))
        try:
            pending: deque[asyncio.Future] = deque()
            upcoming = iter(chunks)
            for chunk in upcoming:
                pending.append(loop.run_in_executor(pool, _prepare_rows, chunk, self.summary_sentences, now))
                if len(pending) >= IN_FLIGHT_PER_WORKER * self.workers:
                    break
            while pending:
                result = await pending.popleft()
                following = next(upcoming, None)
                if following is not None:
                    pending.append(loop.run_in_executor(pool, _prepare_rows, following, self.summary_sentences, now))
                yield result
        finally:
            # Never wait here for workers: a failed reload must not block the event loop.
            pool.shutdown(wait=False, cancel_futures=True)
