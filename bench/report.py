"""Turn bench/out/results.json into the Markdown table and the PNG plot of bench/RESULTS.md.

    python bench/report.py [--results bench/out/results.json] [--png bench/results.png]

Prints the machine line and the table (paste them into RESULTS.md) and writes the plot.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# (label, how to read it from one size's results, target or None, unit)
ROWS = (
    ("cold ingest, s", lambda r: r["cold"]["seconds"], None, "s"),
    ("cold ingest, articles/s", lambda r: r["cold"]["articles_per_s"], None, ""),
    ("cold ingest, MB/s", lambda r: r["cold"]["mb_per_s"], None, ""),
    ("reload, 1% changed, s", lambda r: r["incremental"]["seconds"], 5.0, "s"),
    ("reload, nothing changed, s", lambda r: r["incremental"]["unchanged_seconds"], None, "s"),
    ("database, MB", lambda r: r["db_mb"], None, ""),
    ("peak RSS of the bot process, MB", lambda r: r["peak_rss_mb"], 250.0, ""),
    ("longest event-loop stall in a full reload under queries, ms", lambda r: r["stall"]["max_stall_ms"], 50.0, "ms"),
    ("  of it, with no answer running (the reload's own), ms", lambda r: r["stall"]["max_stall_reload_only_ms"], None,
     "ms"),
    ("full reload under query load, s", lambda r: r["stall"]["seconds"], None, "s"),
    ("start-up to ready, s", lambda r: r["startup"]["ready_s"], 1.0, "s"),
)
LATENCY_TARGET_MS = 20.0
AUTOCOMPLETE_TARGET_MS = 10.0


def fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def get(reader, result: dict) -> float | None:
    try:
        return reader(result)
    except (KeyError, TypeError):
        return None


def table(results: dict) -> str:
    sizes = sorted(results["sizes"].values(), key=lambda r: r["articles"])
    head = "| | " + " | ".join(f"{r['articles']:,}" for r in sizes) + " | target |"
    lines = [head, "|" + "---|" * (len(sizes) + 2)]
    for label, reader, target, _ in ROWS:
        cells = [fmt(get(reader, r)) for r in sizes]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {'≤ ' + fmt(target) if target else ''} |")
    kinds = list(sizes[-1].get("latency_ms", {}))
    for kind in kinds:
        target = AUTOCOMPLETE_TARGET_MS if kind.startswith("autocomplete") else LATENCY_TARGET_MS
        cells = []
        for r in sizes:
            lat = r.get("latency_ms", {}).get(kind)
            cells.append(f"{fmt(lat['p50'])} / {fmt(lat['p99'])}" if lat else "–")
        lines.append(f"| {kind}, p50 / p99 ms | " + " | ".join(cells) + f" | p99 ≤ {fmt(target)} |")
    return "\n".join(lines)


DRIVER_ROWS = (
    ("cold ingest, s", lambda r: r["cold"]["seconds"]),
    ("cold ingest, articles/s", lambda r: r["cold"]["articles_per_s"]),
    ("reload, 1% changed, s", lambda r: r["incremental"]["seconds"]),
    ("reload, nothing changed, s", lambda r: r["incremental"]["unchanged_seconds"]),
    ("database, MB", lambda r: r["db_mb"]),
)


def drivers_table(results: dict) -> str:
    """SQLite and PostgreSQL side by side for every size measured on PostgreSQL (run.py --driver postgresql)."""
    postgres = results.get("sizes_postgresql", {})
    columns = []
    for size in sorted(postgres, key=int):
        columns.append((f"SQLite {int(size):,}", results["sizes"].get(size, {})))
        columns.append((f"PostgreSQL {int(size):,}", postgres[size]))
    if not columns:
        return ""
    lines = ["| | " + " | ".join(name for name, _ in columns) + " |", "|" + "---|" * (len(columns) + 1)]
    for label, reader in DRIVER_ROWS:
        lines.append(f"| {label} | " + " | ".join(fmt(get(reader, r)) for _, r in columns) + " |")
    kinds = list(dict.fromkeys(k for _, r in columns for k in r.get("latency_ms", {})))
    for kind in kinds:
        cells = []
        for _, r in columns:
            lat = r.get("latency_ms", {}).get(kind)
            cells.append(f"{fmt(lat['p50'])} / {fmt(lat['p99'])}" if lat else "–")
        lines.append(f"| {kind}, p50 / p99 ms | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparison(results: dict) -> str:
    """Extraction cost per article and the off-the-shelf pipeline, when measured."""
    lines = []
    ext = results.get("extraction")
    if ext:
        steps = ", ".join(f"{k} {v:.2f} ms" for k, v in ext["ms_per_article"].items())
        lines.append(f"extraction, one core, {ext['articles']:,} articles: {ext['articles_per_s_one_core']:.0f} "
                     f"articles/s ({steps})")
    off = results.get("offshelf")
    if off and ext:
        theirs = off["articles_per_s"] if off.get("measured") else 7.5
        how = "measured" if off.get("measured") else "REFERENCE figure 5-10/s from shared/eval/README.md, not measured"
        lines.append(f"off-the-shelf (spaCy en_core_web_sm + textacy + dateparser): {theirs:.1f} articles/s ({how})")
        lines.append(f"ratio, one core each: {ext['articles_per_s_one_core'] / theirs:.0f}x")
        small = min(results["sizes"].values(), key=lambda r: r["articles"])
        if "cold" in small:
            lines.append(f"ratio, our full ingest with the database on {results['machine']['cores']} cores vs theirs on "
                         f"one: {small['cold']['articles_per_s'] / theirs:.0f}x")
    return "\n".join(lines)


def machine_line(results: dict) -> str:
    m = results["machine"]
    return (f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}, Python {m['python']}, "
            f"SQLite {m['sqlite']}")


def plot(results: dict, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results["sizes"].values(), key=lambda r: r["articles"])
    xs = [r["articles"] for r in sizes]
    panels = (
        ("Ingest (s)", [("cold", lambda r: r["cold"]["seconds"]), ("1% changed", lambda r: r["incremental"]["seconds"]),
                        ("nothing changed", lambda r: r["incremental"]["unchanged_seconds"]),
                        ("full reload under load", lambda r: r["stall"]["seconds"])], [(300, "cold target"), (5, "1% target")]),
        ("Answer p99 (ms)", [(k, (lambda k: lambda r: r["latency_ms"][k]["p99"])(k))
                             for k in sizes[-1].get("latency_ms", {})], [(20, "target"), (10, "autocomplete target")]),
        ("Memory and disk (MB)", [("peak RSS", lambda r: r["peak_rss_mb"]), ("database", lambda r: r["db_mb"])],
         [(250, "RSS target")]),
        ("Event loop and start-up", [("longest stall in a full reload (ms)", lambda r: r["stall"]["max_stall_ms"]),
                                     ("start-up to ready (ms)", lambda r: r["startup"]["ready_s"] * 1000)],
         [(50, "stall target"), (1000, "start-up target")]),
    )
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    for ax, (title, series, targets) in zip(axes.flat, panels):
        for name, reader in series:
            ys = [get(reader, r) for r in sizes]
            points = [(x, y) for x, y in zip(xs, ys) if y is not None]
            if points:
                ax.plot(*zip(*points), marker="o", label=name)
        for value, name in targets:
            ax.axhline(value, linestyle="--", linewidth=0.8, color="grey")
            ax.annotate(name, (xs[0], value), fontsize=7, color="grey", va="bottom")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles")
        ax.set_title(title)
        ax.legend(fontsize=7)
        ax.grid(True, which="both", linewidth=0.3)
    fig.suptitle(f"Kuril briefing bot: cost by corpus size ({results['machine']['cores']} cores)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=BENCH / "out" / "results.json")
    parser.add_argument("--png", type=Path, default=BENCH / "results.png")
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    print(machine_line(results))
    print()
    print(table(results))
    print()
    drivers = drivers_table(results)
    if drivers:
        print(drivers)
        print()
    print(comparison(results))
    plot(results, args.png)
    print(f"\nplot: {args.png}")


if __name__ == "__main__":
    main()
