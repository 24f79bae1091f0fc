"""Command line: `python3 -m flywheel_tools report RUN.h5 -o DIR`, `... report ATTRIBUTION-DIR`,
`... report SWEEP-DIR`, `... sweep-status DIR`, `... value-of-data RUN.h5...`, `... watch RUN.h5`,
`... explore CONFIG`."""

import argparse
import sys

from .attribution import attribution_report, is_attribution
from .offer_learning import age_standardised_errors, errors_by_offer_age
from .report import write_report
from .sweep import sweep_status
from .tradeoffs import is_sweep, tradeoff_report
from .value_of_data import diminishing_returns, gain_per_order, value_of_data, value_of_data_figure


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m flywheel_tools",
        description="Analysis tools for flywheel's HDF5 output.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report", help="write a run's (an attribution's, a sweep's) plots (PNG) and an index.html that shows them",
        description="Of a run: writes dashboard.png, one arrow-*.png per arrow of the flywheel and index.html "
                    "(headline figures, plots, the run's config) to DIR; works on a running file too. "
                    "Of an attribution (a directory that `flywheel attribute` wrote, holding attribution.csv): "
                    "writes a tornado per headline metric, the time paths of the baseline and each knockout, "
                    "and index.html with the table of effects to DIR (default PATH/report). "
                    "Of a sweep (a directory that `flywheel sweep` wrote, holding index.csv): plots each outcome "
                    "(ad revenue, revenue, operating profit, consumer surplus, 3P profit, welfare, experience, 1P "
                    "share) against each swept parameter with replicate bands, and writes tradeoffs.csv (means, "
                    "paired changes and their 95%% intervals) and index.html to DIR (default PATH/report).")
    report.add_argument("run", metavar="PATH", help="the run's HDF5 file, an attribution's or a sweep's directory")
    report.add_argument("-o", "--output", metavar="DIR",
                        help="directory to write (created); for an attribution or a sweep, default PATH/report")
    report.add_argument("--dpi", type=int, default=80, help="resolution of the PNGs (default 80)")
    report.add_argument("--platform", metavar="NAME",
                        help="a sweep's platform (default: the one its first swept key names, else all summed)")
    report.add_argument("--last", type=int, default=90, metavar="TICKS",
                        help="a sweep's outcomes are means over each run's last TICKS days (default 90)")
    status = commands.add_parser(
        "sweep-status", help="count a sweep's runs by status and list those not complete",
        description="Reads DIR/index.csv and every run file's status. Exits 0 when every run is complete.")
    status.add_argument("sweep", metavar="DIR", help="the sweep's output directory (or its index.csv)")
    value = commands.add_parser(
        "value-of-data", help="the ranker's errors per bin of the platform's cumulative orders; diminishing returns",
        description="Bins each run's days by the platform's cumulative orders before the day (log-spaced bins "
                    "shared by every run and platform) and prints, per platform and bin, the mean ranker_error, "
                    "taste_error, list_regret, conversion and mean_experience, the days and the runs (replicates: "
                    "several files, e.g. seeds, are averaged bin by bin), with each error's fall per extra order; "
                    "then, per platform, the slope of ranker_error and list_regret against log(cumulative orders) "
                    "and whether the gain per extra order falls past the error's peak.")
    value.add_argument("runs", metavar="FILE", nargs="+", help="run files (HDF5); several are pooled")
    value.add_argument("--bins", type=int, default=8, help="log-spaced bins of cumulative orders (default 8)")
    value.add_argument("--csv", metavar="OUT", help="also write the table (with the gain columns) as CSV")
    value.add_argument("--png", metavar="OUT", help="also write the figure: each series against cumulative orders")
    value.add_argument("--by-age", action="store_true",
                       help="also print, from each file's last offers snapshot (output.snapshot_interval), the "
                            "ranker's error per platform and offer age, files pooled, and per file each platform's "
                            "orders so far with its error, raw and age-standardised")
    watch = commands.add_parser(
        "watch", help="a local web page that follows a run's file while it is written (or after)",
        description="Serves a page (http://HOST:PORT/) that redraws the run's headline panels per platform as "
                    "ticks are flushed: customers, orders, 3P share, price index, delivery days, cash, operating "
                    "margin, members, welfare; with the run's status (running, complete, interrupted, failed) and "
                    "progress. The file is reopened at each poll, so it may be on a shared filesystem and written "
                    "by a job elsewhere. Ctrl-C stops the server.")
    watch.add_argument("run", metavar="RUN.h5", help="the run's HDF5 file (flywheel run -o)")
    explore = commands.add_parser(
        "explore", help="sliders for a scenario's levers; each change reruns a scaled-down market live",
        description="Serves a page with a slider per lever (per platform and mechanism: take rate, fulfilment "
                    "fee, ad load, self-preferencing, payout share, mechanisms' targets; the set and the scale-down "
                    "declared in a levers file), a seed box and run/stop buttons. Each change stops the run going "
                    "and starts flywheel again in the background; its panels stream in beside the previous run's, "
                    "drawn faded and dashed in each platform's colour. Values outside the parameters' bounds are "
                    "refused. Ctrl-C stops the server and its run.")
    explore.add_argument("config", metavar="CONFIG", help="the scenario (YAML), as flywheel run takes it")
    explore.add_argument("--levers", metavar="FILE",
                         help="the sliders and the scale-down (default: flywheel_tools/web/levers.yaml)")
    explore.add_argument("--ticks", type=int, metavar="N", help="days each run simulates (default: the levers "
                                                                "file's scale, else the scenario's)")
    for server in (watch, explore):
        server.add_argument("--port", type=int, default=8050, help="port to serve on (default 8050; 0: any free one)")
        server.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default 127.0.0.1: this machine only; reach a cluster node's "
                                 "page through `ssh -L 8050:localhost:8050 NODE`)")
    args = parser.parse_args(argv)
    if args.command in ("watch", "explore"):
        if not 0 <= args.port <= 65535:
            (watch if args.command == "watch" else explore).error(f"--port must be in [0, 65535], not {args.port}")
        if args.command == "explore" and args.ticks is not None and args.ticks < 1:
            explore.error(f"--ticks must be at least 1, not {args.ticks}")
        return _serve(args)
    if args.command == "sweep-status":
        return _sweep_status(args.sweep)
    if args.command == "value-of-data":
        if args.bins < 1:
            value.error(f"--bins must be at least 1, not {args.bins}")
        return _value_of_data(args.runs, args.bins, args.csv, args.png, args.by_age)
    if is_attribution(args.run):
        return _attribution_report(args.run, args.output, args.dpi)
    if is_sweep(args.run):
        return _sweep_report(args.run, args.output, args.platform, args.last, args.dpi)
    if args.output is None:
        report.error("the following arguments are required: -o/--output (for a run file)")
    try:
        index = write_report(args.run, args.output, dpi=args.dpi)
    except (OSError, KeyError) as error:
        print(f"flywheel_tools: error: {args.run}: {error}", file=sys.stderr)
        return 1
    print(f"report: {index}")
    return 0


def _attribution_report(path, output, dpi):
    try:
        index = attribution_report(path, output, dpi=dpi)
    except (OSError, KeyError, ValueError) as error:
        print(f"flywheel_tools: error: {path}: {error}", file=sys.stderr)
        return 1
    print(f"report: {index}")
    return 0


def _sweep_report(path, output, platform, last, dpi):
    if last < 1:
        print(f"flywheel_tools: error: --last must be at least 1, not {last}", file=sys.stderr)
        return 2
    try:
        index = tradeoff_report(path, output, platform=platform, last=last, dpi=dpi)
    except (OSError, KeyError, ValueError) as error:
        print(f"flywheel_tools: error: {path}: {error}", file=sys.stderr)
        return 1
    print(f"report: {index}")
    return 0


def _value_of_data(runs, bins, csv, png, by_age):
    try:
        table = value_of_data(runs, bins=bins)
        ages = errors_by_offer_age(runs) if by_age else None
        standardised = age_standardised_errors(runs) if by_age else None
    except (OSError, KeyError, ValueError) as error:
        print(f"flywheel_tools: error: {error}", file=sys.stderr)
        return 1
    gains = gain_per_order(table)
    print(f"value of data: {len(runs)} run(s), {bins} log-spaced bins of cumulative orders (before the day)")
    print(gains.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print("\ndiminishing returns: slope per log(cumulative orders) (natural log), over every bin and from the "
          "bin where the error peaks; the error's fall per extra order in the first bin past the peak and in the last")
    print(diminishing_returns(table).to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    if ages is not None:
        print("\nthe ranker's error by offer age (days since first shown), from each file's last offers snapshot")
        print(ages.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        print("\neach platform's orders so far and its error over its offers, raw and age-standardised (its error "
              "per offer age weighted by the age mix of all the file's offers), per file")
        print(standardised.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    if csv:
        gains.to_csv(csv, index=False)
    if png:
        value_of_data_figure(table).savefig(png, dpi=80)
    return 0


def _serve(args):
    """`watch` and `explore`. Flask is imported only here, so that the other commands need no web packages."""
    try:
        from .web.command import serve_command
    except ImportError as error:
        print(f"flywheel_tools: error: {args.command} needs Flask: install Debian's python3-flask "
              f"(tools/install-deps.sh installs it) ({error})", file=sys.stderr)
        return 1
    return serve_command(args)


def _sweep_status(sweep):
    try:
        index = sweep_status(sweep)
    except (OSError, ValueError) as error:
        print(f"flywheel_tools: error: {sweep}: {error}", file=sys.stderr)
        return 1
    counts = index["status"].value_counts()
    print(f"{sweep}: {len(index)} runs: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    pending = index[index["status"] != "complete"]
    if not pending.empty:
        print(pending.to_string(index=False))
    return 0 if pending.empty else 1


if __name__ == "__main__":
    sys.exit(main())
