"""The export contract of DESIGN.md: the whole corpus and its extraction as one JSON document."""
from __future__ import annotations

import json

from .store import Store


async def export_document(store: Store) -> dict:
    rows = await store.export_rows()
    articles = []
    for a in rows["articles"]:
        summary_idx = set(json.loads(a["summary"]))
        sentences = await store.sentences_of(a["id"])
        articles.append({
            "id": a["id"], "title": a["title"], "published": a["published"], "captured": a["captured"],
            "source": a["source"],
            "body": a["body"], "summary": " ".join(s["text"] for s in sentences if s["idx"] in summary_idx),
        })
    return {
        "articles": articles,
        "people": [{"name": p["name"], "aliases": json.loads(p["aliases"] or "[]"), "role": p["role"],
                    "kind": p["kind"]}
                   for p in rows["people"]],
        "quotes": [{"article": q["article_id"], "speaker": q["speaker"], "kind": q["kind"], "text": q["text"]}
                   for q in rows["quotes"]],
        "dates": [{"article": d["article_id"], "text": d["text"], "value": d["value"], "sentence": d["sentence"]}
                  for d in rows["dates"]],
    }


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)
