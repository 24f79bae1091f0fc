"""The run's scenario, from the `config` root attribute (the resolved YAML).

Flattened to dotted keys (`platforms.0.take_rate`), the same paths that
`flywheel run --set` accepts, so parameters can label runs in a batch.
"""

import yaml


# libyaml's parser where PyYAML has it: 20 times faster than the pure-Python one on a run's config.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_config(text):
    """The scenario as nested dicts and lists."""
    return yaml.load(text, Loader=_LOADER) or {}


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
