"""Discord-flavoured Markdown: escape corpus text, and strip our markup for plain text."""
from __future__ import annotations

import re

_LINE_START = re.compile(r"^(\s*)(>|#{1,3}\s|-\s|\d+\.\s)", re.MULTILINE)
_OUR_BOLD = re.compile(r"(?<!\\)\*\*")
_OUR_ITALIC = re.compile(r"(?<![\\*])\*(?!\*)")
_ESCAPED = re.compile(r"\\([\\*_`~|>#\[\]()-])")


def escape(text: str) -> str:
    """Corpus text shown literally: no bold, links, code, spoilers or quotes by accident."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`~|\[\]])", r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def bold(text: str) -> str:
    return f"**{text}**"


def italic(text: str) -> str:
    return f"*{text}*"


def to_plain(markdown: str) -> str:
    """Our Markdown as terminal text: markup removed, escapes undone."""
    text = _OUR_BOLD.sub("", markdown)
    text = _OUR_ITALIC.sub("", text)
    return _ESCAPED.sub(r"\1", text)
