"""Speed of reading saved HTML pages: parse every .html/.htm page of a folder on one core.

    python bench/html_pages.py [--pages ../shared/eval/dev/pages-dev/html] [--runs 3]

Each run parses every page (trafilatura, htmldate, sentence splitting) in this process;
prints the median pages/s over the runs (wall clock, and per CPU second of this process,
which a machine shared with other jobs does not distort).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.corpus.article import parse_article_bytes  # noqa: E402
from bot.corpus.html_page import is_html_name  # noqa: E402
from bot.corpus.reader import CorpusFileError  # noqa: E402


def one_run(pages: list[tuple[str, bytes]]) -> tuple[float, float, int]:
    """Wall seconds and CPU seconds to parse all pages, and how many were refused."""
    refused = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for name, data in pages:
        try:
            parse_article_bytes(Path(name).stem, data, name)
        except CorpusFileError:
            refused += 1
    return time.perf_counter() - start, time.process_time() - cpu_start, refused


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=Path, default=Path("../shared/eval/dev/pages-dev/html"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    pages = [(p.name, p.read_bytes()) for p in sorted(a.pages.iterdir()) if is_html_name(p.name)]
    if not pages:
        sys.exit(f"no .html/.htm pages in {a.pages}")
    times, cpu_times = [], []
    for _ in range(a.runs):
        seconds, cpu_seconds, refused = one_run(pages)
        times.append(seconds)
        cpu_times.append(cpu_seconds)
    median, cpu_median = statistics.median(times), statistics.median(cpu_times)
    print(f"{len(pages)} pages, {refused} refused; runs: {', '.join(f'{t:.2f}s' for t in times)}")
    print(f"median {median:.2f}s = {len(pages) / median:.1f} pages/s "
          f"({len(pages) / cpu_median:.1f} pages per CPU second: the figure on a busy machine)")


if __name__ == "__main__":
    main()
