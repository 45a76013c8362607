"""People across the corpus: one entry per person, whatever the spelling.

Articles are analysed one at a time, so the same expert can come out as
"Valeriy Kistanov" in one article and "Valery Kistanov" in another.
`merge_people` folds such entries together in near-linear time: entries are
bucketed by a normalised surname key, and inside a bucket first names are
compared through a transliteration-insensitive key (y/i/iy/ii endings,
ks/x, kh/h, doubled letters, a leading ye/e).
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .names import HONORIFICS
from .nicknames import NICKNAMES
from .types import Person

# Generational suffixes are not surnames ("Martin Luther King Jr." files under "king"), but they
# tell people apart: "Donald Trump Jr." is not "Donald Trump".
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_PARTICLES = frozenset({"de", "da", "van", "von", "der", "den", "del", "di", "du", "la", "le", "al", "el", "bin",
                        "ibn", "dos", "das", "ter", "ten"})
_GIVEN_NAME_PARTICLES = frozenset({"al", "el", "van"})  # also first names: Al Gore, Van Jones
# Honorifics and abbreviated titles are never part of a name: "Ms. Lane", "Sen. Hale".
_HONORIFICS = HONORIFICS | frozenset(
    "prof sen rep gov gen lt col sgt capt adm rev maj cmdr hon pres supt insp amb sec".split())

_TRANSLIT_RULES = (
    (re.compile(r"ks"), "x"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Valerii -> Valeri, Philipp -> Philip
    (re.compile(r"^ie"), "e"),  # Yevgeny / Evgeny, Yelena / Elena
    (re.compile(r"(?<=[^aeiou])r$"), "er"),  # Aleksandr / Alexander
)
_NOT_LETTERS = re.compile(r"[^a-z]")


def fold(word: str) -> str:
    """Lower-case ASCII letters only: 'Matviyenko’s' -> 'matviyenkos'."""
    decomposed = unicodedata.normalize("NFKD", word)
    return _NOT_LETTERS.sub("", decomposed.encode("ascii", "ignore").decode().lower())


@lru_cache(maxsize=1 << 18)
def name_key(word: str) -> str:
    """A spelling-insensitive key for one name word (transliteration variants collide)."""
    key = fold(word)
    for pattern, repl in _TRANSLIT_RULES:
        key = pattern.sub(repl, key)
    return key


def name_words(name: str) -> tuple[str, ...]:
    """The words of a personal name without honorifics and generational suffixes."""
    words = name.replace(",", " ").split()
    while words and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    # A particle belongs to the surname: "Bill de Blasio" -> Bill | de Blasio; "De Blasio" is a bare surname.
    joined: list[str] = []
    for word in words:
        previous = joined[-1].split()[-1] if joined else ""
        if previous.lower() in _PARTICLES and (previous.islower() or (
                len(joined) == 1 and previous.lower() not in _GIVEN_NAME_PARTICLES)):
            joined[-1] = f"{joined[-1]} {word}"
        else:
            joined.append(word)
    words = joined
    while len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    return tuple(words)


def without_honorifics(name: str) -> str:
    """The name as written, less the honorifics before it: 'Ms. Jane Lane' -> 'Jane Lane'."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def name_suffix(name: str) -> str:
    """The generational suffix of a name, lower-case without its dot: 'jr', 'iii' or ''."""
    words = name.replace(",", " ").split()
    if len(words) > 1 and words[-1].lower() in _SUFFIXES:
        return words[-1].lower().rstrip(".")
    return ""


def _short_form_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for full, shorts in NICKNAMES.items():
        for short in shorts:
            table[name_key(short)].add(name_key(full))
    return {short: frozenset(fulls) for short, fulls in table.items()}


_FULL_FORMS = _short_form_table()  # short-form key -> keys of the full names it stands for


def full_forms(first_key: str) -> frozenset[str]:
    """Keys of the full first names a short form stands for ('joe' -> {'joseph'})."""
    return _FULL_FORMS.get(first_key, frozenset())


def surname_key(name: str) -> str:
    words = name_words(name)
    return name_key(words[-1]) if words else ""


def first_name_key(name: str) -> str:
    """Key of the first name, '' when the name is a bare surname."""
    words = name_words(name)
    return name_key(words[0]) if len(words) > 1 else ""


def first_names_compatible(a: str, b: str) -> bool:
    """Keys from `first_name_key`: equal, one is the initial of the other, or one is a short
    form of the other ("Joe" and "Joseph")."""
    if not a or not b:
        return True
    if a == b:
        return True
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return b in full_forms(a) or a in full_forms(b)


def _best_role(roles: dict[str, int]) -> str | None:
    if not roles:
        return None
    # The most often given role; among equals the longer one says more.
    return max(roles.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


class _Cluster:
    """People of one surname bucket believed to be one person."""

    __slots__ = ("first_key", "suffix", "names", "forms", "roles", "kinds", "members")

    def __init__(self, first_key: str, suffix: str) -> None:
        self.first_key = first_key
        self.suffix = suffix
        self.names: dict[str, int] = {}  # full names (first + last) as written
        self.forms: dict[str, int] = {}  # every form seen: names and aliases
        self.roles: dict[str, int] = {}
        self.kinds: dict[str, int] = {}  # person / organisation / group, as each article judged it
        self.members: list[str] = []  # input Person.name values

    def add(self, person: Person, full: bool) -> None:
        name = without_honorifics(person.name)
        if full:
            _count(self.names, name)
        _count(self.forms, name)
        for alias in person.aliases:
            _count(self.forms, without_honorifics(alias))
        if person.role:
            _count(self.roles, person.role)
        _count(self.kinds, person.kind)
        self.members.append(person.name)

    def absorb(self, other: "_Cluster") -> None:
        for mine, theirs in ((self.names, other.names), (self.forms, other.forms), (self.roles, other.roles),
                             (self.kinds, other.kinds)):
            for key, n in theirs.items():
                _count(mine, key, n)
        self.members.extend(other.members)

    def weight(self) -> int:
        return len(self.members)

    def to_person(self) -> Person:
        pool = self.names or self.forms
        # Most common full form; among equals the longest ("Donald J. Trump" over "Donald Trump").
        canonical = max(pool.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
        aliases = sorted((f for f in self.forms if f != canonical), key=lambda f: (-self.forms[f], f))
        return Person(name=canonical, aliases=tuple(aliases), role=_best_role(self.roles), kind=_kind(self.kinds))


def _kind(kinds: dict[str, int]) -> str:
    """What most articles took the source for; a tie is a person (the safer listing)."""
    if not kinds:
        return "person"
    return max(kinds.items(), key=lambda kv: (kv[1], kv[0] == "person"))[0]


def _count(counts: dict[str, int], key: str, n: int = 1) -> None:
    counts[key] = counts.get(key, 0) + n


def _cluster_bucket(people: list[Person], keys: dict[str, tuple[str, str, str]]) -> list[_Cluster]:
    """Split one surname bucket into people by first-name key and suffix (linear: a dict per
    bucket); short forms, initials and bare surnames then join a compatible person.
    `keys`: each name's (surname key, first-name key, suffix)."""
    by_first: dict[tuple[str, str], _Cluster] = {}
    initials: list[tuple[Person, str, str]] = []
    bare: list[tuple[Person, str]] = []
    for person in people:
        _, key, suffix = keys[person.name]
        if not key:
            bare.append((person, suffix))
        elif len(key) == 1:
            initials.append((person, key, suffix))
        else:
            cluster = by_first.get((key, suffix))
            if cluster is None:
                cluster = by_first[(key, suffix)] = _Cluster(key, suffix)
            cluster.add(person, True)
    _join_short_forms(by_first)
    clusters = list(by_first.values())
    for person, key, suffix in initials:
        matching = _same_suffix([c for c in clusters if c.first_key.startswith(key)], suffix)
        clusters.append(_add_to_best(matching, person, key, suffix, True))
    for person, suffix in bare:
        # A bare surname goes to the best-known person of that surname (and suffix).
        clusters.append(_add_to_best(_same_suffix(clusters, suffix), person, "", suffix, False))
    return list({id(c): c for c in clusters}.values())


def _add_to_best(candidates: list[_Cluster], person: Person, key: str, suffix: str, full: bool) -> _Cluster:
    target = max(candidates, key=_Cluster.weight) if candidates else _Cluster(key, suffix)
    target.add(person, full)
    return target


def _same_suffix(clusters: list[_Cluster], suffix: str) -> list[_Cluster]:
    """People a name with this suffix may be: the same suffix; a name without one may also be
    a person known only with a suffix ("Joe Biden" and "Joseph R. Biden Jr.")."""
    same = [c for c in clusters if c.suffix == suffix]
    if same or suffix:
        return same
    return clusters


def _join_short_forms(by_first: dict[tuple[str, str], _Cluster]) -> None:
    """"Joe X" joins "Joseph X" when exactly one full form of that short form is known."""
    for (key, suffix), cluster in list(by_first.items()):
        fulls = full_forms(key)
        if not fulls:
            continue
        targets = [c for (k, _), c in by_first.items() if k in fulls and c is not cluster]
        targets = _same_suffix(targets, suffix)
        if len(targets) == 1:
            targets[0].absorb(cluster)
            del by_first[(key, suffix)]


def merge_people(people: Iterable[Person]) -> dict[str, Person]:
    """Map every input Person.name to one canonical Person for the whole corpus."""
    # A bucket holds the people themselves (most are one shared object repeated): their keys are in `keys`.
    buckets: dict[str, list[Person]] = defaultdict(list)
    merged: dict[str, Person] = {}
    # A corpus repeats a few thousand names hundreds of thousands of times: split each name once.
    keys: dict[str, tuple[str, str, str] | None] = {}
    for person in people:
        if person.name not in keys:
            keys[person.name] = _bucket_keys(person.name)
        found = keys[person.name]
        if found is None:
            merged.setdefault(person.name, person)  # nothing to compare: keep as given
            continue
        buckets[found[0]].append(person)
    clusters: list[_Cluster] = []
    for bucket in buckets.values():
        clusters.extend(_cluster_bucket(bucket, keys))
    clusters = _attach_orphans(clusters)
    for cluster in clusters:
        person = cluster.to_person()
        for member in cluster.members:
            merged.setdefault(member, person)
    return merged


def _bucket_keys(name: str) -> tuple[str, str, str] | None:
    """(surname key, first-name key or "", suffix) of a name; None for a name without words."""
    words = name_words(name)
    if not words:
        return None
    first = name_key(words[0]) if len(words) > 1 else ""
    return name_key(words[-1]), first, name_suffix(name)


def _attach_orphans(clusters: list[_Cluster]) -> list[_Cluster]:
    """A bucket holding only a bare name ("Xi") joins a full-name person who has it as an alias."""
    by_alias: dict[str, _Cluster] = {}
    for cluster in clusters:
        if cluster.names:
            for form in cluster.forms:
                if " " not in form.strip():
                    by_alias.setdefault(name_key(form), cluster)
    kept = []
    for cluster in clusters:
        if not cluster.names:
            target = by_alias.get(name_key(next(iter(cluster.forms))))
            if target is not None and target is not cluster:
                target.absorb(cluster)
                continue
        kept.append(cluster)
    return kept


def resolve_alias(name: str, people: dict[str, Person]) -> Person | None:
    """The canonical Person a name refers to, given `merge_people` output (or None)."""
    if name in people:
        return people[name]
    key = surname_key(name)
    first = first_name_key(name)
    suffix = name_suffix(name)
    for person in people.values():
        if surname_key(person.name) == key and name_suffix(person.name) == suffix \
                and first_names_compatible(first, first_name_key(person.name)):
            return person
        if any(a == name for a in person.aliases):
            return person
    return None
