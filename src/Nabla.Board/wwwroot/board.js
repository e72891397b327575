// nabla board: the runs table, the overlaid curves (plain SVG) and a run's details, refreshed live from the
// server's change events (/api/events), with polling as the fallback. No library: everything is drawn here.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f", "#7c2d12", "#475569"];
const HIDDEN_CONFIG = new Set(["out", "data_root", "started", "commit", "machine", "version"]);
const CHARTS = [
  { id: "chart-loss", title: "loss", series: [["train_loss", false], ["val_loss", true]], percent: false },
  { id: "chart-accuracy", title: "accuracy", series: [["train_accuracy", false], ["val_accuracy", true]], percent: true },
  { id: "chart-lr", title: "learning rate", series: [["lr", false]], percent: false },
];

const state = {
  runs: [], version: null, selected: new Set(), seen: new Set(), colors: new Map(), current: null,
  sort: { key: "id", dir: 1 }, refreshes: 0, pending: false, again: false,
};

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}
function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}
async function getJson(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(url + ": HTTP " + r.status);
  return r.json();
}
const isNum = v => typeof v === "number" && isFinite(v);
function fmt(v, kind) {
  if (v === null || v === undefined) return "–";
  if (!isNum(v)) return typeof v === "object" ? JSON.stringify(v) : String(v);
  if (kind === "pct") return (100 * v).toFixed(2) + " %";
  if (kind === "loss") return v.toFixed(4);
  if (kind === "int") return String(Math.round(v));
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return String(Math.round(v * 1e4) / 1e4);
}
function colorOf(id) {
  if (!state.colors.has(id)) state.colors.set(id, PALETTE[state.colors.size % PALETTE.length]);
  return state.colors.get(id);
}

// ---- the table ----
function columns() {
  const cols = [
    { key: "id", label: "run", text: true, get: r => r.id || "(root)" },
    { key: "status", label: "status", text: true, get: r => r.status },
    { key: "model", label: "model", text: true, get: r => r.config.model ?? null },
    { key: "data", label: "data", text: true, get: r => r.config.data ?? null },
    { key: "epochs", label: "epochs", get: r => r.final.epochs, kind: "int" },
    { key: "train_loss", label: "train loss", get: r => r.final.train_loss, kind: "loss" },
    { key: "val_accuracy", label: "val acc", get: r => r.final.val_accuracy, kind: "pct" },
    { key: "best_val_accuracy", label: "best val acc", get: r => r.final.best_val_accuracy, kind: "pct" },
    // a run without a test split (your own data) evaluates its final model on validation: not a test figure
    { key: "test_accuracy", label: "test acc", get: r => r.final.test_split === "validation" ? null : r.final.test_accuracy, kind: "pct" },
    { key: "test_loss", label: "test loss", get: r => r.final.test_split === "validation" ? null : r.final.test_loss, kind: "loss" },
    { key: "lr", label: "last lr", get: r => r.final.lr },
    { key: "seconds_total", label: "seconds", get: r => r.final.seconds_total },
  ];
  // Configuration keys whose values differ between runs (the hyper-parameters being compared).
  // Runs without a configuration (e.g. labs) do not count; among the others, a missing key is a value of its own.
  const configured = state.runs.filter(r => Object.keys(r.config).length > 0);
  const keys = new Set(configured.flatMap(r => Object.keys(r.config)).filter(k => !HIDDEN_CONFIG.has(k) && !HIDDEN_CONFIG.has(k.split(".")[0]) && k !== "model" && k !== "data"));
  const varying = [...keys].filter(k => new Set(configured.map(r => JSON.stringify(r.config[k] ?? null))).size > 1);
  for (const k of varying.sort().slice(0, 12))
    cols.push({ key: "config." + k, label: k, text: !state.runs.every(r => r.config[k] == null || isNum(r.config[k])), get: r => r.config[k] ?? null, config: true });
  return cols;
}

function compare(a, b) {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (isNum(a) && isNum(b)) return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function renderTable() {
  const cols = columns();
  const table = document.getElementById("runs");
  const head = el("tr");
  head.append(el("th", { class: "text", text: "" }));
  for (const c of cols) {
    const th = el("th", { class: (c.text ? "text " : "") + (state.sort.key === c.key ? (state.sort.dir > 0 ? "sorted-asc" : "sorted-desc") : ""), "data-key": c.key, text: c.label });
    th.addEventListener("click", () => {
      state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : 1 };
      renderTable();
    });
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  const col = cols.find(c => c.key === state.sort.key) || cols[0];
  const rows = [...state.runs].sort((a, b) => {
    const va = col.get(a), vb = col.get(b);
    if (va == null || vb == null) return compare(va, vb); // missing values last in both directions
    return state.sort.dir * compare(va, vb) || compare(a.id, b.id);
  });
  const body = [];
  for (const r of rows) {
    const tr = el("tr", { "data-run": r.id, class: r.id === state.current ? "current" : "" });
    const box = el("input", { type: "checkbox", "aria-label": "overlay " + r.id });
    box.checked = state.selected.has(r.id);
    box.addEventListener("change", () => {
      if (box.checked) state.selected.add(r.id); else state.selected.delete(r.id);
      renderCharts();
    });
    const sw = el("span", { class: "swatch" });
    sw.style.background = colorOf(r.id);
    tr.append(el("td", { class: "text" }, box, sw));
    for (const c of cols) {
      const v = c.get(r);
      const td = el("td", { class: (c.text ? "text" : "") + (c.key === "status" ? " status-" + v : ""), "data-key": c.key });
      if (c.key === "id") {
        const b = el("button", { class: "run-link", text: v });
        b.addEventListener("click", () => showDetail(r.id));
        td.append(b);
      } else td.textContent = fmt(v, c.kind);
      if (isNum(v)) td.setAttribute("data-value", String(v));
      tr.append(td);
    }
    body.push(tr);
  }
  table.tBodies[0].replaceChildren(...body);
  document.getElementById("count").textContent = "(" + state.runs.length + ")";
  document.getElementById("empty").hidden = state.runs.length > 0;
}

// ---- the charts ----
let histories = {};
async function loadHistories() {
  const ids = state.runs.filter(r => state.selected.has(r.id) && r.final.epochs > 0).map(r => r.id);
  if (ids.length === 0) { histories = {}; return; }
  const q = ids.map(id => "run=" + encodeURIComponent(id)).join("&");
  histories = (await getJson("/api/metrics?" + q)).runs;
}

function niceTicks(lo, hi, n, integer) {
  if (!(hi > lo)) { const d = integer ? 1 : Math.abs(lo) * 0.1 || 1; lo -= d; hi += d; }
  const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
  if (integer) step = Math.max(1, Math.round(step));
  const ticks = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  if (ticks[ticks.length - 1] < hi) ticks.push(+(ticks[ticks.length - 1] + step).toPrecision(12));
  return ticks;
}

function drawChart(spec) {
  const root = document.getElementById(spec.id);
  const W = 420, H = 280, L = 56, R = 12, T = 24, B = 34;
  root.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const lines = [];
  for (const id of Object.keys(histories))
    for (const [key, dashed] of spec.series) {
      const pts = histories[id].history.map(h => ({ x: h.epoch, y: h[key] })).filter(p => isNum(p.x));
      if (pts.some(p => isNum(p.y))) lines.push({ id, key, dashed, pts });
    }
  const all = lines.flatMap(l => l.pts.filter(p => isNum(p.y)));
  const kids = [svg("text", { x: L, y: 15, class: "title" })];
  kids[0].textContent = spec.title;
  if (all.length === 0) {
    const t = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle" });
    t.textContent = "no data for the selected runs";
    kids.push(t);
    root.replaceChildren(...kids);
    root.setAttribute("data-points", "0");
    return;
  }
  const xs = niceTicks(Math.min(...all.map(p => p.x)), Math.max(...all.map(p => p.x)), 6, true);
  const ys = niceTicks(Math.min(...all.map(p => p.y)), Math.max(...all.map(p => p.y)), 5);
  const x0 = xs[0], x1 = xs[xs.length - 1], y0 = ys[0], y1 = ys[ys.length - 1];
  const px = x => L + (x - x0) / (x1 - x0) * (W - L - R), py = y => H - B - (y - y0) / (y1 - y0) * (H - T - B);
  for (const y of ys) {
    kids.push(svg("line", { x1: L, x2: W - R, y1: py(y), y2: py(y), class: "grid" }));
    const t = svg("text", { x: L - 5, y: py(y) + 4, "text-anchor": "end" });
    t.textContent = spec.percent ? +(100 * y).toPrecision(4) + "%" : fmt(y);
    kids.push(t);
  }
  for (const x of xs) {
    const t = svg("text", { x: px(x), y: H - B + 15, "text-anchor": "middle" });
    t.textContent = fmt(x);
    kids.push(t);
  }
  kids.push(svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }), svg("line", { x1: L, x2: L, y1: T, y2: H - B, class: "axis" }));
  const label = svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle" });
  label.textContent = "epoch";
  kids.push(label);
  let count = 0;
  for (const l of lines) {
    const color = colorOf(l.id);
    let d = "", pen = false;
    for (const p of l.pts) {
      if (!isNum(p.y)) { pen = false; continue; } // a non-finite value (null) breaks the line
      d += (pen ? "L" : "M") + px(p.x).toFixed(1) + " " + py(p.y).toFixed(1);
      pen = true;
    }
    const path = svg("path", { d, fill: "none", stroke: color, "stroke-width": 2, "data-run": l.id, "data-series": l.key });
    if (l.dashed) path.setAttribute("stroke-dasharray", "5 4");
    kids.push(path);
    for (const p of l.pts.filter(p => isNum(p.y))) {
      const c = svg("circle", { cx: px(p.x).toFixed(1), cy: py(p.y).toFixed(1), r: 3, fill: l.dashed ? "#fff" : color, stroke: color, "stroke-width": 1.5,
        class: "pt", "data-run": l.id, "data-series": l.key, "data-epoch": p.x, "data-value": p.y });
      const tip = svg("title");
      tip.textContent = `${l.id} · ${l.key} · epoch ${p.x}: ${spec.percent ? fmt(p.y, "pct") : fmt(p.y)}`;
      c.append(tip);
      kids.push(c);
      count++;
    }
  }
  root.replaceChildren(...kids);
  root.setAttribute("data-points", String(count));
}

function renderLegend() {
  const items = state.runs.filter(r => state.selected.has(r.id)).map(r => {
    const sw = el("span", { class: "swatch" });
    sw.style.background = colorOf(r.id);
    return el("span", { "data-run": r.id }, sw, r.id || "(root)");
  });
  document.getElementById("legend").replaceChildren(...items);
}

async function renderCharts() {
  await loadHistories();
  renderLegend();
  CHARTS.forEach(drawChart);
}

// ---- one run's details ----
async function showDetail(id) {
  state.current = id;
  document.querySelectorAll("#runs tbody tr").forEach(tr => tr.classList.toggle("current", tr.dataset.run === id));
  await renderDetail();
  document.getElementById("detail").scrollIntoView({ behavior: "smooth" });
}

function kvTable(table, obj, kinds) {
  const rows = Object.entries(obj).map(([k, v]) => el("tr", {}, el("td", { text: k }), el("td", { text: fmt(v, kinds && kinds[k]) })));
  table.replaceChildren(...rows);
}

async function renderDetail() {
  const r = state.runs.find(x => x.id === state.current);
  const box = document.getElementById("detail");
  if (!r) { box.hidden = true; return; }
  box.hidden = false;
  document.getElementById("detail-id").textContent = r.id || "(root)";
  document.getElementById("detail-warnings").replaceChildren(...r.warnings.map(w => el("div", { class: "warning", text: w })));
  kvTable(document.getElementById("detail-config"), r.config);
  kvTable(document.getElementById("detail-final"), r.final, { test_accuracy: "pct", val_accuracy: "pct", best_val_accuracy: "pct" });
  const v = encodeURIComponent(String(state.version));
  document.getElementById("detail-figures").replaceChildren(...r.figures.map(f => {
    const src = "/files/" + f.split("/").map(encodeURIComponent).join("/") + "?v=" + v;
    return el("figure", {}, el("img", { src, alt: f, loading: "lazy" }), el("figcaption", { text: f.split("/").pop() }));
  }));
  const reportBox = document.getElementById("detail-report-box");
  reportBox.hidden = !r.report;
  if (r.report) {
    const rep = await getJson("/api/report?run=" + encodeURIComponent(r.id));
    document.getElementById("detail-report").innerHTML = rep.html; // rendered and escaped by the server
  }
}

// ---- refresh and live updates ----
async function refresh() {
  if (state.pending) { state.again = true; return; }
  state.pending = true;
  try {
    const data = await getJson("/api/runs");
    state.runs = data.runs;
    state.version = data.version;
    document.getElementById("root").textContent = data.root;
    const first = state.seen.size === 0;
    for (const r of state.runs) {
      // New runs are overlaid as they appear (the first page shows up to eight).
      if (!state.seen.has(r.id) && r.final.epochs > 0 && (!first || state.selected.size < 8)) state.selected.add(r.id);
      state.seen.add(r.id);
    }
    renderTable();
    await renderCharts();
    if (state.current !== null) await renderDetail();
    state.refreshes++;
    document.body.setAttribute("data-version", String(state.version));
    document.body.setAttribute("data-refreshes", String(state.refreshes));
  } catch (e) {
    console.error(e);
  } finally {
    state.pending = false;
    if (state.again) { state.again = false; refresh(); }
  }
}

function connect() {
  const live = document.getElementById("live");
  let poll = null;
  const es = new EventSource("/api/events");
  es.addEventListener("hello", () => {
    live.textContent = "live"; live.classList.remove("off");
    if (poll) { clearInterval(poll); poll = null; }
    refresh(); // catches up on anything missed while disconnected
  });
  es.addEventListener("change", refresh);
  es.onerror = () => {
    live.textContent = "polling"; live.classList.add("off");
    if (!poll) poll = setInterval(refresh, 3000); // the browser retries the event stream meanwhile
  };
}

refresh();
connect();
