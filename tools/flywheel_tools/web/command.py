"""`watch` and `explore` from the command line: build the app, serve it, end everything on the way out."""

import sys

from ..simulate import binary
from .explore import explore_app
from .server import ServerError, serve, stop_on_signals
from .watch import watch_app


def serve_command(args):
    """Serves `args.command`'s page until Ctrl-C or SIGTERM; returns the exit status (1 with one message on
    stderr when the input or the port cannot be used, 130 when stopped before the server started)."""
    runs = None  # explore's background runs: ended whatever happens
    with stop_on_signals():
        try:
            if args.command == "watch":
                app = watch_app(args.run)
            else:
                app, runs = explore_app(binary(), args.config, levers_path=args.levers, ticks=args.ticks)
                runs.start()  # the scenario's own run, once `runs` is here to be closed
            serve(app, args.host, args.port, args.command)
        except (ServerError, ValueError, OSError) as error:  # NotARunError and LeverError are ValueErrors
            print(f"flywheel_tools {args.command}: error: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:  # before the server started (explore's first run of the scenario)
            return 130
        finally:
            if runs is not None:
                runs.close()
    return 0
