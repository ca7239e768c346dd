"""Benchmark of keyword tagging (:func:`workshop_analysis.tagging.tag`).

Usage::

    .venv/bin/python benchmarks/bench_tagging.py              # 1,000,000 records
    .venv/bin/python benchmarks/bench_tagging.py --quick      # 50,000 records, ~1 minute

A deterministic (seeded) corpus of German-like records (~200 characters, compounds,
umlauts, ß, some hyphenated compounds) and a codebook of 100 codes x 8 keywords (about 70 %
word-start prefixes, 15 % ``*`` compound keywords, 15 % two-word phrases) are generated
(``benchmarks/_corpus.py``); the *typographic* corpus is the same text with German
typography („…“, –, …, ‚…‘, €: characters outside Latin-1) at rates taken from real
statements. Each group of measurements runs in its own subprocess, so peak memory
(``ru_maxrss``) and caches of one group do not pollute another:

* ``tag@size`` — :func:`tag` on N/4, N/2 and N records (linearity: cost per MB must stay
  flat; peak memory);
* ``compare`` — on N records, in rounds (floor, naive, tag on one thread, tag on all
  threads, polars), so that every ratio compares runs made under the same machine load:

  - ``floor`` — lower-case each text once and scan it once with ``str.find`` (the least
    any tagger has to do); ``floor-re`` — the same with one regex pass that visits every
    word start (what one pass of Python's ``re`` engine costs);
  - ``naive`` — for each record, for each keyword: ``keyword in text.lower()`` (timed on
    a sample of records and extrapolated per record; it finds fewer matches than ``tag``
    — no word starts, no transliteration, no offsets — so it is a generous baseline);
  - ``tag 1 thread`` / ``tag`` — :func:`tag` with ``tagging.THREADS = 1`` and with the
    default (one thread per core: chunks are matched in parallel);
  - ``polars`` — the anchor of another fast engine: polars ``str.to_lowercase`` then
    ``str.extract_many`` (the matches) and ``str.find_many`` (their offsets), overlapping,
    with every spelling of every keyword (no word-start or transliteration checks, so it
    does less than ``tag``), on polars' own thread pool. Polars is not a dependency of the
    package: ``make bench`` installs it; without it the line is skipped.
* ``typographic`` — :func:`tag` on one thread on the plain and on the typographic corpus,
  alternating, at least 5 rounds (characters outside Latin-1 must not cost more than
  20 %). The verdict uses the CPU time of the runs (``time.thread_time``), which the load
  of a shared machine disturbs much less than the wall clock; both are printed.

Every timed part runs ``--repeat`` times (default 3) and the fastest run counts, as with
:mod:`timeit`: on a shared machine single runs varied by up to 2x. The load average is
printed before and after: the figures mean little when it is above the number of cores.

Targets: ``tag`` ≥ 20x faster than naive, ≤ 3x the floor, faster than polars, linear in
text size, peak memory < 2 GB; typographic text ≤ 1.2x plain.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _corpus(n: int, seed: int, typographic: bool = False) -> tuple[Any, Any]:
    sys.path.insert(0, str(HERE))
    from _corpus import make_codebook, make_corpus

    return make_corpus(n, seed=seed, typographic=typographic), make_codebook(seed=seed)


def _mb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest of several runs, with all run times."""
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["runs"] = [round(r["seconds"], 3) for r in runs]  # type: ignore[assignment]
    return best


def time_tag(records: Any, codebook: Any, threads: int | None) -> dict[str, float]:
    """One run of :func:`tag` with ``threads`` (None: the default)."""
    from workshop_analysis import tagging

    tagging.THREADS = threads
    cpu0, t0 = time.thread_time(), time.perf_counter()
    result = tagging.tag(records, codebook)
    seconds, cpu = time.perf_counter() - t0, time.thread_time() - cpu0
    tagging.THREADS = None
    hits = int((result.evidence["origin"] == "keyword").sum())
    coded = int(result.records["codes"].map(bool).sum())
    return {"seconds": seconds, "cpu": cpu, "hits": hits, "coded": coded}


def time_floor(texts: list[str]) -> dict[str, float]:
    cpu0, t0 = time.thread_time(), time.perf_counter()
    for text in texts:
        text.lower().find("\x01")
    return {"seconds": time.perf_counter() - t0, "cpu": time.thread_time() - cpu0}


def time_floor_re(texts: list[str]) -> dict[str, float]:
    pattern = re.compile(r"\b(?=qx)")
    t0 = time.perf_counter()
    for text in texts:
        pattern.search(text.lower())
    return {"seconds": time.perf_counter() - t0}


def time_naive(texts: list[str], codebook: Any, sample: int) -> dict[str, float]:
    keywords = [k.lstrip("*").rstrip("!") for c in codebook for k in c.keywords]
    part = texts[:sample]
    t0 = time.perf_counter()
    found = 0
    for text in part:
        low = text.lower()
        for k in keywords:
            if k in low:
                found += 1
    per_record = (time.perf_counter() - t0) / len(part)
    return {"seconds": per_record * len(texts), "hits": found * len(texts) / len(part)}


def polars_patterns(codebook: Any) -> list[str]:
    """Every spelling of every keyword and exclude word (what ``tag``'s automaton holds,
    without the word-start characters)."""
    from workshop_analysis._keywords import spellings
    from workshop_analysis.tagging import compile_codebook

    matcher, _ = compile_codebook(codebook)
    return sorted({s for k in matcher.keywords for s in spellings(k.tokens)})


def time_polars(series: Any, patterns: list[str]) -> dict[str, float]:
    t0 = time.perf_counter()
    low = series.str.to_lowercase()
    matches = low.str.extract_many(patterns, overlapping=True)
    offsets = low.str.find_many(patterns, overlapping=True)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "hits": int(matches.list.len().sum()), "n": len(offsets)}


def measure_tag(n: int, seed: int, repeat: int) -> dict[str, Any]:
    """``tag`` on ``n`` records: fastest of ``repeat`` runs, peak memory."""
    records, codebook = _corpus(n, seed)
    mb = _mb(records["text"].tolist())
    rss_before = _rss_mb()
    runs = []
    for _ in range(repeat):
        runs.append(time_tag(records, codebook, None))
        gc.collect()
    out: dict[str, Any] = {"records": n, "mb": mb, **_best(runs)}
    out["peak_mb"] = _rss_mb()
    out["delta_mb"] = out["peak_mb"] - rss_before
    return out


def measure_compare(n: int, seed: int, sample: int, repeat: int) -> dict[str, Any]:
    """Floor, naive, tag (1 thread and default), polars: in rounds, fastest counts."""
    records, codebook = _corpus(n, seed)
    texts = records["text"].tolist()
    try:
        import polars as pl
    except ImportError:
        pl = None
    series = pl.Series("text", texts) if pl is not None else None
    patterns = polars_patterns(codebook)
    rounds: dict[str, list[dict[str, float]]] = {}
    for _ in range(repeat):
        parts = {
            "floor": lambda: time_floor(texts),
            "floor-re": lambda: time_floor_re(texts),
            "naive": lambda: time_naive(texts, codebook, sample),
            "tag-1": lambda: time_tag(records, codebook, 1),
            "tag": lambda: time_tag(records, codebook, None),
        }
        if series is not None:
            parts["polars"] = lambda: time_polars(series, patterns)
        for name, part in parts.items():
            rounds.setdefault(name, []).append(part())
            gc.collect()
    out: dict[str, Any] = {name: _best(runs) for name, runs in rounds.items()}
    out["mb"] = _mb(texts)
    out["records"] = n
    out["patterns"] = len(patterns)
    out["polars_threads"] = pl.thread_pool_size() if pl is not None else 0
    out["tag_threads"] = _tag_threads(n)
    return out


def _tag_threads(n: int) -> int:
    from workshop_analysis import tagging

    return tagging._threads(n, 2)


def measure_typographic(n: int, seed: int, repeat: int) -> dict[str, Any]:
    """``tag`` and the floor on the plain and the typographic corpus, in rounds."""
    plain, codebook = _corpus(n, seed)
    typo, _ = _corpus(n, seed, typographic=True)
    rounds: dict[str, list[dict[str, float]]] = {}
    for _ in range(max(repeat, 5)):  # cheap rounds; the two corpora alternate
        for name, records in (("plain", plain), ("typographic", typo)):
            rounds.setdefault(name, []).append(time_tag(records, codebook, 1))
            gc.collect()
            floor = time_floor(records["text"].tolist())
            rounds.setdefault(f"floor-{name}", []).append(floor)
    out: dict[str, Any] = {name: _best(runs) for name, runs in rounds.items()}
    for name in ("plain", "typographic"):  # least CPU time of the runs (load-independent)
        out[name]["cpu"] = min(r["cpu"] for r in rounds[name])
    texts = typo["text"].tolist()
    out["share"] = sum(not t.isascii() and max(t) > "\xff" for t in texts) / len(texts)
    out["mb"] = {"plain": _mb(plain["text"].tolist()), "typographic": _mb(texts)}
    return out


def measure(what: str, n: int, sample: int, seed: int, repeat: int) -> dict[str, Any]:
    """Run one group of measurements in this process and return its figures."""
    if what == "tag":
        return measure_tag(n, seed, repeat)
    if what == "compare":
        return measure_compare(n, seed, sample, repeat)
    if what == "typographic":
        return measure_typographic(n, seed, repeat)
    raise ValueError(what)  # pragma: no cover


def run_child(what: str, n: int, sample: int, seed: int, repeat: int) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        what,
        "--records",
        str(n),
        "--naive-sample",
        str(sample),
        "--seed",
        str(seed),
        "--repeat",
        str(repeat),
    ]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="corpus size N")
    parser.add_argument("--quick", action="store_true", help="N = 50,000 (smoke run)")
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=5_000,
        help="records timed for the naive baseline (extrapolated to N)",
    )
    parser.add_argument("--seed", type=int, default=20171122)
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measurement (the fastest counts)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n = 50_000 if args.quick else args.records
    if args.child:
        print(json.dumps(measure(args.child, n, args.naive_sample, args.seed, args.repeat)))
        return 0

    sample = min(args.naive_sample, n)
    print(
        f"tagging benchmark: N = {n:,} records, codebook 100 codes x 8 keywords, seed "
        f"{args.seed}, {os.cpu_count()} cores, load average {_load()}",
        flush=True,
    )
    runs: dict[str, dict[str, Any]] = {}
    for size in (n // 4, n // 2, n):
        runs[f"tag@{size}"] = r = run_child("tag", size, sample, args.seed, args.repeat)
        print(
            f"  tag      {size:>9,} rec {r['mb']:8.1f} MB {r['seconds']:8.2f} s "
            f"{size / r['seconds']:>10,.0f} rec/s {r['mb'] / r['seconds']:6.2f} MB/s "
            f"{r['seconds'] / r['mb'] * 1000:6.1f} ms/MB  peak {r['peak_mb']:7.0f} MB "
            f"(+{r['delta_mb']:.0f} MB for tag)  {r['hits'] / size:.2f} hits/rec, "
            f"{r['coded'] / size:.0%} coded  runs {r['runs']}",
            flush=True,
        )

    cmp = run_child("compare", n, sample, args.seed, args.repeat)
    mb = cmp["mb"]
    print(f"same {n:,} records ({mb:.1f} MB), in rounds (fastest of {args.repeat} counts):")
    labels = {
        "floor": "floor",
        "floor-re": "floor-re",
        "naive": "naive",
        "tag-1": "tag, 1 thread",
        "tag": f"tag, {cmp['tag_threads']} threads",
        "polars": f"polars, {cmp['polars_threads']} thr",
    }
    for key, label in labels.items():
        if key not in cmp:
            print(f"  {label:<17} skipped (pip install polars to measure it)")
            continue
        r = cmp[key]
        note = f"  (timed on {sample:,} records, extrapolated)" if key == "naive" else ""
        hits = f"  {r['hits'] / n:.2f} hits/rec" if "hits" in r else ""
        if "cpu" in r:  # CPU time of the calling thread (the critical path with threads)
            hits += f"  calling thread {r['cpu']:.2f} s CPU"
        print(
            f"  {label:<17} {r['seconds']:8.2f} s {n / r['seconds']:>10,.0f} rec/s "
            f"{mb / r['seconds']:6.2f} MB/s{hits}{note}  runs {r['runs']}",
            flush=True,
        )

    typo = run_child("typographic", n, sample, args.seed, args.repeat)
    print(
        f"typographic corpus: same sentences, {typo['share']:.1%} of records with characters "
        f"outside Latin-1 („“ – … ‚‘ €), {typo['mb']['typographic']:.1f} MB:"
    )
    for key in ("plain", "typographic"):
        r, f = typo[key], typo[f"floor-{key}"]
        print(
            f"  tag {key:<12} {r['seconds']:8.2f} s  ({r['cpu']:.2f} s CPU, 1 thread)  "
            f"floor {f['seconds']:6.2f} s  ({r['seconds'] / f['seconds']:.1f}x floor)  "
            f"{r['hits'] / n:.2f} hits/rec  runs {r['runs']}",
            flush=True,
        )

    tag = cmp["tag"]
    per_mb = [runs[f"tag@{s}"]["seconds"] / runs[f"tag@{s}"]["mb"] for s in (n // 4, n // 2, n)]
    vs_naive = cmp["naive"]["seconds"] / tag["seconds"]
    vs_floor = tag["seconds"] / cmp["floor"]["seconds"]
    vs_floor_1 = cmp["tag-1"]["seconds"] / cmp["floor"]["seconds"]
    vs_floor_re = tag["seconds"] / cmp["floor-re"]["seconds"]
    speedup = cmp["tag-1"]["seconds"] / tag["seconds"]
    typo_wall = typo["typographic"]["seconds"] / typo["plain"]["seconds"]
    typo_cost = typo["typographic"]["cpu"] / typo["plain"]["cpu"]
    spread = max(per_mb) / min(per_mb)
    peak = runs[f"tag@{n}"]["peak_mb"]

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"results (load average now {_load()}):")
    ok_naive = verdict(vs_naive >= 20)
    print(f"  tag vs naive:        {vs_naive:6.1f}x faster  (target >= 20x)  {ok_naive}")
    print(
        f"  tag vs floor:        {vs_floor:6.1f}x slower  (target <= 3x)   {verdict(vs_floor <= 3)}"
    )
    print(f"  tag 1 thread/floor:  {vs_floor_1:6.1f}x slower  (threads speed-up {speedup:.2f}x)")
    cpu_ratio = tag["cpu"] / cmp["floor"]["cpu"]
    print(
        f"  tag calling thread:  {cpu_ratio:6.1f}x floor CPU (what the wall ratio comes down "
        "to when the second core is free)"
    )
    faster_re = (
        f"{1 / vs_floor_re:6.1f}x faster" if vs_floor_re < 1 else f"{vs_floor_re:6.1f}x slower"
    )
    print(f"  tag vs floor-re:     {faster_re}  (one regex pass over the text)")
    if "polars" in cmp:
        vs_polars = cmp["polars"]["seconds"] / tag["seconds"]
        print(
            f"  tag vs polars:       {vs_polars:6.2f}x faster  (target > 1x)    "
            f"{verdict(vs_polars > 1)}"
        )
    else:
        print("  tag vs polars:       not measured (polars not installed)  MISSED")
    print(
        f"  typographic/plain:   {typo_cost:6.2f}x CPU     (target <= 1.2x) "
        f"{verdict(typo_cost <= 1.2)}  (wall clock {typo_wall:.2f}x)"
    )
    print(
        f"  cost per MB at N/4, N/2, N: {', '.join(f'{c * 1000:.1f}' for c in per_mb)} ms/MB "
        f"(max/min {spread:.2f}; linear: {verdict(spread <= 1.25)})"
    )
    print(
        f"  peak memory (whole process, corpus included): {peak:.0f} MB "
        f"(target < 2048 MB) {verdict(peak < 2048)}"
    )
    return 0


def _load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on Unix
        return "n/a"


if __name__ == "__main__":
    sys.exit(main())
