"""`python3 -m flywheel_tools explore CONFIG`: sliders for a scenario's levers; each change reruns a
scaled-down market in the background and the page streams it beside the run before."""

import re

from flask import jsonify, request

from .levers import DEFAULT_LEVERS, LeverError, check_seed, make_levers, parameter_bounds, read_levers_file
from .runs import Runs, scaled_scenario
from .server import create_app


def explore_app(binary, config, levers_path=None, ticks=None):
    """The app of `explore` and its Runs, none started yet (close them when the server stops). Raises
    LeverError if the levers file or the scenario cannot be used."""
    app = create_app("explore.html")  # first: it checks for Chart.js before a run is started
    levers_path = levers_path or DEFAULT_LEVERS
    scale, entries = read_levers_file(levers_path)
    if ticks is not None:
        scale = {**scale, "ticks": ticks}
    bounds = parameter_bounds(binary)
    scenario, scale, computed, full = scaled_scenario(binary, config, scale, bounds, source=str(levers_path))
    levers = make_levers(entries, scenario, bounds, source=str(levers_path))
    if not levers:
        raise LeverError(f"{levers_path}: none of its levers is in the scenario {config}")
    runs = Runs(binary, config, levers, scale, scenario.get("seed", 1))

    @app.get("/api/levers")
    def lever_list():
        return jsonify({"scenario": scenario.get("name", ""), "config": str(config),
                        "seed": scenario.get("seed", 1), "ticks": scale.get("ticks") or scenario.get("ticks"),
                        "scale": scale_summary(scale, computed, full),
                        "scale_overrides": [f"{k}={v}" for k, v in (scale.get("set") or {}).items()],
                        "levers": [lever.as_dict() for lever in levers]})

    @app.post("/api/runs")
    def start():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("values", {}), dict):
            return jsonify({"error": 'expected JSON {"seed": N, "values": {"key": value, ...}}'}), 400
        try:
            seed = body.get("seed")
            run = runs.start(None if seed is None else check_seed(seed), body.get("values"))
        except LeverError as error:
            return jsonify({"error": str(error)}), 400
        return jsonify(run.describe())

    @app.post("/api/stop")
    def stop():
        runs.stop()
        return jsonify({"stopped": True})

    @app.get("/api/runs")
    def current():
        current_run, previous_run = runs.current_and_previous()
        return jsonify({role: run.describe() if run else None
                        for role, run in (("current", current_run), ("previous", previous_run))})

    @app.get("/api/update")
    def update():
        run = runs.get(request.args.get("run", type=int))
        if run is None:
            return jsonify({"error": "no such run"}), 404
        state = run.update(request.args.get("from", default=0, type=int))
        state["run"] = run.describe()
        return jsonify(state)

    return app, runs


def scale_summary(scale, computed, full):
    """What the page says of the scale-down: the counts (with their shares of the scenario's, `full`), the
    plain overrides, and what the customers' share multiplied (each kind once, and how many values)."""
    counts = {"customers.count": "customers", "market.categories": "categories"}
    plain = scale.get("set") or {}
    summary = [f"{key}={plain[key]} ({scale[share] * 100:g}% of {full[key.split('.')[0]][key.split('.')[1]]})"
               for key, share in counts.items() if key in computed]
    summary += [f"{key}={value}" for key, value in plain.items()
                if key not in counts and (key == "market.shards" or key not in computed)]
    shrunk = [key for key in computed if key not in counts and key != "market.shards"]
    if shrunk:
        kinds, mechanisms = {}, {}
        for entry in scale["shrink"]:
            template = entry if isinstance(entry, str) else entry["key"]
            pattern = re.escape(template).replace(r"\{platform\}", "[^.]+").replace(r"\{mechanism\}", "[^.]+")
            if any(re.fullmatch(pattern, key) for key in shrunk):
                if "{mechanism}" in template:
                    mechanisms[template.rsplit(".", 1)[-1]] = None
                else:
                    kinds[template.split("{platform}.", 1)[-1]] = None
        if mechanisms:
            kinds["mechanisms' " + "/".join(mechanisms)] = None
        summary.append(f"×{scale['customers']:g}: {', '.join(kinds)} ({len(shrunk)} values)")
    return summary
