"""The export contract of DESIGN.md: the whole corpus and its extraction as one JSON document."""
from __future__ import annotations

import json

from .store import Store


async def export_document(store: Store) -> dict:
    data = await store.export()
    articles = []
    for a in data.articles:
        summary = await store.sentences_of(a.id, list(a.summary))
        articles.append({
            "id": a.id, "title": a.head.title, "published": a.head.published, "captured": a.head.captured,
            "source": a.head.source, "copy_of": a.copy_of,
            "body": a.body, "summary": " ".join(s.text for s in summary),
        })
    return {
        "articles": articles,
        "people": [{"name": p.name, "aliases": list(p.aliases), "role": p.role, "kind": p.kind} for p in data.people],
        "quotes": [{"article": q.article_id, "speaker": q.speaker, "kind": q.kind, "text": q.text}
                   for q in data.quotes],
        "dates": [{"article": d.article_id, "text": d.text, "value": d.value, "sentence": d.sentence}
                  for d in data.dates],
    }


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)
