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
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .corpus.article import article_id, parse_article_bytes
from .corpus.reader import MAX_FILE_BYTES, CorpusFileError
from .nlp import Doc, analyse
from .store import PreparedArticle, Store

log = logging.getLogger(__name__)

CORPUS_SUFFIXES = (".txt", ".md")
# Below this many files to prepare, a worker process costs more than it saves.
POOL_THRESHOLD = 64
CHUNK = 32


class CorpusFolderError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class CorpusFile:
    id: str
    path: Path
    content_hash: str


@dataclass(slots=True)
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file name, remark) for files that loaded
    seconds: float = 0.0

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


def scan_corpus(folder: Path) -> tuple[list[CorpusFile], list[tuple[str, str]]]:
    """Every corpus file in `folder` with its hash, and the files refused before reading."""
    if not folder.is_dir():
        raise CorpusFolderError(f"corpus folder {folder} does not exist or is not a folder")
    files: dict[str, CorpusFile] = {}
    refused: list[tuple[str, str]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in CORPUS_SUFFIXES:
            continue
        reason = _refusal(path)
        if reason is None and article_id(path) in files:
            reason = f"same article id as {files[article_id(path)].path.name}"
        if reason:
            refused.append((path.name, reason))
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            refused.append((path.name, f"cannot be read ({exc.strerror or exc})"))
            continue
        files[article_id(path)] = CorpusFile(article_id(path), path, digest)
    return list(files.values()), refused


def _refusal(path: Path) -> str | None:
    if path.is_symlink():
        return "symbolic links are not followed"
    if not path.is_file():
        return "not a regular file"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
    return None


def prepare_file(path: str, summary_sentences: int) -> PreparedArticle | tuple[str, str]:
    """Read, clean and analyse one file; a (file name, reason) pair when it cannot be used.

    Runs in a worker process, so it takes and returns plain picklable values.
    """
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
        article = parse_article_bytes(article_id(Path(path)), data)
    except CorpusFileError as exc:
        return name, str(exc)
    except OSError as exc:
        return name, f"cannot be read ({exc.strerror or exc})"
    doc = Doc(paragraphs=article.paragraphs, title=article.title, anchor=article.anchor)
    try:
        analysis = analyse(doc, summary_sentences)
    except Exception as exc:  # a bug in extraction must not sink the whole reload
        log.exception("extraction failed on %s", name)
        return name, f"extraction failed ({type(exc).__name__}: {exc})"
    return PreparedArticle(path=str(path), article=article, analysis=analysis)


def _prepare_many(paths: list[str], summary_sentences: int) -> list[PreparedArticle | tuple[str, str]]:
    return [prepare_file(p, summary_sentences) for p in paths]


class CorpusLoader:
    """Loads one corpus folder into one store; one reload at a time."""

    def __init__(self, store: Store, folder: Path, summary_sentences: int = 3, workers: int | None = None):
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
            files, refused = await asyncio.to_thread(scan_corpus, self.folder)
            report.failed.extend(refused)
            stored = await self.store.corpus_hashes()
            todo = [f for f in files if stored.get(f.id) != f.content_hash]
            present = {f.id for f in files}
            report.removed = sorted(i for i in stored if i not in present)
            report.unchanged = len(files) - len(todo)
            prepared = await self._prepare([str(f.path) for f in todo])
            upserts = []
            for item in prepared:
                if isinstance(item, tuple):
                    report.failed.append(item)
                    continue
                upserts.append(item)
                (report.updated if item.article.id in stored else report.added).append(item.article.id)
                report.notes.extend((Path(item.path).name, n) for n in item.article.notes)
            if upserts or report.removed:
                await self.store.apply_corpus_changes(upserts, report.removed)
            report.seconds = time.perf_counter() - started
            self.last_report = report
            log.info("corpus %s: %s", self.folder, report.summary())
            return report

    async def _prepare(self, paths: list[str]) -> list[PreparedArticle | tuple[str, str]]:
        if not paths:
            return []
        loop = asyncio.get_running_loop()
        if len(paths) < POOL_THRESHOLD or self.workers == 1:
            return await asyncio.to_thread(_prepare_many, paths, self.summary_sentences)
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            return await _map_in_chunks(loop, pool, paths, self.summary_sentences)


async def _map_in_chunks(loop: asyncio.AbstractEventLoop, pool: Executor, paths: list[str],
                         summary_sentences: int) -> list[PreparedArticle | tuple[str, str]]:
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    futures = [loop.run_in_executor(pool, _prepare_many, chunk, summary_sentences) for chunk in chunks]
    results: list[PreparedArticle | tuple[str, str]] = []
    for chunk_result in await asyncio.gather(*futures):
        results.extend(chunk_result)
    return results
