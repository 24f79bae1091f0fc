"""The run's scenario, from the `config` root attribute (the resolved YAML).

Flattened to dotted keys (`platforms.0.take_rate`), the same paths that
`flywheel run --set` accepts, so parameters can label runs in a batch. The
`config_changes` root attribute lists what the scenario changed from the
defaults.
"""

import re

import pandas as pd
import yaml


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser where PyYAML has it (20 times faster than the pure-Python one on a run's config), reading
    numbers as flywheel (yaml-cpp, YAML 1.2) writes them: PyYAML's YAML 1.1 takes `1e+05`, without a dot, for a
    string."""


_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+$"),
                              list("-+0123456789"))


def parse_config(text):
    """The scenario as nested dicts and lists."""
    return yaml.load(text, Loader=_Loader) or {}


def config_changes(source):
    """The parameters a run changed from their defaults, from its `config_changes` root attribute: a DataFrame
    with columns key (`platforms[1].policy.take_rate`), value and default (None where there is none, e.g. a list
    item beyond the defaults), in the file's order. `source` is a run's Dataset or its root attributes; None when
    the file has no such attribute (flywheel wrote none before)."""
    text = getattr(source, "attrs", source).get("config_changes")
    if text is None:
        return None
    rows = [(key, change["value"], change.get("default")) for key, change in parse_config(text).items()]
    return pd.DataFrame(rows, columns=["key", "value", "default"])


def flatten(tree, prefix=""):
    """Leaf values of nested dicts and lists, keyed by dotted path; list items by index."""
    if isinstance(tree, dict):
        items = tree.items()
    elif isinstance(tree, list):
        items = enumerate(tree)
    else:
        return {prefix: tree}
    flat = {}
    for key, value in items:
        flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def differing(flat_configs):
    """The keys whose values are not the same in every one of the flattened configs.

    A key missing from some configs counts as differing (its value there is None).
    """
    keys = sorted(set().union(*flat_configs)) if flat_configs else []
    return [k for k in keys if len({repr(c.get(k)) for c in flat_configs}) > 1]
