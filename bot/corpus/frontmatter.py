"""YAML front matter: an optional `---` block at the top of a corpus file."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..clip import clip
from .reader import CorpusFileError

FENCE = "---"


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str | None = None
    published: dt.date | dt.datetime | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys: kept, ignored


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """Return (front matter or None, the rest of the text)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return None, text
    for i in range(1, len(lines)):
        if lines[i].strip() in (FENCE, "..."):
            block = "\n".join(lines[1:i])
            return _parse_block(block, first_line=2), "\n".join(lines[i + 1:])
    raise CorpusFileError("broken front matter: the opening '---' has no closing '---'")


def _parse_block(block: str, first_line: int) -> FrontMatter:
    try:
        raw = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + first_line}" if mark else ""
        raise CorpusFileError(f"broken front matter{at}: {getattr(exc, 'problem', None) or exc}") from None
    # PyYAML's value constructors fail outside YAMLError (2020-02-30, `!!float abc`, an empty
    # `!!timestamp`, 5,000-digit numbers, nesting deeper than the recursion limit). safe_load runs
    # no code of the file's, so any failure here means the block is broken.
    except Exception as exc:  # noqa: BLE001
        raise CorpusFileError(f"broken front matter: {_first_line(str(exc))}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise CorpusFileError("broken front matter: expected 'key: value' lines")
    extra = {str(k): v for k, v in raw.items() if k not in ("title", "published", "source")}
    return FrontMatter(
        title=_text_or_none(raw.get("title"), "title"),
        published=_published(raw.get("published")),
        source=_text_or_none(raw.get("source"), "source"),
        extra=extra,
    )


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().split("\n", 1)[0]
    return clip(line, limit)


def _text_or_none(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise CorpusFileError(f"broken front matter: '{key}' must be text")
    text = " ".join(str(value).split())
    return text or None


def _published(value: Any) -> dt.date | dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value).strip()
    for parse in (dt.datetime.fromisoformat, dt.date.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    raise CorpusFileError(f"broken front matter: 'published' is not an ISO date: {text!r}")
