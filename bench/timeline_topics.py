"""`/dates topic:` on an existing database: the bench's topic words (QueryMix: the 200 commonest
words of titles) and every pair of its first 40, as the query mix draws them.

    python bench/timeline_topics.py DB --dump OUT.json          # every topic's events, to compare
    python bench/timeline_topics.py DB --time 200 [--seed 7]    # p50/p99 of answers.timeline(topic=)
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot import answers  # noqa: E402
from bot.answers import UserError  # noqa: E402
from bot.answers.timeline import MAX_EVENTS  # noqa: E402
from bot.store import open_store  # noqa: E402
from run import QueryMix, percentile  # noqa: E402


def topics(mix: QueryMix) -> list[str]:
    return mix.words + [f"{a} {b}" for a, b in itertools.combinations(mix.words[:40], 2)]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--dump", help="write every topic's events (as the store returns them) here")
    parser.add_argument("--time", type=int, default=0, help="time this many topic timelines drawn as the mix does")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    store = await open_store(args.db)
    try:
        mix = await QueryMix.from_store(store)
        if args.dump:
            out = {}
            started = time.perf_counter()
            for topic in topics(mix):
                events = await store.events(topic=topic, limit=MAX_EVENTS + 1)
                out[topic] = [list(map(str, (e.id, e.value, e.label, e.sentence_text, e.reports, e.first_reported)))
                              for e in events]
            Path(args.dump).write_text(json.dumps(out, indent=0))
            print(f"{len(out)} topics in {time.perf_counter() - started:.1f} s")
        if args.time:
            rng = random.Random(args.seed)
            mix.rng = rng
            times = []
            for _ in range(args.time):
                topic = mix.topic()
                started = time.perf_counter()
                try:
                    await answers.timeline(store, topic=topic)
                except UserError:
                    pass
                times.append((time.perf_counter() - started) * 1000)
            print(f"timeline topic: n={len(times)} p50 {statistics.median(times):.2f} ms "
                  f"p99 {percentile(times, 99):.2f} ms max {max(times):.2f} ms")
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())
