"""flywheel_tools watch and explore: the pages in a real headless Chromium (Selenium), the servers' handling of
bad input, and their stopping on Ctrl-C or SIGTERM without leaving a process behind."""

import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import h5py
import numpy as np
import pytest

from flywheel_tools import run_scenario
from flywheel_tools.web.levers import (DEFAULT_LEVERS, LeverError, make_levers, parameter_bounds, read_levers_file,
                                       scale_overrides)
from flywheel_tools.web.panels import MARGIN_LIMIT, MARGIN_WINDOW, read_update

from conftest import wait_for_ticks

# Selenium's names, where it is installed (the browser fixture skips the tests that need it otherwise).
try:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    Keys = TimeoutException = WebDriverWait = None

CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 120  # seconds: generous, for a busy two-core machine


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium driven by Selenium (Debian's python3-selenium, chromium, chromium-driver)."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="python3-selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    if not CHROMEDRIVER.is_file():
        pytest.skip(f"{CHROMEDRIVER} is missing: install chromium and chromium-driver (tools/install-deps.sh)")
    options = webdriver.ChromeOptions()
    # As root (CI), Chromium runs only without its sandbox; /dev/shm is small in containers.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,800"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def wait_until(browser, condition, message):
    """Polls `condition(browser)` until it is truthy (returned), failing after WAIT seconds with `message` and
    what the page said then (its status, run and message lines), so that a rare timeout says why."""
    try:
        return WebDriverWait(browser, WAIT, poll_frequency=0.1).until(condition)
    except TimeoutException:
        shown = {element_id: browser.execute_script(
            f"const e = document.getElementById('{element_id}'); return e ? e.textContent : null")
            for element_id in ("status", "current-run", "previous-run", "message")}
        raise AssertionError(f"{message}: not within {WAIT} s; the page shows {shown}") from None


def text(browser, element_id):
    return browser.find_element("id", element_id).text


class Server:
    """`python3 -m flywheel_tools COMMAND ... --port 0`, started and stopped as a user would."""

    def __init__(self, *args, port=0):
        # Its own TMPDIR, where explore keeps its runs' files: to check that it removes them.
        self.tmp = Path(tempfile.mkdtemp(prefix="flywheel-web-test-"))
        self.process = subprocess.Popen([sys.executable, "-m", "flywheel_tools", *map(str, args), "--port", str(port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "TMPDIR": str(self.tmp)})
        line = self._line()
        match = re.search(r"serving (http://\S+/)", line)
        if not match:
            self.kill()
            raise AssertionError(f"no address in {line!r}; stderr: {self.process.stderr.read()}")
        self.url = match[1]

    def _line(self):
        ready, _, _ = select.select([self.process.stdout], [], [], WAIT)
        return self.process.stdout.readline() if ready else ""

    def get(self, path):
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=WAIT) as response:
            return json.load(response)

    def post(self, path, body):
        request = urllib.request.Request(self.url + path.lstrip("/"), data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def children(self):
        """The server's live child processes (explore's flywheel runs), by pid."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                children.append(int(stat.parent.name))
        return children

    def stop(self, signum=signal.SIGINT):
        """Stops the server as Ctrl-C (or `signum`) does; returns (exit status, stdout, stderr)."""
        self.process.send_signal(signum)
        out, err = self.process.communicate(timeout=WAIT)
        return self.process.returncode, out, err

    def kill(self):
        """Ends a server a test left going (SIGTERM, so that it ends its runs, then SIGKILL); fails if it left
        files behind."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.communicate(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()
        left = list(self.tmp.iterdir())
        shutil.rmtree(self.tmp, ignore_errors=True)
        assert not left, f"the server left {left}"


def is_gone(pid):
    """Whether process `pid` has ended (a zombie that its parent has not reaped yet counts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def wait_for(condition, message, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message)


# --- watch -------------------------------------------------------------------------------------------------


def test_watch_follows_a_run_being_written_until_it_is_complete(flywheel, scenario, tmp_path, browser):
    ticks = 400
    out = tmp_path / "live.h5"
    # A flush every tick (not every second): the file grows tick by tick.
    run = subprocess.Popen([flywheel, "run", str(scenario(ticks=ticks, flush=1)), "-o", str(out), "--threads", "1",
                            "--set", "output.flush_seconds=0"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = None
    try:
        wait_for_ticks(out, 1, run)
        run.send_signal(signal.SIGSTOP)  # held mid-run, so that the page sees it running on any machine
        server = Server("watch", out)
        browser.get(server.url)
        wait_until(browser, lambda b: text(b, "status") == "running", "the page shows the run as running")
        legend = text(browser, "legend")
        assert "alpha" in legend and "beta" in legend, legend
        wait_until(browser, lambda b: int(text(b, "ticks")) > 0, "the page shows the ticks written")
        held = int(text(browser, "ticks"))
        assert 0 < held < ticks and text(browser, "ticks-planned") == str(ticks)
        panels = [e.get_attribute("data-panel") for e in browser.find_elements("css selector", "section.panel")]
        assert panels[:3] == ["active_customers", "orders", "third_party_unit_share"] and "welfare" in panels
        run.send_signal(signal.SIGCONT)
        seen = set()

        def complete(b):
            seen.add(int(text(b, "ticks")))
            return text(b, "status") == "complete"

        wait_until(browser, complete, "the page shows the run as complete")
        assert run.wait(timeout=WAIT) == 0
        wait_until(browser, lambda b: int(text(b, "ticks")) == ticks, "the page shows every tick")
        assert max(seen) > held, "the tick count grew"
        assert not browser.find_element("id", "message").is_displayed()
        status, _, err = server.stop()
        assert status == 0, err
    finally:
        run.send_signal(signal.SIGCONT)
        if run.poll() is None:
            run.kill()
        run.communicate()
        if server:
            server.kill()


def test_watch_shows_a_finished_run_and_stops_on_sigterm(small_run, browser):
    path = small_run("flywheel.yaml", ticks=120)
    server = Server("watch", path)
    try:
        browser.get(server.url)
        wait_until(browser, lambda b: text(b, "status") == "complete", "status complete")
        wait_until(browser, lambda b: text(b, "ticks") == "120", "all 120 ticks")
        assert "everything-store" in text(browser, "legend")
        assert text(browser, "scenario") == "flywheel"
        margin = browser.find_element("css selector", "[data-panel=operating_margin] h2").text
        assert margin == f"{MARGIN_WINDOW}-day operating margin (clipped at ±{MARGIN_LIMIT:g}%)"
        state = server.get("/api/update?from=0")
        assert state["platforms"] == ["everything-store"] and len(state["ticks"]) == 120
    finally:
        status, out, err = server.stop(signal.SIGTERM)
    assert status == 0, err
    assert out.splitlines()[-1] == "watch: stopped"


def test_watch_reads_an_interrupted_or_a_failed_run_as_such(flywheel, scenario, tmp_path):
    stopped = tmp_path / "stopped.h5"
    subprocess.run([flywheel, "run", str(scenario(ticks=100)), "-o", str(stopped), "--stop-after", "30"],
                   check=True, capture_output=True, timeout=WAIT)
    failed = tmp_path / "failed.h5"
    shutil.copy(stopped, failed)
    with h5py.File(failed, "r+") as f:
        f.attrs.modify("status", b"failed")  # as flywheel leaves it after a failed write
    for path, status in ((stopped, "interrupted"), (failed, "failed")):
        server = Server("watch", path)
        try:
            state = server.get("/api/update?from=0")
        finally:
            server.kill()
        assert (state["status"], state["ticks_written"], state["ticks_planned"]) == (status, 30, 100)


def test_watch_refuses_what_is_not_a_flywheel_output(tmp_path):
    text_file = tmp_path / "notes.h5"
    text_file.write_text("not HDF5")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.arange(3)
    for path, expected in ((tmp_path / "missing.h5", "no such file"), (text_file, "not a flywheel output"),
                           (other, "not a flywheel output"), (tmp_path, "a directory")):
        result = subprocess.run([sys.executable, "-m", "flywheel_tools", "watch", str(path), "--port", "0"],
                                capture_output=True, text=True, timeout=WAIT)
        assert result.returncode == 1, (path, result.stdout)
        assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
        assert result.stderr.startswith(f"flywheel_tools watch: error: {path}")


def test_a_port_in_use_is_refused_with_a_clear_message(small_run):
    path = small_run("flywheel.yaml", ticks=120)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "flywheel_tools", "watch", str(path), "--port", str(port)],
                                capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr and "--port 0" in result.stderr, result.stderr


def margin_afresh(path):
    """The operating margin per tick and platform, window by window from the file's books, as the mechanisms
    observe it: none until the window is whole nor where its revenue is not positive; in percent, clipped."""
    with h5py.File(path, "r") as f:
        profit, revenue = f["operating_profit"][:], f["revenue"][:]
    raw = np.full(profit.shape, np.nan)
    for t in range(MARGIN_WINDOW - 1, len(profit)):
        window = slice(t + 1 - MARGIN_WINDOW, t + 1)
        raw[t] = [100 * p / r if r > 0 else np.nan for p, r in zip(profit[window].sum(0), revenue[window].sum(0))]
    return raw, np.clip(raw, -MARGIN_LIMIT, MARGIN_LIMIT)


def margin_panel(update):
    """The update's operating margin series as [tick, platform], None as NaN."""
    return np.array(update["series"]["operating_margin"], dtype=float).T


def test_the_operating_margin_is_over_whole_windows_clipped_whatever_the_first_tick_read(flywheel, tmp_path):
    # The default scenario at full scale (seconds): alpha's and beta's margins lie within the bounds; gamma's, a
    # marketplace with few orders beside its fixed costs, far below them (-200% and less today).
    path = run_scenario("default.yaml", tmp_path / "default.h5", ticks=120, threads=2)
    raw, expected = margin_afresh(path)
    whole, tail = margin_panel(read_update(path, 0)), margin_panel(read_update(path, 70))
    np.testing.assert_allclose(whole, expected)  # NaN where expected is NaN
    np.testing.assert_allclose(tail, expected[70:])
    assert np.isnan(whole[:MARGIN_WINDOW - 1]).all() and not np.isnan(whole[MARGIN_WINDOW - 1:]).any()
    assert np.nanmin(raw) < -MARGIN_LIMIT and np.nanmin(whole) == -MARGIN_LIMIT  # some clipped
    assert (np.abs(whole[MARGIN_WINDOW - 1:]) < MARGIN_LIMIT).any()  # and some not
    panel = next(p for p in read_update(path, 0)["panels"] if p["name"] == "operating_margin")
    assert panel["limit"] == MARGIN_LIMIT and f"{MARGIN_WINDOW}-day" in panel["title"]


def test_a_window_without_revenue_has_no_operating_margin(small_run, tmp_path):
    # A platform that sells nothing for a while (as one that has exited): its windows then have no margin,
    # rather than a launch day's costs over a few cents of revenue.
    path = tmp_path / "quiet.h5"
    shutil.copy(small_run("default.yaml", ticks=120), path)
    with h5py.File(path, "r+") as f:
        f["revenue"][40:100, 1] = 0
    margin = margin_panel(read_update(path, 0))
    assert np.isnan(margin[40 + MARGIN_WINDOW - 1:100, 1]).all()
    assert not np.isnan(margin[MARGIN_WINDOW - 1:40 + MARGIN_WINDOW - 1, 1]).any()
    assert not np.isnan(margin[MARGIN_WINDOW - 1:, [0, 2]]).any()
    np.testing.assert_allclose(margin, margin_afresh(path)[1])
    share = np.array(read_update(path, 0)["series"]["third_party_unit_share"], dtype=float)
    assert 0 <= np.nanmin(share) and np.nanmax(share) <= 100  # in percent


# --- explore -----------------------------------------------------------------------------------------------


@pytest.fixture
def explore(flywheel, scenario):
    server = Server("explore", scenario(ticks=200), "--ticks", 200)
    yield server
    server.kill()


def test_moving_a_slider_starts_a_run_with_its_value_beside_the_previous_one(explore, browser):
    browser.get(explore.url)
    wait_until(browser, lambda b: "current run 1" in text(b, "current-run") and text(b, "status") == "complete",
               "the scenario's own run completes")
    assert "the scenario's values" in text(browser, "current-run")
    # levers.yaml's scale-down: a tenth of the scenario's 2000 customers and 20 categories, its fixed costs too.
    assert text(browser, "scale").startswith("200 days, customers.count=200 (10% of 2000), market.categories=2 "
                                             "(10% of 20), market.shards=2, ×0.1: fulfilment.fixed_cost")
    overrides = explore.get("/api/levers")["scale_overrides"]
    assert "platforms.alpha.fulfilment.fixed_cost=50.0" in overrides and "customers.count=200" in overrides
    assert "alpha" in text(browser, "legend")
    slider = browser.find_element("css selector", "input.lever-slider[data-key='platforms.alpha.take_rate']")
    assert slider.get_attribute("value") == "0.15" and slider.get_attribute("max") == "0.5"
    slider.send_keys(Keys.RIGHT)  # one step of 0.01
    wait_until(browser, lambda b: "current run 2" in text(b, "current-run"), "a new run starts")
    assert "platforms.alpha.take_rate=0.16" in text(browser, "current-run")
    assert "previous run 1" in text(browser, "previous-run")
    wait_until(browser, lambda b: text(b, "status") == "complete", "the new run completes")
    runs = explore.get("/api/runs")
    assert runs["current"]["overrides"] == ["platforms.alpha.take_rate=0.16"]
    assert runs["current"]["values"]["platforms.alpha.take_rate"] == "0.16"
    assert runs["previous"]["id"] == 1
    update = explore.get(f"/api/update?run={runs['current']['id']}&from=0")
    assert update["ticks_written"] == 200 and update["status"] == "complete"
    # The previous run is drawn too, a line per platform in the platform's own colour, faded and dashed.
    datasets = browser.execute_script(
        "return Chart.getChart(document.querySelector('[data-panel=orders] canvas')).data.datasets"
        ".map(d => [d.label, d.borderColor, d.borderDash.length > 0])")
    assert [label for label, _, _ in datasets] == ["previous: alpha", "previous: beta", "alpha", "beta"]
    (_, previous_alpha, _), (_, previous_beta, _), (_, alpha, _), (_, beta, _) = datasets
    assert alpha != beta and previous_alpha == alpha + "80" and previous_beta == beta + "80"  # #rrggbbaa: faded
    assert [dashed for _, _, dashed in datasets] == [True, True, False, False]
    assert text(browser, "legend").split("\n") == ["previous: alpha", "previous: beta", "alpha", "beta"]
    browser.find_element("id", "reset").click()  # back to the scenario's values: another run
    wait_until(browser, lambda b: "current run 3" in text(b, "current-run"), "Reset starts a run")
    assert "the scenario's values" in text(browser, "current-run")
    assert slider.get_attribute("value") == "0.15"


def test_a_run_that_ends_while_its_file_is_read_is_read_again_not_taken_for_failed(tmp_path, monkeypatch):
    """The race behind a rare explore timeout: the file read `running`, the process then ended (having
    written `complete`), and the page was told `failed` for good."""
    from flywheel_tools.web import runs

    path = tmp_path / "run-1.h5"
    path.touch()
    run = runs.Run(1, [sys.executable, "-c", "pass"], path, 7, {}, [])
    statuses = iter(["running", "complete"])

    def read_update(file, start):
        run.process.wait()  # the run ends during the first read, after its status was read
        return {"status": next(statuses), "ticks_written": 200, "ticks": [], "series": {}, "platforms": [],
                "panels": []}

    monkeypatch.setattr(runs, "read_update", read_update)
    assert run.update(0)["status"] == "complete"
    statuses = iter(["running"])
    assert run.update(0)["status"] == "failed"  # a file left `running` by a process that had ended: killed


def test_a_value_out_of_bounds_is_refused_with_a_message_on_the_page(explore, browser):
    browser.get(explore.url)
    wait_until(browser, lambda b: "current run 1" in text(b, "current-run"), "the first run shows")
    box = browser.find_element("css selector", "input.lever-value[data-key='platforms.beta.take_rate']")
    box.clear()
    box.send_keys("0.9", Keys.TAB)
    wait_until(browser, lambda b: b.find_element("id", "message").is_displayed(), "a message")
    assert text(browser, "message") == ("not run: platforms.beta.take_rate = 0.9 is out of bounds: "
                                        "it must be in [0, 0.5]")
    assert explore.get("/api/runs")["current"]["id"] == 1, "no run was started"
    status, body = explore.post("/api/runs", {"seed": 1, "values": {"platforms.beta.take_rate": -1}})
    assert status == 400 and "out of bounds" in body["error"]
    status, body = explore.post("/api/runs", {"seed": 1, "values": {"platforms.beta.nonsense": 1}})
    assert status == 400 and body["error"] == "platforms.beta.nonsense: not one of the sliders"
    status, body = explore.post("/api/runs", {"seed": -3, "values": {}})
    assert status == 400 and "seed" in body["error"]


def test_a_run_that_flywheel_refuses_shows_its_message(flywheel, scenario, tmp_path, browser):
    levers = tmp_path / "levers.yaml"  # a slider whose bounds allow what the scenario's other values do not
    levers.write_text('levers:\n  - {key: "platforms.{platform}.fulfilment.min_delivery_days", max: 20, step: 1}\n')
    server = Server("explore", scenario(ticks=50), "--levers", levers)
    try:
        browser.get(server.url)
        wait_until(browser, lambda b: "current run 1" in text(b, "current-run"), "the first run shows")
        box = browser.find_element("css selector",
                                   "input.lever-value[data-key='platforms.alpha.fulfilment.min_delivery_days']")
        box.clear()
        box.send_keys("10", Keys.TAB)
        wait_until(browser, lambda b: text(b, "status") == "failed", "the run failed")
        message = text(browser, "message")
        assert message.startswith("run 2 failed: flywheel: error: --set platforms.alpha.fulfilment.min_delivery_days=10")
        assert "must not exceed base_delivery_days" in message
    finally:
        server.kill()


@pytest.mark.parametrize("signals", [[signal.SIGINT], [signal.SIGTERM], [signal.SIGINT, signal.SIGINT],
                                     [signal.SIGINT, signal.SIGTERM]], ids=["ctrl-c", "sigterm", "ctrl-c twice",
                                                                           "ctrl-c then sigterm"])
def test_a_signal_ends_explore_and_its_run_leaving_no_process_nor_file(flywheel, scenario, signals):
    server = Server("explore", scenario(ticks=100), "--ticks", 1_000_000)  # the run goes on until stopped
    try:
        wait_for(server.children, "explore starts flywheel")
        runs = server.children()
        wait_for(lambda: server.get("/api/update?run=1&from=0")["status"] == "running", "the run is running")
        for signum in signals:  # a second one (an impatient user) comes during the clean-up
            server.process.send_signal(signum)
            time.sleep(0.01)
        out, err = server.process.communicate(timeout=WAIT)
        assert server.process.returncode == 0, err
        assert out.splitlines()[-1] == "explore: stopped"
        wait_for(lambda: all(is_gone(pid) for pid in runs), "flywheel ended with the server", timeout=30)
    finally:
        server.kill()  # and checks that no file is left


def test_stop_ends_the_run_going_as_interrupted(explore):
    status, run = explore.post("/api/runs", {"seed": 2, "values": {}})
    assert status == 200 and run["id"] == 2
    status, _ = explore.post("/api/stop", {})
    assert status == 200
    update = explore.get("/api/update?run=2&from=0")
    assert update["status"] in ("interrupted", "complete")  # a 200-tick run may have ended already
    assert explore.children() == []


# --- levers ------------------------------------------------------------------------------------------------


def test_levers_take_their_bounds_from_flywheel_params_and_need_them(flywheel):
    bounds = parameter_bounds(flywheel)
    assert bounds["platforms[].take_rate"][:2] == (0.0, 0.99)
    config = {"platforms": [{"name": "a", "take_rate": 0.1, "policy": {"mechanisms": [
        {"name": "m", "metric": "delivery_days", "lever": "delivery_investment", "target": 2},
        {"name": "n", "metric": "cash", "lever": "take_rate", "target": 0}]}}]}
    levers = make_levers([{"key": "platforms.{platform}.take_rate", "max": 0.5},
                          {"key": "platforms.{platform}.policy.mechanisms.{mechanism}.target",
                           "metric": "delivery_days", "min": 1, "max": 6, "step": 0.5}], config, bounds)
    assert [(lever.key, lever.minimum, lever.maximum, lever.value) for lever in levers] == [
        ("platforms.a.take_rate", 0.0, 0.5, 0.1), ("platforms.a.policy.mechanisms.m.target", 1, 6, 2)]
    by_lever = make_levers([{"key": "platforms.{platform}.policy.mechanisms.{mechanism}.target", "lever": "take_rate",
                             "min": -1, "max": 1}], config, bounds)
    assert [lever.key for lever in by_lever] == ["platforms.a.policy.mechanisms.n.target"]
    by_levers = make_levers([{"key": "platforms.{platform}.policy.mechanisms.{mechanism}.target",
                              "lever": ["delivery_investment", "marketing_spend"], "min": 1, "max": 6}], config, bounds)
    assert [lever.key for lever in by_levers] == ["platforms.a.policy.mechanisms.m.target"]
    assert levers[0].check("0.25") == 0.25
    with pytest.raises(LeverError, match=r"platforms.a.take_rate = 0.6 is out of bounds: it must be in \[0, 0.5\]"):
        levers[0].check(0.6)
    with pytest.raises(LeverError, match="not a number"):
        levers[0].check("abc")
    with pytest.raises(LeverError, match="has no bounds: give `min` and `max`"):
        make_levers([{"key": "platforms.{platform}.policy.mechanisms.{mechanism}.target"}], config, bounds)
    with pytest.raises(LeverError, match="not within the parameter's bounds"):
        make_levers([{"key": "platforms.{platform}.take_rate", "max": 2}], config, bounds)
    with pytest.raises(LeverError, match="no such parameter"):
        make_levers([{"key": "platforms.{platform}.take_rat"}], config, bounds)
    whole = make_levers([{"key": "platforms.{platform}.ad_slots", "max": 8, "step": 1}],
                        {"platforms": [{"name": "a", "ad_slots": 0}]}, bounds)[0]
    assert whole.integer and whole.check(3) == 3
    with pytest.raises(LeverError, match="must be a whole number"):
        whole.check(2.5)


def write_levers(tmp_path, scale):
    path = tmp_path / "levers.yaml"
    path.write_text(f"scale: {json.dumps(scale)}\nlevers:\n  - {{key: \"platforms.{{platform}}.take_rate\"}}\n")
    return path


MONEY_LEVERS = ["delivery_investment", "marketing_spend"]


def test_the_scale_down_multiplies_counts_and_money_by_the_share(flywheel, tmp_path):
    mechanism = "platforms.{platform}.policy.mechanisms.{mechanism}"
    scale, _ = read_levers_file(write_levers(tmp_path, {
        "customers": 0.05, "categories": 0.05, "set": {"market.shards": 8},
        "shrink": ["platforms.{platform}.fulfilment.fixed_cost", "platforms.{platform}.credit_line",
                   "platforms.{platform}.marketing_spend",
                   {"key": f"{mechanism}.min", "lever": MONEY_LEVERS},
                   {"key": f"{mechanism}.max", "lever": MONEY_LEVERS},
                   {"key": f"{mechanism}.trigger", "lever": MONEY_LEVERS},
                   {"key": f"{mechanism}.gain", "metric": "cash", "lever": "take_rate", "power": -1}]}))
    config = {"customers": {"count": 1_000_000}, "market": {"categories": 2000, "shards": 64},
              "platforms": [{"name": "a", "credit_line": 1e7, "marketing_spend": 300,
                             "fulfilment": {"fixed_cost": 5000}, "policy": {"mechanisms": [
                                 {"name": "invest", "lever": "delivery_investment", "min": 100, "max": 5000},
                                 {"name": "advertise", "lever": "marketing_spend", "min": 0, "max": 2000,
                                  "trigger": None},
                                 {"name": "fees", "lever": "take_rate", "metric": "cash", "min": 0.06, "max": 0.25,
                                  "gain": 1e-6}]}},
                            {"name": "b", "credit_line": 0, "marketing_spend": 0,
                             "fulfilment": {"fixed_cost": 800}, "policy": {"mechanisms": []}}]}
    overrides = scale_overrides(scale, config, parameter_bounds(flywheel))
    assert overrides == pytest.approx({
        "customers.count": 50_000, "market.categories": 100,
        "platforms.a.fulfilment.fixed_cost": 250, "platforms.b.fulfilment.fixed_cost": 40,
        "platforms.a.credit_line": 5e5, "platforms.b.credit_line": 0,
        "platforms.a.marketing_spend": 15, "platforms.b.marketing_spend": 0,
        # Only the mechanisms moving money a day; the take rate's bounds stay, its gain on cash grows.
        "platforms.a.policy.mechanisms.invest.min": 5, "platforms.a.policy.mechanisms.advertise.min": 0,
        "platforms.a.policy.mechanisms.invest.max": 250, "platforms.a.policy.mechanisms.advertise.max": 100,
        "platforms.a.policy.mechanisms.fees.gain": 2e-5})
    assert list(overrides)[:2] == ["customers.count", "market.categories"]  # scale.set's shards (8) fit in 100
    tiny = {**config, "customers": {"count": 10}, "market": {"categories": 4, "shards": 4}}
    scale, _ = read_levers_file(write_levers(tmp_path, {"customers": 0.01, "categories": 0.3}))
    assert scale_overrides(scale, tiny) == {"customers.count": 1, "market.categories": 1, "market.shards": 1}
    with pytest.raises(LeverError, match="scale.shrink: platforms.{platform}.fixed_cost: no such parameter"):
        scale_overrides({"customers": 0.5, "shrink": ["platforms.{platform}.fixed_cost"]}, config,
                        parameter_bounds(flywheel))


@pytest.mark.parametrize("scale, message", [
    ({"customers": 0}, r"scale.customers = 0: a share of the scenario's customers.count must be a number in \(0, 1\]"),
    ({"customers": 1.5}, r"scale.customers = 1.5: a share"),
    ({"customers": "half"}, r"scale.customers = 'half': a share"),
    ({"customers": True}, r"scale.customers = True: a share"),
    ({"categories": -0.1}, r"scale.categories = -0.1: a share of the scenario's market.categories"),
    ({"customers": 0.1, "set": {"customers.count": 100}}, "scale.customers and scale.set's customers.count both"),
    ({"shrink": ["platforms.{platform}.credit_line"]}, "scale.shrink multiplies by the customers' share"),
    ({"customers": 0.1, "shrink": "platforms.{platform}.credit_line"}, "scale.shrink is a list"),
    ({"customers": 0.1, "shrink": [{"key": "platforms.{platform}.credit_line", "levers": "x"}]},
     "each of scale.shrink is a key, or a mapping"),
    ({"customers": 0.1, "shrink": [{"key": "platforms.{platform}.credit_line", "lever": 3}]},
     "each of scale.shrink is a key, or a mapping"),
    ({"customers": 0.1, "size": 3}, "`scale` holds only"),
], ids=["zero", "over one", "not a number", "a boolean", "negative categories", "twice", "shrink without share",
        "shrink not a list", "bad shrink entry", "bad lever filter", "unknown key"])
def test_a_bad_scale_down_is_refused(tmp_path, scale, message):
    with pytest.raises(LeverError, match=message):
        read_levers_file(write_levers(tmp_path, scale))


def test_the_default_scale_down_keeps_the_default_scenario_s_economy(flywheel):
    # levers.yaml's shares of default.yaml: every money-a-day cost and lever, and what is sized to the market,
    # shrinks with the customers (the margins of a year then come near the full scale's, not at -100% and below).
    scale, _ = read_levers_file(DEFAULT_LEVERS)
    share = scale["customers"]
    config = {"customers": {"count": 1_000_000}, "market": {"categories": 2000, "shards": 64}, "platforms": [
        {"name": "alpha", "credit_line": 1e7, "initial_cash": 1e5, "marketing_spend": 0,
         "fulfilment": {"fixed_cost": 5000, "delivery_investment": 0, "capital_scale": 2e5, "base_capacity": 1000},
         "policy": {"mechanisms": [
             {"name": "hold", "metric": "delivery_days", "lever": "delivery_investment", "gain": -50, "min": 0,
              "max": 5000},
             {"name": "fees", "metric": "operating_margin", "lever": "take_rate", "gain": 0.02, "min": 0.06,
              "max": 0.25},
             {"name": "advertise", "metric": "operating_margin", "lever": "marketing_spend", "gain": -1000, "min": 0,
              "max": 2000}]}}]}
    overrides = scale_overrides(scale, config, parameter_bounds(flywheel))
    assert overrides["customers.count"] == round(1e6 * share)
    assert overrides["market.categories"] == round(2000 * share)  # the same customers per category
    for key, value in {"fulfilment.fixed_cost": 5000, "credit_line": 1e7, "initial_cash": 1e5,
                       "fulfilment.capital_scale": 2e5, "fulfilment.base_capacity": 1000,
                       "policy.mechanisms.hold.max": 5000, "policy.mechanisms.hold.gain": -50,
                       "policy.mechanisms.advertise.max": 2000, "policy.mechanisms.advertise.gain": -1000}.items():
        assert overrides[f"platforms.alpha.{key}"] == pytest.approx(value * share), key
    assert not any(".fees." in key for key in overrides)


def test_explore_refuses_a_scenario_that_does_not_run(flywheel, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nplatforms:\n  - name: a\n    take_rate: 3\n")
    result = subprocess.run([sys.executable, "-m", "flywheel_tools", "explore", str(bad), "--port", "0"],
                            capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 1
    assert "flywheel cannot run it" in result.stderr and "take_rate" in result.stderr, result.stderr
