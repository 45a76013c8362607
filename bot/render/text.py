"""Pages as console text: what the Discord reply would show, without the Markdown."""
from __future__ import annotations

from .markdown import to_plain
from .pages import Page


def page_to_text(page: Page) -> str:
    lines = [to_plain(page.title), "=" * min(len(page.title), 72)]
    if page.description:
        lines.append(to_plain(page.description))
    for f in page.fields:
        lines.append(f"{to_plain(f.name)}: {to_plain(f.value)}")
    if page.footer:
        lines.append(f"[{to_plain(page.footer)}]")
    return "\n".join(lines)


def pages_to_text(pages: list[Page]) -> str:
    return "\n\n".join(page_to_text(p) for p in pages)
