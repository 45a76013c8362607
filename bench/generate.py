"""Scale a corpus folder to N articles with realistic variety, deterministically.

    python bench/generate.py --articles 10000 [--source seeds] [--out bench/out/corpus-10000] [--seed 1]

Every generated article is a recombination of the source articles:

- runs of consecutive prose paragraphs from two to four source articles (a run
  keeps a quote next to the sentence that names its speaker);
- the people the project's own extraction finds in the source are renamed, one
  consistent generated name per person and article, drawn from a pool whose
  size grows with N and whose use is skewed (a few people are quoted a lot, as
  in a real archive);
- recent years (1990-2030) shift with the article's own publication date;
  historical years stay as they are;
- about half the articles carry YAML front matter (title, published, source),
  the rest are raw page captures: the source's own page furniture around the
  text, with its capture stamp re-dated;
- a title made from one of the article's own sentences;
- ordinary words reworded per article: a lower-case word of four letters or more that no
  rule of the project names (the words of `bot/nlp` and `bot/corpus`, so cue verbs, roles
  and date words stay) becomes an invented word, the same one throughout the article. Without
  it, articles recombined from a handful of sources share whole paragraphs and are copies of
  each other by the project's own test (bot/nlp/near_duplicates.py): at 2,000 articles from
  the seeds, every article was one story with 64 others on average.

Same source, N, seed and GENERATOR_VERSION: byte-for-byte the same files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.corpus.article import parse_article_bytes  # noqa: E402
from bot.corpus.frontmatter import split_front_matter  # noqa: E402
from bot.corpus.reader import decode_article_bytes  # noqa: E402

SOURCE_DEFAULT = ROOT / "seeds"
OUT_DEFAULT = ROOT / "bench" / "out"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_STAMP_DATE = re.compile(r"(\d{1,2}) ?(" + "|".join(MONTHS) + r") (\d{4})\s*$")
_RECENT_YEAR = re.compile(r"(?<![\d-])(199\d|20[0-2]\d|2030)(?![\d-])")
_SENTENCE_END = re.compile(r"[.!?\"\u201d\u2019)]$")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f'\u2019-]+")

SYLLABLES = ("ka", "ri", "to", "me", "sa", "lo", "vi", "na", "de", "mo", "ra", "ki", "ze", "pe", "lu", "ta", "ni",
             "go", "be", "shi", "an", "el", "or", "in", "ul", "har", "ven", "dor", "mir", "sel", "tan", "bor")
SURNAME_ENDINGS = ("", "", "", "ov", "ova", "son", "moto", "ski", "er", "ani", "ez", "berg", "ko", "ishi")
SOURCES = ("Harbour Wire", "North Pacific Times", "Eastern Ledger", "Island Report", "Capital Gazette",
           "Strait Observer", "Morning Dispatch", "Policy Review")
GENERATOR_VERSION = 3
FRONT_MATTER_SHARE = 0.5
MIN_RUN, MAX_RUN = 2, 4


@dataclass(frozen=True)
class SourceArticle:
    name: str
    header: tuple[str, ...]  # blocks before the first prose paragraph (page furniture, stamp)
    prose: tuple[str, ...]  # prose paragraphs, in order
    footer: tuple[str, ...]  # blocks after the last prose paragraph
    year: int  # the year the article was published (or captured), for shifting recent years
    raw: bool  # a page capture, not a front-matter file


@dataclass(frozen=True)
class SourcePerson:
    full: tuple[str, ...]  # spellings with first name(s), longest first
    surname: str


def _blocks(text: str) -> list[str]:
    blocks, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _is_prose(block: str) -> bool:
    text = " ".join(block.split())
    return len(text.split()) >= 15 and bool(_SENTENCE_END.search(text))


def read_source(folder: Path) -> list[SourceArticle]:
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".txt", ".md") or path.name.startswith("."):
            continue
        text = decode_article_bytes(path.read_bytes()).text.replace("\r\n", "\n")
        front, rest = split_front_matter(text)
        blocks = _blocks(rest)
        prose_at = [i for i, b in enumerate(blocks) if _is_prose(b)]
        if not prose_at:
            continue
        first, last = prose_at[0], prose_at[-1]
        year = _year_of(front, blocks[:first])
        out.append(SourceArticle(path.stem, tuple(blocks[:first]), tuple(blocks[i] for i in prose_at),
                                 tuple(blocks[last + 1:]), year, front is None))
    if not out:
        raise SystemExit(f"{folder}: no article with prose paragraphs to recombine")
    return out


def _year_of(front, header: list[str]) -> int:
    if front is not None and front.published:
        return front.published.year
    for block in header:
        m = _STAMP_DATE.search(block.split("\n")[0])
        if m:
            return int(m[3])
    return 2020


def find_people(folder: Path) -> list[SourcePerson]:
    """The people the project's own extraction finds in the source, with every spelling."""
    from bot.nlp import Doc
    from bot.nlp.quotes import extract_quotes

    people: dict[str, set[str]] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".txt", ".md") or path.name.startswith("."):
            continue
        article = parse_article_bytes(path.stem, path.read_bytes())
        found, _ = extract_quotes(Doc(paragraphs=article.paragraphs, title=article.title, anchor=article.anchor))
        for person in found:
            words = person.name.split()
            if len(words) < 2:
                continue
            surname = words[-1]
            # Only "First Last" spellings: a longer one starts with a title ("Prime Minister"), which stays.
            spellings = {s for s in (person.name, *person.aliases) if len(s.split()) == 2 and s.endswith(surname)}
            spellings = spellings or {" ".join(words[-2:])}
            people.setdefault(surname, set()).update(spellings)
    return [SourcePerson(tuple(sorted(full, key=len, reverse=True)), surname)
            for surname, full in sorted(people.items())]


class NamePool:
    """Generated first and last names; person k is the same name in every article."""

    def __init__(self, size: int, seed: int):
        rng = random.Random(f"names-{seed}")
        self.names: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        while len(self.names) < size:
            first = _word(rng, rng.randint(2, 3), "")
            last = _word(rng, rng.randint(2, 3), rng.choice(SURNAME_ENDINGS))
            if (first, last) not in seen and first != last:
                seen.add((first, last))
                self.names.append((first, last))

    def draw(self, rng: random.Random) -> tuple[str, str]:
        # Skewed: a few people turn up in many articles, most in a handful.
        return self.names[int(len(self.names) * rng.random() ** 3)]


def _word(rng: random.Random, syllables: int, ending: str) -> str:
    return ("".join(rng.choice(SYLLABLES) for _ in range(syllables)) + ending).capitalize()


_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")


def rule_words() -> frozenset[str]:
    """Every lower-case word the project's cleaning and extraction code spells out."""
    words: set[str] = set()
    for folder in ("nlp", "corpus"):
        for path in (ROOT / "bot" / folder).glob("*.py"):
            words.update(re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()))
    return frozenset(words)


def reword(text: str, keep: frozenset[str], article_key: str) -> str:
    """Each ordinary word not in `keep` as an invented word of about its length, fixed per article."""
    def replace(match: re.Match) -> str:
        word = match.group(0)
        if word in keep:
            return word
        rng = random.Random(f"{article_key}-{word}")
        return _word(rng, max(2, len(word) // 3), "").lower()

    return _LOWER_WORD.sub(replace, text)


class Renamer:
    """Every spelling of every source person in one regex, compiled once for the whole corpus.

    (One regex per person and article would recompile all of them for every article
    once a source has more people than re's cache holds.) Full spellings win over
    bare surnames, longest first, so "Vladimir X" and "X" of one article agree.
    """

    def __init__(self, people: list[SourcePerson]):
        self.people = people
        full = [(s, i) for i, p in enumerate(people) for s in p.full]
        self.full_order = sorted(full, key=lambda pair: len(re.escape(pair[0])), reverse=True)
        self.lookup: dict[str, tuple[bool, int]] = {}
        for spelling, i in self.full_order:
            self.lookup.setdefault(spelling, (True, i))
        for i, person in enumerate(people):
            self.lookup.setdefault(person.surname, (False, i))
        alternatives = sorted(self.lookup, key=len, reverse=True)
        self.pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b") if alternatives else None

    def draw(self, pool: NamePool, rng: random.Random) -> list[tuple[str, str]]:
        """One generated (first, last) name per source person, all different within the article."""
        names: list[tuple[str, str]] = []
        used: set[tuple[str, str]] = set()
        for _ in self.people:
            name = pool.draw(rng)
            while name in used:
                name = pool.draw(rng)
            used.add(name)
            names.append(name)
        return names

    def surnames(self, names: list[tuple[str, str]]) -> list[str]:
        return [names[i][1] for _, i in self.full_order] + [last for _, last in names]

    def rename(self, text: str, names: list[tuple[str, str]]) -> str:
        if self.pattern is None:
            return text

        def replace(match: re.Match) -> str:
            full, i = self.lookup[match.group(0)]
            return f"{names[i][0]} {names[i][1]}" if full else names[i][1]

        return self.pattern.sub(replace, text)


def _shift_years(text: str, offset: int) -> str:
    if not offset:
        return text
    return _RECENT_YEAR.sub(lambda m: str(int(m[1]) + offset), text)


def _title_from(paragraphs: list[str], mapping_names: list[str], rng: random.Random) -> str:
    """A headline-like run of words from one of the article's sentences, now and then led by a name."""
    sentences = [s.strip() for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", " ".join(p.split()))]
    words = rng.choice([s for s in sentences if len(s.split()) >= 6] or sentences).split()
    length = rng.randint(5, 11)
    start = rng.randrange(max(1, len(words) - length + 1))
    title = " ".join(words[start:start + length]).strip(".,;:!?\"\u201c\u201d\u2019'()")
    title = title.replace('"', "").replace("\u201c", "").replace("\u201d", "")
    title = title[:1].upper() + title[1:]
    if mapping_names and rng.random() < 0.3:
        title = f"{rng.choice(mapping_names)}: {title}"
    return title


def _pick_runs(sources: list[SourceArticle], base: SourceArticle, rng: random.Random) -> list[str]:
    """Runs of consecutive paragraphs: the base's opening run, then runs from other articles."""
    others = [a for a in sources if a is not base] or sources
    chosen = [base] + rng.sample(others, k=min(len(others), rng.randint(1, 3)))
    paragraphs: list[str] = []
    for n, article in enumerate(chosen):
        length = rng.randint(MIN_RUN, MAX_RUN) + (2 if n == 0 else 0)
        start = 0 if n == 0 else rng.randrange(max(1, len(article.prose) - length + 1))
        paragraphs.extend(article.prose[start:start + length])
    return paragraphs


def generate_one(index: int, sources: list[SourceArticle], renamer: Renamer, pool: NamePool,
                 seed: int, keep: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(file name, text) of article `index`."""
    rng = random.Random(f"article-{seed}-{index}")
    base = rng.choice(sources)
    published = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(20 * 365))
    names = renamer.draw(pool, rng)
    surnames = renamer.surnames(names)

    def rewrite(text: str, offset: int) -> str:
        return _shift_years(renamer.rename(text, names), offset)

    body = [reword(rewrite(p, published.year - base.year), keep, f"{seed}-{index}")
            for p in _pick_runs(sources, base, rng)]
    title = _title_from(body, surnames, rng)
    if rng.random() < FRONT_MATTER_SHARE:
        text = (f"---\ntitle: \"{title}\"\npublished: {published.isoformat()}\n"
                f"source: {rng.choice(SOURCES)}\n---\n\n" + "\n\n".join(body) + "\n")
    else:
        header = [_redate_stamp(b, published, rng) for b in base.header] if base.raw else []
        footer = [rewrite(b, 0) for b in base.footer] if base.raw else []
        if header and not any(_STAMP_DATE.search(b.split("\n")[0]) for b in header):
            # A page without a stamp opens with its headline (sometimes twice): the new title.
            header = [title if b == base.header[0] else b for b in header]
        text = "\n\n".join(header + body + footer) + "\n"
    digest = hashlib.sha256(f"{seed}-{index}".encode()).hexdigest()[:16]
    return f"{index:06d}_{digest}.txt", text


def _redate_stamp(block: str, day: dt.date, rng: random.Random) -> str:
    lines = block.split("\n")
    m = _STAMP_DATE.search(lines[0])
    if not m:
        return block
    stamp = f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"
    first = lines[0][:m.start()] + stamp
    first = re.sub(r"^\d{2}:\d{2}", f"{rng.randrange(24):02d}:{rng.randrange(60):02d}", first)
    return "\n".join([first] + lines[1:])


def generate(count: int, out: Path, source: Path = SOURCE_DEFAULT, seed: int = 1) -> Path:
    """Write `count` articles into `out` (replacing what was there); returns `out`."""
    sources = read_source(source)
    renamer = Renamer(find_people(source))
    keep = rule_words()
    # Each article needs a distinct name for every source person: keep the pool well above that.
    pool = NamePool(max(200, count // 25, 4 * len(renamer.people)), seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for index in range(count):
        name, text = generate_one(index, sources, renamer, pool, seed, keep)
        (out / name).write_text(text, encoding="utf-8")
    return out


def touch_fraction(folder: Path, fraction: float, seed: int = 1, keep: dict | None = None) -> list[Path]:
    """Edit `fraction` of the files in `folder` (a sentence added), as a day's corrections would.

    `keep`, when given, receives each edited file's original bytes, to put them back.
    """
    files = sorted(folder.glob("*.txt"))
    rng = random.Random(f"touch-{seed}-{len(files)}")
    chosen = rng.sample(files, k=max(1, round(len(files) * fraction)))
    for path in chosen:
        if keep is not None:
            keep[path] = path.read_bytes()
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n\nThis article was updated on revision {rng.randrange(10**6)}.\n",
                        encoding="utf-8")
    return chosen


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--source", type=Path, default=SOURCE_DEFAULT)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out = args.out or OUT_DEFAULT / f"corpus-{args.articles}"
    generate(args.articles, out, args.source, args.seed)
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"{args.articles} articles, {size / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
