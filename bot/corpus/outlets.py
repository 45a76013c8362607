"""One name for each outlet, whatever each of its articles says.

Articles of one outlet name it differently or not at all: a page's metadata gives
"Kyodo News" on one page and nothing on the next; front matter says "Kyodo" here
and "Kyodo News" there. The rule, applied to the whole corpus at every ingest (on
its groups of one host and one given name, counted: a few hundred, whatever the size):

1. An article belongs to the outlet of its host's registrable domain (from its
   front-matter `url`/`canonical_url` or the page's own address); without a host,
   to the outlet its given name stands for, compared without case, a leading
   "The", punctuation and generic endings ("News", "Agency", ".com" ...).
2. An outlet without a host whose name is given by the articles of exactly one
   host joins that host ("Kyodo" in front matter, "Kyodo News" on kyodonews.net).
3. Every article of an outlet shows the name most of its articles give (on a tie
   the longer); an outlet none of whose articles names it shows its domain.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import urlsplit

from tld import get_fld

# Endings that say "an outlet", not which one.
_GENERIC_ENDINGS = frozenset("news agency newswire online com net org co uk inc ltd".split())
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def registrable_domain(url: str | None) -> str | None:
    """'https://www.kyodonews.net/news/1' -> 'kyodonews.net'; a bare host (127.0.0.1) as it is."""
    if not isinstance(url, str) or not url.strip():
        return None
    found = get_fld(url.strip(), fail_silently=True)
    if found:
        return found
    try:
        return urlsplit(url.strip()).hostname
    except ValueError:
        return None


@lru_cache(maxsize=1 << 14)  # a corpus has a few hundred outlet names, given 100,000 times
def name_key(name: str) -> str:
    """'The Kyodo News' -> 'kyodo'; 'Breitbart.com' -> 'breitbart'."""
    words = [w for w in _NOT_WORD.split(name.lower()) if w]
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _GENERIC_ENDINGS:
        words = words[:-1]
    return " ".join(words)


def outlet_names(articles: Iterable[tuple[str, str | None, str | None]]) -> dict[str, str | None]:
    """(id, host, name the article gives) of every article -> the name each article shows."""
    rows = list(articles)
    shown = outlet_names_by_group(Counter((host, given) for _, host, given in rows))
    return {article_id: shown[(host, given)] for article_id, host, given in rows if (host, given) in shown}


def outlet_names_by_group(counts: Mapping[tuple[str | None, str | None], int]) -> dict[tuple, str | None]:
    """(host, name given) -> how many articles have it, for the whole corpus -> the name those articles show.

    Articles with the same host and given name always show the same name, so the rule can run on
    these few hundred groups instead of on every article. A pair that is missing from the result
    belongs to no outlet (no host, no usable name): its articles show the name they give.
    """
    groups: dict[str, list[tuple[tuple, str | None, int]]] = defaultdict(list)
    for (host, raw), count in counts.items():
        given = raw.strip() if raw and raw.strip() else None
        if host:
            key = f"host:{host}"
        elif given and name_key(given):
            key = f"name:{name_key(given)}"
        else:
            continue
        groups[key].append(((host, raw), given, count))
    _join_hostless_names(groups)
    shown: dict[tuple, str | None] = {}
    for key, members in groups.items():
        names: Counter[str] = Counter()
        for _, given, count in members:
            if given:
                names[given] += count
        if names:
            name = max(names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
        else:
            name = key.removeprefix("host:")
        for pair, _, _ in members:
            shown[pair] = name
    return shown


def _join_hostless_names(groups: dict[str, list[tuple[tuple, str | None, int]]]) -> None:
    hosts_by_name: dict[str, set[str]] = defaultdict(set)
    for key, members in groups.items():
        if key.startswith("host:"):
            for _, given, _ in members:
                if given:
                    hosts_by_name[name_key(given)].add(key)
    for key in [k for k in groups if k.startswith("name:")]:
        hosts = hosts_by_name.get(key.removeprefix("name:"), set())
        if len(hosts) == 1:
            groups[next(iter(hosts))].extend(groups.pop(key))
