"""The sliders of `explore`: which parameters, their bounds (`flywheel params`, narrowed by the levers
file) and the scenario's values; and the check of a value before a run is started with it."""

import json
import math
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

DEFAULT_LEVERS = Path(__file__).with_name("levers.yaml")
_PLACEHOLDERS = ("{platform}", "{mechanism}")
_ENTRY_KEYS = {"key", "label", "min", "max", "step", "metric", "lever"}
_SCALE_KEYS = {"set", "ticks", "threads", "customers", "categories", "shrink"}
_SHRINK_KEYS = {"key", "metric", "lever", "power"}
# The counts that `scale.customers` and `scale.categories` are shares of.
_SHARED_COUNTS = {"customers": "customers.count", "categories": "market.categories"}


class LeverError(ValueError):
    """A levers file, a seed or a lever's value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Lever:
    """One slider: a `--set` path with platform and mechanism by name, its bounds and the scenario's value."""

    key: str
    label: str
    group: str  # the platform's name, or "market"
    minimum: float
    maximum: float
    step: float
    value: float
    integer: bool
    meaning: str

    def check(self, value):
        """`value` as the number to run with; raises LeverError if it is not a number within the bounds."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise LeverError(f"{self.key}: {value!r} is not a number") from None
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            raise LeverError(f"{self.key} = {value} is out of bounds: it must be in "
                             f"[{self.minimum:g}, {self.maximum:g}]")
        if self.integer:
            if number != int(number):
                raise LeverError(f"{self.key} = {value} must be a whole number")
            return int(number)
        return number

    def as_dict(self):
        return asdict(self)


def parameter_bounds(binary):
    """{`flywheel params` key: (lowest, highest, meaning)}, None where a parameter has no bound."""
    result = subprocess.run([str(binary), "params", "--format", "json"], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise LeverError(f"{binary} params failed: {result.stderr.strip()}")
    bounds = {}
    for entry in json.loads(result.stdout):
        allowed = entry.get("allowed", "")
        interval = re.fullmatch(r"in \[(\S+), (\S+)\]", allowed)
        low = high = None
        if interval:
            low, high = float(interval[1]), float(interval[2])
        elif most := re.fullmatch(r"at most (\S+)", allowed):
            high = float(most[1])
        elif least := re.fullmatch(r"at least (\S+)", allowed):
            low = float(least[1])
        bounds[entry["key"]] = (low, high, entry.get("meaning", ""))
    return bounds


def read_levers_file(path):
    """The levers file as (scale, entries); raises LeverError naming what is wrong with it."""
    try:
        spec = yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise LeverError(f"{path}: {error}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("levers"), list):
        raise LeverError(f"{path}: expected a mapping with a list `levers` (and optionally `scale`)")
    for entry in spec["levers"]:
        if not isinstance(entry, dict) or "key" not in entry or set(entry) - _ENTRY_KEYS:
            raise LeverError(f"{path}: each lever is a mapping with `key` and optionally "
                             f"{', '.join(sorted(_ENTRY_KEYS - {'key'}))}; found {entry!r}")
    scale = spec.get("scale") or {}
    if not isinstance(scale, dict) or set(scale) - _SCALE_KEYS:
        raise LeverError(f"{path}: `scale` holds only {', '.join(f'`{k}`' for k in sorted(_SCALE_KEYS))}; "
                         f"found {scale!r}")
    _check_scale(scale, path)
    return scale, spec["levers"]


def _check_scale(scale, path):
    """Raises LeverError unless `scale`'s shares are in (0, 1] and its `shrink` entries are well formed."""
    plain = scale.get("set") or {}
    if not isinstance(plain, dict):
        raise LeverError(f"{path}: scale.set is a mapping of `--set` keys to values; found {plain!r}")
    for name, count in _SHARED_COUNTS.items():
        if name not in scale:
            continue
        share = scale[name]
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise LeverError(f"{path}: scale.{name} = {share!r}: a share of the scenario's {count} must be a "
                             f"number in (0, 1]")
        if count in plain:
            raise LeverError(f"{path}: scale.{name} and scale.set's {count} both set {count}: keep one")
    shrink = scale.get("shrink")
    if shrink is None:
        return
    if "customers" not in scale:
        raise LeverError(f"{path}: scale.shrink multiplies by the customers' share: give scale.customers")
    if not isinstance(shrink, list):
        raise LeverError(f"{path}: scale.shrink is a list of `--set` keys; found {shrink!r}")
    for entry in shrink:
        entry = {"key": entry} if isinstance(entry, str) else entry
        if (not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or set(entry) - _SHRINK_KEYS
                or not isinstance(entry.get("power", 1), (int, float)) or isinstance(entry.get("power"), bool)
                or not all(_names(entry.get(name)) for name in ("metric", "lever"))):
            raise LeverError(f"{path}: each of scale.shrink is a key, or a mapping with `key` and optionally "
                             f"`metric`, `lever` (a name or a list of names) and `power` (a number); "
                             f"found {entry!r}")
        if entry["key"] in plain:
            raise LeverError(f"{path}: {entry['key']} is both in scale.set and in scale.shrink: keep one")


def scale_overrides(scale, config, bounds=None, source="levers file"):
    """The `--set` overrides (key: value) that `scale`'s shares make of the resolved scenario `config`.

    `customers` and `categories` are shares of customers.count and market.categories (rounded, at least 1;
    market.shards, of `scale.set` or the scenario, is lowered to the categories where it exceeds them).
    Each of `shrink` (a key with {platform} and {mechanism} templates, optionally only for mechanisms of a
    `metric` or `lever`) is multiplied by the customers' share to the `power` (default 1): the money a day
    that does not grow with orders (fixed costs, money levers), and money stocks sized to the market. Values
    that are not numbers in the scenario (an unset trigger) are left alone. Raises LeverError for a key that
    `bounds` (parameter_bounds()'s, when given) does not know.
    """
    overrides = {}
    for name, key in _SHARED_COUNTS.items():
        if name in scale:
            value = _reach(config, key)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise LeverError(f"{source}: scale.{name}: the scenario has no number {key} ({value!r})")
            overrides[key] = max(1, round(scale[name] * value))
    shards = (scale.get("set") or {}).get("market.shards", _reach(config, "market.shards"))
    if "market.categories" in overrides and isinstance(shards, int) and shards > overrides["market.categories"]:
        overrides["market.shards"] = overrides["market.categories"]  # each shard owns at least one category
    share = scale.get("customers", 1)
    for entry in scale.get("shrink") or []:
        entry = {"key": entry} if isinstance(entry, str) else entry
        template = entry["key"]
        parameter = re.sub(r"\.\{(platform|mechanism)\}", "[]", template)
        if bounds is not None and parameter not in bounds:
            raise LeverError(f"{source}: scale.shrink: {template}: no such parameter (`flywheel params` lists them)")
        factor = share ** entry.get("power", 1)
        for names, value in _expand(template.split("."), config, entry.get("metric"), lever=entry.get("lever")):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                overrides[_fill(template, names)] = float(f"{value * factor:.12g}")
    return overrides


def _names(value):
    """Whether `value` is a filter of _expand: None, a name or a list of names."""
    return value is None or isinstance(value, str) or (isinstance(value, list) and all(
        isinstance(name, str) for name in value))


def _reach(config, key):
    tree = config
    for segment in key.split("."):
        tree = tree.get(segment) if isinstance(tree, dict) else None
    return tree


def make_levers(entries, config, bounds, source="levers file"):
    """The sliders that `entries` (a levers file's) make for the resolved scenario `config` (nested dicts).

    `bounds` is parameter_bounds()'s. Raises LeverError for an unknown parameter, bounds outside the
    parameter's own, or a lever without bounds.
    """
    levers = []
    for entry in entries:
        template = str(entry["key"])
        parameter = re.sub(r"\.\{(platform|mechanism)\}", "[]", template)
        if parameter not in bounds:
            raise LeverError(f"{source}: {template}: no such parameter (`flywheel params` lists them)")
        low, high, meaning = bounds[parameter]
        for names, value in _expand(template.split("."), config, entry.get("metric"), lever=entry.get("lever")):
            key = _fill(template, names)
            levers.append(_lever(entry, key, names, value, low, high, meaning, source))
    return levers


def _lever(entry, key, names, value, low, high, meaning, source):
    minimum = entry.get("min", low)
    maximum = entry.get("max", high)
    if minimum is None or maximum is None:
        raise LeverError(f"{source}: {entry['key']}: the parameter has no bounds: give `min` and `max`")
    if (low is not None and minimum < low) or (high is not None and maximum > high) or minimum >= maximum:
        raise LeverError(f"{source}: {entry['key']}: [{minimum:g}, {maximum:g}] is not within the parameter's "
                         f"bounds [{'-inf' if low is None else f'{low:g}'}, {'inf' if high is None else f'{high:g}'}]")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise LeverError(f"{source}: {key}: not a number in the scenario ({value!r})")
    step = entry.get("step", (maximum - minimum) / 100)
    integer = float(step) == int(step) and float(minimum) == int(minimum)
    # The scenario's own value is always on the slider, even outside the narrowed range.
    return Lever(key=key, label=entry.get("label") or _label(key, names), group=names.get("platform", "market"),
                 minimum=min(minimum, value), maximum=max(maximum, value), step=step, value=value,
                 integer=integer, meaning=meaning)


def _expand(segments, tree, metric, names=None, lever=None):
    """(names of the placeholders, value) for each place in `tree` that the key's segments reach; {mechanism}
    only where the mechanism observes `metric` and moves `lever` (each a name or a list of names; None: any)."""
    names = names or {}
    if not segments:
        yield names, tree
        return
    head, rest = segments[0], segments[1:]
    if head in _PLACEHOLDERS:
        for item in tree if isinstance(tree, list) else []:
            if head == "{mechanism}" and not (_matches(item.get("metric"), metric)
                                              and _matches(item.get("lever"), lever)):
                continue
            yield from _expand(rest, item, metric, {**names, head.strip("{}"): item.get("name")}, lever)
    elif isinstance(tree, dict) and head in tree:
        yield from _expand(rest, tree[head], metric, names, lever)
    elif isinstance(tree, list):  # a list item by name, as `--set platforms.alpha.take_rate` takes it
        for item in tree:
            if isinstance(item, dict) and item.get("name") == head:
                yield from _expand(rest, item, metric, names, lever)


def _matches(value, wanted):
    return wanted is None or value in ([wanted] if isinstance(wanted, str) else wanted)


def _fill(template, names):
    for name, value in names.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _label(key, names):
    """A slider's default label: its key after the platform, mechanisms by name."""
    if "mechanism" in names:
        return f"{names['mechanism']}: {key.rsplit('.', 1)[-1]}"
    tail = key.split(".", 2)[-1] if "platform" in names else key
    return tail.replace(".", " ").replace("_", " ")


def check_seed(seed):
    """The seed as an int; raises LeverError unless it is a whole number in [0, 2^64 - 1]."""
    try:
        number = int(str(seed).strip())
    except ValueError:
        raise LeverError(f"seed: {seed!r} is not a whole number") from None
    if not 0 <= number < 2**64:
        raise LeverError(f"seed = {number} is out of bounds: it must be in [0, 2^64 - 1]")
    return number


def format_value(value):
    """A lever's value as `--set` and the page write it: whole numbers without a point."""
    return str(value) if isinstance(value, int) else repr(float(value))
