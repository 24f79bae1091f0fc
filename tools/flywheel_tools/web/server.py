"""What both pages share: a Flask app serving the static pages and Debian's Chart.js, and a server that
says clearly when its port is taken and stops cleanly on Ctrl-C or SIGTERM."""

import contextlib
import errno
import logging
import signal
from pathlib import Path

from flask import Flask, send_file

# Debian's libjs-chart.js (Chart.js 3.9): served from where the package puts it, never from a CDN.
CHART_JS = Path("/usr/share/javascript/chart.js/chart.min.js")
STATIC = Path(__file__).resolve().parent / "static"


class ServerError(RuntimeError):
    """A server that cannot start: its message says why and what to do."""


def create_app(page):
    """A Flask app whose `/` is `static/<page>` and that serves Chart.js at `/chart.js`."""
    if not CHART_JS.is_file():
        raise ServerError(f"Chart.js is missing ({CHART_JS}): install Debian's package libjs-chart.js "
                          "(tools/install-deps.sh installs it)")
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")

    @app.get("/")
    def index():
        return send_file(STATIC / page)

    @app.get("/chart.js")
    def chart_js():
        return send_file(CHART_JS, mimetype="text/javascript")

    @app.get("/favicon.ico")
    def favicon():
        return "", 204

    @app.errorhandler(404)
    def not_found(error):
        return {"error": f"not found: {error.description}"}, 404

    return app


def serve(app, host, port, name):
    """Serves `app` until Ctrl-C (KeyboardInterrupt; with stop_on_signals, SIGTERM too).

    Prints the address on stdout once the port is bound (port 0: any free port). Raises ServerError
    when the port is in use or cannot be bound.
    """
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServerError(f"port {port} on {host} is in use (another server, or another {name}): "
                              "choose another with --port, or --port 0 for any free one") from None
        raise ServerError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    try:
        print(f"{name}: serving http://{host}:{server.server_port}/ (Ctrl-C to stop)", flush=True)
        server.serve_forever()  # returns on Ctrl-C: werkzeug's loop catches KeyboardInterrupt itself
    except KeyboardInterrupt:
        pass  # one that came just outside that loop
    finally:
        server.server_close()
    print(f"{name}: stopped", flush=True)


@contextlib.contextmanager
def stop_on_signals():
    """Within it, the first SIGINT (Ctrl-C) or SIGTERM raises KeyboardInterrupt, and later ones are ignored, so
    that both leave through the same `finally` blocks and a second Ctrl-C cannot cut their clean-up (ending
    explore's runs, removing their files) short. SIGINT is set too because a shell that starts a command in
    the background (`&`) leaves it ignored."""

    def interrupt(signum, frame):
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
