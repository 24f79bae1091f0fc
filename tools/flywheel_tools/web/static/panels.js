"use strict";
// The headline panels of a run, one Chart.js line chart each, a line per platform. A second run (explore's
// previous one) can be drawn beside it, each platform in its own colour faded and dashed, so that the two
// compare platform by platform. Data come as the server's updates: {platforms, panels, ticks, series:
// {panel: [values per platform]}}, appended as the run goes.

const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const FADED = "80";  // the previous run's alpha, appended to a colour (#rrggbbaa)
const COMPACT = new Intl.NumberFormat("en", {notation: "compact", maximumSignificantDigits: 3});

class Panels {
  constructor(container, legend) {
    this.container = container;
    this.legend = legend;
    this.charts = new Map();        // panel name -> Chart
    this.runs = {current: null, previous: null};  // role -> {platforms, points: {panel: [[{x, y}]]}}
  }

  // Forgets a run's data (a new run, or a file replaced by a new one).
  reset(role) {
    this.runs[role] = null;
  }

  // Adds an update's ticks to the run in `role` ("current" or "previous"); draw() shows them.
  append(role, update) {
    if (!update.panels || update.panels.length === 0) return;
    this.layout(update.panels);
    let run = this.runs[role];
    if (!run) {
      run = this.runs[role] = {platforms: update.platforms, points: {}};
      for (const panel of update.panels) run.points[panel.name] = update.platforms.map(() => []);
    }
    for (const [name, columns] of Object.entries(update.series)) {
      columns.forEach((values, p) => {
        const line = run.points[name][p];
        values.forEach((y, i) => line.push({x: update.ticks[i], y}));
      });
    }
  }

  // Fixes the x axis to the run's planned days, so that the lines grow across it as the run goes.
  setDays(days) {
    if (!days || this.days === days) return;
    this.days = days;
    for (const chart of this.charts.values()) {
      chart.options.scales.x.min = 0;
      chart.options.scales.x.max = days - 1;
    }
  }

  // One chart per panel, made once (a panel appears once its series exist, as welfare in later files).
  layout(panels) {
    for (const panel of panels) {
      if (this.charts.has(panel.name)) continue;
      const box = document.createElement("section");
      box.className = "panel";
      box.dataset.panel = panel.name;
      const title = document.createElement("h2");
      title.textContent = panel.title;
      const holder = document.createElement("div");
      holder.className = "canvas-holder";
      const canvas = document.createElement("canvas");
      holder.append(canvas);
      box.append(title, holder);
      this.container.append(box);
      const chart = new Chart(canvas, chartOptions(panel));
      if (this.days) Object.assign(chart.options.scales.x, {min: 0, max: this.days - 1});
      this.charts.set(panel.name, chart);
    }
  }

  // A line per platform and run, the previous run's first (drawn under the current's), in the platform's
  // colour: the previous run's faded and dashed. Both runs are of one scenario: the same platforms, in order.
  lines() {
    const lines = [];
    for (const role of ["previous", "current"]) {
      const run = this.runs[role];
      if (!run) continue;
      const previous = role === "previous";
      run.platforms.forEach((platform, p) => lines.push({
        label: previous ? `previous: ${platform}` : platform,
        colour: COLOURS[p % COLOURS.length] + (previous ? FADED : ""),
        dash: previous ? [5, 3] : [],
        points: (name) => run.points[name] && run.points[name][p]}));
    }
    return lines;
  }

  draw() {
    const lines = this.lines();
    for (const [name, chart] of this.charts) {
      chart.data.datasets = lines.filter((line) => line.points(name)).map((line) => ({
        label: line.label, data: line.points(name), borderColor: line.colour, borderDash: line.dash,
        borderWidth: 1.5, pointRadius: 0}));
      chart.update("none");
    }
    this.drawLegend(lines);
  }

  // The lines' names and colours, once for every panel.
  drawLegend(lines) {
    const items = lines.map((line) => [line.label, line.colour, line.dash.length ? "dashed" : ""]);
    const key = JSON.stringify(items);
    if (this.legend.dataset.key === key) return;
    this.legend.dataset.key = key;
    this.legend.replaceChildren(...items.map(([name, colour, style]) => {
      const item = document.createElement("span");
      item.className = `legend-item ${style}`;
      item.style.setProperty("--colour", colour);
      item.textContent = name;
      return item;
    }));
  }
}

function chartOptions(panel) {
  const format = panel.unit === "%" ? (v) => `${COMPACT.format(v)}%` : (v) => COMPACT.format(v);
  // The server clips a panel with a limit (the margin) there: a value at it may lie anywhere beyond.
  const clipped = (v) => panel.limit && Math.abs(v) >= panel.limit;
  const tooltipValue = (v) => (clipped(v) ? `${v < 0 ? "≤" : "≥"} ` : "") + format(v);
  return {
    type: "line",
    data: {datasets: []},
    options: {
      animation: false,
      parsing: false,        // points are {x, y} already: no parsing, and decimation can work
      normalized: true,
      spanGaps: false,
      maintainAspectRatio: false,
      interaction: {mode: "nearest", axis: "x", intersect: false},
      plugins: {
        legend: {display: false},
        decimation: {enabled: true, algorithm: "lttb", samples: 600},
        tooltip: {callbacks: {label: (item) => `${item.dataset.label}: ${tooltipValue(item.parsed.y)}`}},
      },
      scales: {
        x: {type: "linear", title: {display: true, text: "day"}, ticks: {maxTicksLimit: 8, includeBounds: false}},
        // A margin's axis always shows 0, break-even, whichever side of it the lines are.
        y: {ticks: {callback: format, maxTicksLimit: 6}, ...(panel.limit && {suggestedMin: 0, suggestedMax: 0})},
      },
    },
  };
}

// Page helpers both pages use.
function text(id, value) {
  document.getElementById(id).textContent = value;
}

function showMessage(message) {
  const box = document.getElementById("message");
  box.hidden = !message;
  box.textContent = message || "";
}
