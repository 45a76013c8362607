"""Feeds as Discord text: the one-line notice per new article, and /admin feeds list."""
from __future__ import annotations

from ..feeds import FeedStatus, NewArticle
from .markdown import bold, escape
from .pages import Page, paginate

NOTICE_TITLE_CHARS = 200


def notice_line(new: NewArticle) -> str:
    """`New: **Title** · 2021-03-05 · Harbour Times · <link>`: title, date, source and link on one line."""
    article = new.article
    title = (article.title or article.id)[:NOTICE_TITLE_CHARS]
    date = article.published[:10] if article.published else "date unknown"
    source = article.source or new.feed
    verb = "Updated" if new.outcome == "updated" else "New"
    # <…> keeps Discord from unfurling a preview under every notice.
    return f"{verb}: {bold(escape(title))} · {date} · {escape(source)} · <{new.link}>"


def feed_list_pages(statuses: list[FeedStatus]) -> list[Page]:
    if not statuses:
        return paginate("Feeds", ["No feeds yet: add one with /admin feeds add, or list them under feeds: "
                                  "in the configuration."])
    items = ["\n".join(escape(line) for line in status.lines()) for status in statuses]
    return paginate("Feeds", items)
