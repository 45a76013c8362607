"""Measure the copy test (bot/nlp/near_duplicates.py) on real corpora: distinct stories and edited copies.

    python bench/near_duplicates.py [FOLDER ...]   (default: the eval dev corpora and the seeds)

For every pair of distinct articles: how much of the shorter body's 5-grams the longer one holds
(containment), the size ratio, and whether the pair shares an LSH key (a candidate) or passes
`are_copies` (a false merge, unless the corpus really holds two copies). For every article of six
or more paragraphs, an edited copy (another headline and byline, its second paragraph dropped,
a paragraph of another article added, the last sentence reworded, an agency sign-off and a
copyright line appended): whether it shares a key with the original and passes `are_copies`.
"""
from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.corpus.article import article_id, parse_article_bytes  # noqa: E402
from bot.nlp.near_duplicates import are_copies, band_keys, may_be_copies, shingles, signature  # noqa: E402

DEFAULT_FOLDERS = [ROOT / "seeds"] + [ROOT.parent / "shared" / "eval" / "dev" / name / "corpus"
                                      for name in ("polnear-dev", "bbc-politics", "tbaq")]


def bodies(folder: Path) -> dict[str, list[str]]:
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".txt", ".md", ".html", ".htm"):
            continue
        try:
            article = parse_article_bytes(article_id(path), path.read_bytes(), path.name)
        except Exception:
            continue
        out[path.name] = [" ".join(p) for p in article.paragraphs]
    return out


def edited_copy(paragraphs: list[str], other: list[str]) -> str:
    kept = paragraphs[:1] + paragraphs[2:]
    kept.insert(len(kept) // 2, other[0])
    last = kept[-1].split()
    kept[-1] = " ".join(last[:-3] + ["officials", "said", "on", "Friday."])
    return "\n\n".join(["Copy desk headline, rewritten by the outlet", "By Staff Writer, Wire Agency"] + kept
                       + ["(Reporting by A. Writer; Editing by B. Editor)",
                          "Copyright 2020 Wire Agency. All rights reserved. This material may not be published."])


def containment(a: frozenset[int], b: frozenset[int]) -> tuple[float, float]:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not small:
        return 0.0, 0.0
    return len(small & large) / len(small), len(small) / len(large)


def measure(folder: Path) -> None:
    texts = bodies(folder)
    names = sorted(texts)
    sets = {n: shingles("\n\n".join(texts[n])) for n in names}
    signatures = {n: signature(sets[n]) for n in names}
    keys = {n: set(band_keys(signatures[n])) for n in names}
    pairs = candidates = merged = found_by_index = 0
    top: list[tuple[float, float, str, str]] = []
    for a, b in combinations(names, 2):
        pairs += 1
        candidates += bool(keys[a] & keys[b])
        if are_copies(sets[a], sets[b]):
            merged += 1
            found_by_index += bool(keys[a] & keys[b]) and \
                may_be_copies(signatures[a], len(sets[a]), signatures[b], len(sets[b]))
        c, ratio = containment(sets[a], sets[b])
        top.append((c, ratio, a, b))
    top.sort(reverse=True)
    print(f"{folder}: {len(names)} articles, {pairs} distinct pairs, {candidates} share an LSH key, "
          f"{merged} pass are_copies, {found_by_index} of them found through the keys and the estimate")
    for c, ratio, a, b in top[:3]:
        print(f"  closest: containment {c:.3f} size ratio {ratio:.2f}  {a} ~ {b}")
    long_ones = [n for n in names if len(texts[n]) >= 6]
    found = keyed = 0
    worst = 1.0
    for i, n in enumerate(long_ones):
        copy = shingles(edited_copy(texts[n], texts[long_ones[i - 1]]))
        keyed += bool(set(band_keys(signature(copy))) & keys[n]) and \
            may_be_copies(signature(copy), len(copy), signatures[n], len(sets[n]))
        found += are_copies(copy, sets[n])
        worst = min(worst, containment(copy, sets[n])[0])
    if long_ones:
        print(f"  edited copies: {len(long_ones)}, {keyed} share an LSH key with the original and pass the estimate, {found} pass "
              f"are_copies; lowest containment {worst:.3f}")


def main(argv: list[str]) -> None:
    for folder in [Path(a) for a in argv] or DEFAULT_FOLDERS:
        measure(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
