#!/usr/bin/python3
"""Assembles bench/run.sh's JSON results into one Markdown report on stdout.

Exits non-zero if a microbenchmark's self-check failed or the whole runs at
different thread counts did not end in identical states.
"""
import json
import re
import sys
from pathlib import Path

GIB = 1 << 30
MIB = 1 << 20


def load(folder, name):
    return json.loads((folder / name).read_text())


def status(ok, measured, target, unit):
    word = "**met**" if ok else "**missed**"
    return f"{word}: {measured:.3g} {unit} against {target:g} ({measured / target:.2f}x the target)"


def by_threads(run, threads):
    return next(r for r in run["runs"] if r["threads"] == threads)


def whole_run_tables(name, run):
    lines = [f"### {name}: `{run['config']}`, {run['customers']:,} customers, {run['ticks']} ticks "
             f"(best of {run['repeats']})", ""]
    lines += ["| threads | customer-days/s | intents matched/s | tick (ms) | speedup | parallel efficiency "
              "| CPU s per wall s | other processes (cores) | triad GB/s | stream customer state (ms) | tick / stream |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in run["runs"]:
        lines.append(
            f"| {r['threads']} | {r['customer_days_per_second'] / 1e6:.1f} M | {r['intents_per_second'] / 1e6:.3f} M "
            f"| {r['tick_seconds'] * 1e3:.1f} | {r['speedup']:.2f} | {r['parallel_efficiency']:.0%} "
            f"| {r['cpu_per_wall']:.2f} | {r['other_processes_cores']:.2f} | {r['triad_bytes_per_second'] / 1e9:.1f} "
            f"| {r['stream_customer_state_seconds'] * 1e3:.1f} | {r['tick_over_stream']:.1f} |")
    phases = list(run["runs"][0]["phase_seconds_per_tick"])
    lines += ["", "Milliseconds per tick in each phase (`Market::scheduler().phase_times()`):", "",
              "| threads | " + " | ".join(phases) + " |", "|---:|" + "---:|" * len(phases)]
    for r in run["runs"]:
        t = r["phase_seconds_per_tick"]
        lines.append(f"| {r['threads']} | " + " | ".join(f"{t[p] * 1e3:.2f}" for p in phases) + " |")
    lines += ["", f"Agent state {run['bytes_per_customer']} bytes/customer "
              f"({run['customer_state_bytes'] / MIB:.0f} MiB in all); `flywheel validate` estimate "
              f"{run['estimated_bytes'] / MIB:.0f} MiB; peak RSS {run['peak_rss_bytes'] / MIB:.0f} MiB; "
              f"CPU-time work efficiency at {run['runs'][-1]['threads']} threads (1-thread CPU s / CPU s; "
              f"not the target metric) {run['runs'][-1]['cpu_work_efficiency']:.0%}; "
              f"intents matched per second of match phase at 1 thread "
              f"{run['runs'][0]['intents_per_match_phase_second'] / 1e6:.2f} M. "
              f"Identical end state at every thread count: {'yes' if run['identical_results'] else 'NO'}.", ""]
    return lines


def micro_tables(micro):
    # With --benchmark_repetitions, the median aggregate stands for each benchmark.
    rows = {}
    for b in micro["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        if b.get("run_type") == "aggregate" or b["run_name"] not in rows:
            rows[b["run_name"]] = b
    reps = max(b.get("repetitions", 1) for b in micro["benchmarks"])
    lines = [f"### Kernels (Google Benchmark, one core; median of {reps} runs; items/s over CPU time, "
             "manual time for matching and pricing)", ""]
    match = {}
    for name, b in rows.items():
        m = re.fullmatch(r"BM_MatchIntents/k:(\d+)/offers:(\d+)/personal:([01])(/manual_time)?", name)
        if m:
            match[(int(m[1]), int(m[2]), int(m[3]))] = b
    ks = sorted({k for k, _, _ in match})
    offers = sorted({o for _, o, _ in match})
    lines += ["Matching (`match_intents`), million intents matched per second, by consideration set k "
              "(rows) and offers per category (columns), for shoppers the platform does not know (anonymous: "
              "each list is the pool's top k) and shoppers it does (personal: each list ranked for its shopper "
              "out of the ranker's pool):", "",
              "| k | " + " | ".join(f"{o} offers, anonymous | {o} offers, personal" for o in offers) + " |",
              "|---:|" + "---:|" * (2 * len(offers))]
    for k in ks:
        cells = [f"{match[(k, o, p)]['items_per_second'] / 1e6:.2f}" if (k, o, p) in match else "-"
                 for o in offers for p in (0, 1)]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    lines += ["", "| kernel | shape | M items/s | ns per item |", "|---|---|---:|---:|"]
    for name, b in rows.items():
        m = re.fullmatch(r"BM_(PriceAndRestock|BuildPool)/(.*?)(/manual_time)?", name)
        if m:
            what = {"PriceAndRestock": "`price_and_restock` (per offer)", "BuildPool": "`build_pool` (per offer)"}[m[1]]
            ips = b["items_per_second"]
            lines.append(f"| {what} | {m[2]} | {ips / 1e6:.2f} | {1e9 / ips:.0f} |")
    return lines + [""], match


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results")
    machine = load(folder, "machine.json")
    micro = load(folder, "microbench.json")
    default = load(folder, "whole_run_default.json")
    large = load(folder, "whole_run_large.json")

    errors = [b["name"] for b in micro["benchmarks"] if b.get("error_occurred")]
    micro_lines, match = micro_tables(micro)

    d2 = by_threads(default, 2)
    l2 = by_threads(large, 2)
    headline = match[(8, 64, 0)]["items_per_second"]
    personal = match[(8, 64, 1)]["items_per_second"]
    grid = [b["items_per_second"] for b in match.values()]
    targets = [
        ("default scenario >= 30 M customer-days/s at 2 threads",
         status(d2["customer_days_per_second"] >= 30e6, d2["customer_days_per_second"] / 1e6, 30, "M/s")),
        ("matching kernel >= 5 M intents/s per core (k=8, 64 offers, anonymous; grid "
         f"{min(grid) / 1e6:.2f}-{max(grid) / 1e6:.2f} M/s)",
         status(headline >= 5e6, headline / 1e6, 5, "M/s")),
        ("matching kernel >= 5 M intents/s per core (k=8 shown of 64 offers, each shopper ranked)",
         status(personal >= 5e6, personal / 1e6, 5, "M/s")),
        ("parallel efficiency >= 85% at 2 threads (default)",
         status(d2["parallel_efficiency"] >= 0.85, d2["parallel_efficiency"] * 100, 85, "%")),
        ("parallel efficiency >= 85% at 2 threads (large)",
         status(l2["parallel_efficiency"] >= 0.85, l2["parallel_efficiency"] * 100, 85, "%")),
        ("customer state <= 64 bytes/customer",
         status(default["bytes_per_customer"] <= 64, default["bytes_per_customer"], 64, "B")),
        ("large.yaml (10M customers) peak memory < 2 GiB",
         status(large["peak_rss_bytes"] < 2 * GIB, large["peak_rss_bytes"] / GIB, 2, "GiB")),
    ]

    out = [f"## Results ({machine['date']}, revision {machine['revision']})", "",
           f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_bytes'] / GIB:.1f} GiB; "
           f"{machine['compiler']}; load average at start {machine['load_average_at_start']}.", "",
           "| target | result |", "|---|---|"]
    out += [f"| {t} | {s} |" for t, s in targets]
    out += [""]
    out += whole_run_tables("Default scenario", default)
    out += whole_run_tables("Large scenario", large)
    out += micro_lines
    if errors:
        out += ["**Self-check failures:** " + ", ".join(errors), ""]
    print("\n".join(out))
    if errors or not (default["identical_results"] and large["identical_results"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
