"""`python3 -m flywheel_tools watch RUN.h5`: a page that follows a run's file while it is written."""

import time

from flask import jsonify, request

from .panels import check_run_file, read_update
from .server import create_app


def watch_app(path):
    """The app of `watch`: the page, and `/api/update?from=N`, the file's ticks from index N on.

    Raises NotARunError if `path` is not a flywheel output file.
    """
    check_run_file(path)
    app = create_app("watch.html")
    growth = {"ticks": -1, "at": time.monotonic()}  # when `tick` last grew: a killed run's file stops growing

    @app.get("/api/update")
    def update():
        start = request.args.get("from", default=0, type=int)
        try:
            state = read_update(path, start)
        except (OSError, KeyError) as error:  # replaced under us, or not yet complete: the page retries
            return jsonify({"error": f"{path}: cannot be read just now ({error})", "retry": True}), 503
        if state["ticks_written"] != growth["ticks"]:
            growth.update(ticks=state["ticks_written"], at=time.monotonic())
        state["path"] = str(path)
        state["idle_seconds"] = round(time.monotonic() - growth["at"], 1)
        return jsonify(state)

    return app

