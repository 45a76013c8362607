"""Extraction on hostile sizes: none of these may grow quadratically.

    python bench/nlp_scaling.py [--runs 3]

Prints the median seconds of each case (the unit tests check only that the
results are right; speed is measured here):
- merging 100,000 person mentions (one very common surname with 20,000 first names);
- one file that is a single 1 MB line;
- two 250 KB paragraphs full of nested and unbalanced quotation marks;
- one file of 10,000 short paragraphs.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.ingest import prepare_file  # noqa: E402
from bot.nlp.people import merge_people  # noqa: E402
from bot.nlp.types import Person  # noqa: E402


def _word(n: int) -> str:
    return "".join(chr(97 + (n // 26 ** k) % 26) for k in range(4)).capitalize()


def merge_many_people() -> None:
    people = [Person(f"{_word(i % 977)} {_word(i // 3)}") for i in range(80000)]
    people += [Person(f"{_word(i)} Smith") for i in range(20000)]
    merge_people(people)


def _file_texts() -> dict[str, str]:
    words = ["the", "talks", "on", "the", "islands", "resumed", "said", "Ivan", "Petrova", "in", "May", "1956",
             '"', "\u201c", "'", "17", "minister"]
    rng = random.Random(1)
    return {
        "one_line": " ".join(rng.choice(words) for _ in range(220_000))[:1_000_000],
        "quote_heavy": ('He said "she told me \u201cthey said \'no\' to \u2018it\u2019\u201d and left" today. ' * 4000
                        + "\n\n" + '"Unbalanced start, said Petrova. ' * 4000),
        "paragraphs": "\n\n".join(f"Paragraph {i} says the talks resumed on {i % 28 + 1} May, the minister said."
                                  for i in range(10_000)),
    }


def _timed(job, runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"load average {os.getloadavg()[0]:.2f}; median of {runs} runs")
    print(f"merge 100,000 person mentions: {_timed(merge_many_people, runs):.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in _file_texts().items():
            path = Path(folder) / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            print(f"prepare {name} ({len(text.encode()) // 1000} KB): {_timed(lambda: prepare_file(str(path)), runs):.2f} s")


if __name__ == "__main__":
    main()
