"use strict";
// `explore`: a slider per lever; a change (slider released, value typed, seed changed, Run) asks the server
// for a new run, which stops the one going. The page polls the current run's ticks and draws them over the
// previous run's (faded, dashed); the server checks every value against its bounds and says what it refused.

const POLL_MS = 500, ERROR_POLL_MS = 2000;
// Sliders dragged in quick succession start one run, not one per step.
const CHANGE_DELAY_MS = 250;

const panels = new Panels(document.getElementById("panels"), document.getElementById("legend"));
const shown = {current: null, previous: null};   // role -> run id drawn
const seen = {current: 0, previous: 0};          // role -> ticks drawn
const finished = {current: false, previous: false};
let levers = [], changeTimer = null;

async function getJSON(url, options) {
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function leverRow(lever) {
  const row = document.createElement("div");
  row.className = "lever";
  row.title = lever.meaning;
  const label = document.createElement("label");
  label.textContent = lever.label;
  const slider = Object.assign(document.createElement("input"), {
    type: "range", min: lever.minimum, max: lever.maximum, step: lever.step, value: lever.value});
  const box = Object.assign(document.createElement("input"), {type: "number", step: "any", value: lever.value});
  for (const input of [slider, box]) {
    input.dataset.key = lever.key;
    input.setAttribute("aria-label", lever.key);
  }
  slider.className = "lever-slider";
  box.className = "lever-value";
  label.htmlFor = slider.id = `lever-${lever.key}`;
  slider.addEventListener("input", () => { box.value = slider.value; markChanged(row, lever, slider.value); });
  slider.addEventListener("change", scheduleRun);
  // A typed value goes to the server unclamped: it checks the bounds and says what is wrong.
  box.addEventListener("change", () => { slider.value = box.value; markChanged(row, lever, box.value); scheduleRun(); });
  row.append(label, slider, box);
  return row;
}

function markChanged(row, lever, value) {
  row.classList.toggle("changed", Number(value) !== lever.value);
}

function buildControls(spec) {
  levers = spec.levers;
  text("scenario", spec.scenario);
  text("config", spec.config);
  text("scale", [`${spec.ticks} days`, ...spec.scale].join(", "));
  document.getElementById("scale").title = spec.scale_overrides.join("\n");  // every --set of the scale-down
  document.getElementById("seed").value = spec.seed;
  const groups = new Map();
  for (const lever of spec.levers) {
    if (!groups.has(lever.group)) {
      const fieldset = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = lever.group;
      fieldset.append(legend);
      groups.set(lever.group, fieldset);
    }
    groups.get(lever.group).append(leverRow(lever));
  }
  document.getElementById("levers").replaceChildren(...groups.values());
}

function values() {
  const result = {};
  for (const box of document.querySelectorAll("input.lever-value")) result[box.dataset.key] = box.value;
  return result;
}

function scheduleRun() {
  clearTimeout(changeTimer);
  changeTimer = setTimeout(startRun, CHANGE_DELAY_MS);
}

async function startRun() {
  clearTimeout(changeTimer);
  try {
    await getJSON("/api/runs", {method: "POST", headers: {"Content-Type": "application/json"},
                                body: JSON.stringify({seed: document.getElementById("seed").value, values: values()})});
    showMessage(null);
  } catch (error) {
    showMessage(`not run: ${error.message}`);
  }
}

function describe(run, role) {
  if (!run) return "";
  const changes = run.overrides.length ? run.overrides.join(", ") : "the scenario's values";
  return `${role} run ${run.id}: seed ${run.seed}; ${changes}`;
}

function showRun(role, run, update) {
  if (role === "previous") {
    text("previous-run", run ? `${describe(run, "previous")} (faded, dashed)` : "");
    return;
  }
  text("current-run", describe(run, "current"));
  const status = document.getElementById("status");
  status.textContent = update.status;
  status.className = `status ${update.status}`;
  text("ticks", update.ticks_written);
  text("ticks-planned", update.ticks_planned ?? "?");
  const progress = document.getElementById("progress");
  progress.max = update.ticks_planned || 1;
  progress.value = update.ticks_written;
  // The update's own account of the run: `run`, from /api/runs a moment earlier, may predate its failure.
  const latest = update.run || run;
  if (latest.error) showMessage(`run ${latest.id} failed: ${latest.error}`);
}

// Brings one role's drawing up to date with the server's run in that role.
async function follow(role, run) {
  const id = run ? run.id : null;
  if (id !== shown[role]) {
    panels.reset(role);
    shown[role] = id;
    seen[role] = 0;
    finished[role] = false;
  }
  if (!run) {
    if (role === "previous") showRun(role, null);
    return;
  }
  if (finished[role]) return;
  const update = await getJSON(`/api/update?run=${id}&from=${seen[role]}`);
  if (shown[role] !== id) return;  // replaced while we waited
  panels.setDays(update.ticks_planned);
  panels.append(role, update);
  seen[role] = update.ticks_written;
  finished[role] = !["starting", "running"].includes(update.status);
  showRun(role, run, update);
}

async function poll() {
  let delay = POLL_MS;
  try {
    const runs = await getJSON("/api/runs");
    await follow("previous", runs.previous);
    await follow("current", runs.current);
    panels.draw();
  } catch (error) {
    showMessage(`cannot reach the explore server: ${error.message}`);
    delay = ERROR_POLL_MS;
  }
  setTimeout(poll, delay);
}

async function main() {
  buildControls(await getJSON("/api/levers"));
  const form = document.getElementById("controls");
  form.addEventListener("submit", (event) => { event.preventDefault(); startRun(); });
  document.getElementById("seed").addEventListener("change", scheduleRun);
  document.getElementById("stop").addEventListener("click", async () => {
    clearTimeout(changeTimer);
    await getJSON("/api/stop", {method: "POST"});
  });
  document.getElementById("reset").addEventListener("click", () => {
    for (const row of document.querySelectorAll(".lever")) {
      const lever = levers.find((l) => l.key === row.querySelector("input").dataset.key);
      for (const input of row.querySelectorAll("input")) input.value = lever.value;
      row.classList.remove("changed");
    }
    scheduleRun();
  });
  poll();
}

main().catch((error) => showMessage(`cannot start: ${error.message}`));
