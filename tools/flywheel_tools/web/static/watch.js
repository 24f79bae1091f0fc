"use strict";
// `watch`: polls /api/update for the ticks past those drawn; once the run has ended it still looks now and
// then, as a rerun may replace the file (its start_time changes, and the panels start again).

const RUNNING_POLL_MS = 1000, ENDED_POLL_MS = 5000, ERROR_POLL_MS = 2000;
// A running file that has not grown for this long may be a killed run's (its status says running for ever).
const IDLE_WARNING_S = 60;

const panels = new Panels(document.getElementById("panels"), document.getElementById("legend"));
let seen = 0, startTime = null;

function showState(state) {
  document.title = `flywheel watch: ${state.scenario} (${state.status})`;
  text("scenario", state.scenario);
  text("path", state.path);
  text("seed", state.seed);
  text("start-time", state.start_time);
  const status = document.getElementById("status");
  status.textContent = state.status;
  status.className = `status ${state.status}`;
  text("ticks", state.ticks_written);
  text("ticks-planned", state.ticks_planned ?? "?");
  const progress = document.getElementById("progress");
  progress.max = state.ticks_planned || 1;
  progress.value = state.ticks_written;
  text("idle", state.status === "running" && state.idle_seconds > IDLE_WARNING_S
    ? `no new tick for ${Math.round(state.idle_seconds)} s: the run may have been killed` : "");
}

async function poll() {
  let delay = RUNNING_POLL_MS;
  try {
    const response = await fetch(`/api/update?from=${seen}`);
    const state = await response.json();
    if (!response.ok) throw new Error(state.error || response.statusText);
    if (state.start_time !== startTime) {  // the first look, or a new run in the file
      startTime = state.start_time;
      panels.reset("current");
      if (state.from !== 0) {
        seen = 0;
        setTimeout(poll, 0);
        return;
      }
    }
    panels.setDays(state.ticks_planned);
    panels.append("current", state);
    panels.draw();
    seen = state.ticks_written;
    showState(state);
    showMessage(null);
    if (state.status !== "running") delay = ENDED_POLL_MS;
  } catch (error) {
    showMessage(`cannot read the run just now: ${error.message}`);
    delay = ERROR_POLL_MS;
  }
  setTimeout(poll, delay);
}

poll();
