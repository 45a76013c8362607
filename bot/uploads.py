"""Adding one uploaded article to the corpus folder: validated like any corpus file, written atomically."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .answers.types import UserError
from .corpus.article import ParsedArticle, article_id, parse_article_bytes
from .corpus.reader import MAX_FILE_BYTES, CorpusFileError
from .ingest import CORPUS_SUFFIXES

MAX_UPLOAD_BYTES = min(5 * 1024 * 1024, MAX_FILE_BYTES)
# One plain file name: no folders, no leading dot (hidden files are skipped by the loader).
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")


class UploadError(UserError):
    pass


def check_upload(name: str, data: bytes) -> ParsedArticle:
    """The parsed article, or UploadError saying what is wrong with the file."""
    if not _SAFE_NAME.fullmatch(name or "") or ".." in name:
        raise UploadError(f"{name!r} is not a usable file name: use letters, digits, '.', '_' or '-', "
                          f"ending in {_suffix_list('or')}.")
    if Path(name).suffix.lower() not in CORPUS_SUFFIXES:
        raise UploadError(f"{name}: only {_suffix_list('and')} files can be added to the corpus.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{name} is too large ({len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}).")
    try:
        return parse_article_bytes(article_id(Path(name)), data, name)
    except CorpusFileError as exc:
        raise UploadError(f"{name} cannot be used: {exc}.") from None


def _suffix_list(conjunction: str) -> str:
    """".txt, .md, .html and .htm" (or "... or .htm")."""
    return f"{', '.join(CORPUS_SUFFIXES[:-1])} {conjunction} {CORPUS_SUFFIXES[-1]}"


def write_corpus_file(folder: Path, name: str, data: bytes) -> bool:
    """Write `data` as folder/name via a temporary file and os.replace; True when it replaced a file."""
    target = folder / name
    stem = article_id(target)
    for other in folder.iterdir():
        if other.name != name and other.suffix.lower() in CORPUS_SUFFIXES and article_id(other) == stem:
            raise UploadError(f"{other.name} already holds article {stem}; upload it under that name to replace it.")
    replaced = target.exists()
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return replaced
