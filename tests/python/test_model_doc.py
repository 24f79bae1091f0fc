"""docs/model.md cannot drift from the code silently (issue #18): the state table
is `flywheel state`'s output, and every parameter, file, test and function it
names exists."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "model.md"
TICKED = re.compile(r"`([^`\n]+)`")
TEST_NAME = re.compile(r"^([A-Z][A-Za-z0-9]*)\.([A-Z*][A-Za-z0-9*]*)$")
IDENTIFIER = re.compile(r"^(?:[A-Za-z_]\w*::)*[A-Za-z_]\w*(?:\(\))?$")
FILE = re.compile(r"^[\w.-]+(?:/[\w.-]+)+\.(?:cpp|hpp|py|yaml|sh|md|ipynb|txt|json)$")


@pytest.fixture(scope="module")
def doc():
    return DOC.read_text()


@pytest.fixture(scope="module")
def ticked(doc):
    """Backticked tokens outside fenced code blocks and the table of renamed (old) keys."""
    prose = re.sub(r"```.*?```", "", doc, flags=re.S)
    prose = re.sub(r"^\| old key \| new key \|\n(?:\|.*\n)*", "", prose, flags=re.M)
    return [m.group(1) for m in TICKED.finditer(prose)]


@pytest.fixture(scope="module")
def parameters(flywheel):
    out = subprocess.run([flywheel, "params"], check=True, capture_output=True, text=True).stdout
    return [m.group(1) for m in re.finditer(r"^\| `([^`]+)` \|", out, flags=re.M)]


def test_the_state_table_is_flywheel_state(flywheel, doc):
    table = subprocess.run([flywheel, "state"], check=True, capture_output=True, text=True).stdout
    assert table.count("\n") > 40
    assert table in doc, "docs/model.md's state table is not `flywheel state`'s output (regenerate it)"


def parameter_like(token, parameters):
    """Whether a dotted token reads as a parameter key: a top-level section of one."""
    sections = {p.split(".")[0].removesuffix("[]") for p in parameters if "." in p}
    head = token.split(".")[0]
    return "." in token and head in sections | {"ranker", "membership", "fulfilment", "first_party", "policy"}


def known_key(token, parameters):
    """A key as `flywheel params` prints it, or its tail (`ranker.exploration`), or a
    platform's key by name (`platforms.alpha.take_rate`), or a section of keys
    (`sellers.bid_policy`); `=value` and `[]` are ignored."""
    key = token.split("=")[0].strip()
    key = re.sub(r"^platforms\.[a-z][\w-]*\.", "platforms.", key).replace("[]", "")
    return any(p == key or p.endswith("." + key) or p.startswith(key + ".") or ("." + key + ".") in p
               for p in (p.replace("[]", "") for p in parameters))


def test_every_parameter_it_names_exists(ticked, parameters):
    unknown = sorted({t for t in ticked if re.fullmatch(r"[\w\[\]]+(\.[\w\[\]]+)+(=\S+)?", t)
                      and not FILE.match(t) and parameter_like(t, parameters) and not known_key(t, parameters)})
    assert not unknown, f"docs/model.md names parameters that `flywheel params` lacks: {unknown}"


def source_file(token):
    """A named file: from the project's root, or a header by its short name
    (`market/shard.hpp` for market/include/flywheel/market/shard.hpp)."""
    library, _, rest = token.partition("/")
    return next((f for f in (ROOT / token, ROOT / library / "include" / "flywheel" / library / rest) if f.exists()),
                None)


def test_every_file_it_names_exists(ticked):
    missing = sorted({t for t in ticked if FILE.match(t) and source_file(t) is None})
    assert not missing, f"docs/model.md names files that do not exist: {missing}"


def test_every_test_it_names_exists(ticked):
    tests = "".join(p.read_text() for p in (ROOT / "tests").rglob("*.cpp"))
    defined = set(re.findall(r"\bTEST(?:_F|_P)?\(\s*(\w+),\s*(\w+)\)", tests))
    suites = {s for s, _ in defined}
    missing = []
    for t in ticked:
        m = TEST_NAME.match(t)
        if not m or m.group(1) not in suites and not re.search(r"[a-z]", m.group(2)):
            continue
        suite, name = m.groups()
        pattern = re.compile("^" + re.escape(name).replace(r"\*", ".*") + "$")
        if not any(s == suite and pattern.match(n) for s, n in defined):
            missing.append(t)
    assert not missing, f"docs/model.md names tests that do not exist: {sorted(set(missing))}"


def test_every_function_on_a_code_line_exists(doc):
    """Each `Code:` paragraph names functions and the files that hold them."""
    lines = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc) if p.lstrip("-* ").startswith("Code:")]
    assert len(lines) > 20
    missing = []
    for line in lines:
        tokens = TICKED.findall(line)
        files = [source_file(t) for t in tokens if FILE.match(t)]
        text = "".join(f.read_text() for f in files if f is not None)
        for t in tokens:
            if FILE.match(t) or TEST_NAME.match(t) or not IDENTIFIER.match(t):
                continue
            name = t.removesuffix("()").split("::")[-1]
            if not re.search(r"\b" + re.escape(name) + r"\b", text):
                missing.append(f"{t} ({line.strip()[:60]})")
    assert not missing, f"docs/model.md's Code: lines name functions not in their files: {missing}"
