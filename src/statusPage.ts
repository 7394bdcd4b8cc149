/**
 * The status page: one self-contained HTML document (no CDN, works offline) that fetches
 * `/status.json` every two seconds and draws it. Everything from the wire is put in the page
 * with `textContent` or as SVG attributes set by the DOM, never as HTML, so an `app_id` or a
 * reason cannot inject markup.
 */
export function statusPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  :root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; background: #fff; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
  .sub { color: var(--muted); margin-bottom: 1rem; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .8rem; }
  .card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
  .card h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .3rem; }
  .big { font-size: 1.5rem; font-weight: 600; }
  .ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
  svg { width: 100%; height: 220px; border: 1px solid var(--line); border-radius: 6px; margin-top: 1rem; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; font-variant-numeric: tabular-nums; }
  th, td { text-align: right; padding: .2rem .6rem; border-bottom: 1px solid var(--line); }
  th:nth-child(2), td:nth-child(2), td:last-child, th:last-child { text-align: left; }
  .state-received { color: var(--ok); } .state-lost, .state-failed { color: var(--bad); }
  .state-posting, .state-posted { color: var(--muted); } .state-late { color: var(--warn); }
  #error { color: var(--bad); }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="sub">app <span id="app"></span> · updated <span id="updated">never</span> <span id="error"></span></div>
<noscript>This page needs JavaScript; the same data is at <a href="status.json">status.json</a>.</noscript>
<div class="cards">
  <div class="card"><h2>Listeners</h2><div class="big" id="listeners">–</div><div id="listener-detail"></div></div>
  <div class="card"><h2>Posting</h2><div class="big" id="posting">–</div><div id="posting-detail"></div></div>
  <div class="card"><h2>Missing 1m / 3m / 10m</h2><div class="big" id="shares">–</div><div id="books"></div></div>
  <div class="card"><h2>Latency latest · p50 · p99</h2><div class="big" id="latency">–</div><div id="latency-detail"></div></div>
</div>
<svg id="chart" viewBox="0 0 1000 220" preserveAspectRatio="none" role="img" aria-label="latency of recent events"></svg>
<table>
  <thead><tr><th>seqno</th><th>state</th><th>age s</th><th>latency ms</th><th>receipt order</th><th>note</th></tr></thead>
  <tbody id="events"></tbody>
</table>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const ms = (v) => (v === null ? "–" : v < 1000 ? v.toFixed(0) + " ms" : (v / 1000).toFixed(2) + " s");
function text(id, value, cls) { const el = $(id); el.textContent = value; if (cls !== undefined) el.className = "big " + cls; }
function drawChart(chart) {
  const svg = $("chart"), ns = "http://www.w3.org/2000/svg";
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const received = chart.points.filter((p) => p.latencyMs !== null);
  const top = Math.max(100, ...received.map((p) => p.latencyMs)) * 1.1;
  const x = (age) => 1000 - (age / chart.spanSeconds) * 1000;
  const y = (lat) => 210 - (lat / top) * 190;
  const add = (name, attrs, content) => {
    const el = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (content !== undefined) el.textContent = content;
    svg.appendChild(el);
  };
  add("text", { x: 6, y: 14, "font-size": 12, fill: "#57606a" }, "latency, last " + Math.round(chart.spanSeconds / 60) + " min (max " + ms(top / 1.1) + "); red: lost or failed");
  if (received.length > 1) {
    add("polyline", { fill: "none", stroke: "#0969da", "stroke-width": 1.5,
      points: received.map((p) => x(p.ageSeconds).toFixed(1) + "," + y(p.latencyMs).toFixed(1)).join(" ") });
  }
  for (const p of chart.points) {
    if (p.state === "lost" || p.state === "failed") add("rect", { x: x(p.ageSeconds) - 1, y: 20, width: 2, height: 190, fill: "#cf222e", opacity: 0.35 });
  }
}
function render(s) {
  text("app", s.appId);
  text("updated", new Date().toLocaleTimeString());
  text("error", "");
  const l = s.listeners;
  text("listeners", l.connected + " / " + l.configured + " connected", l.connected === 0 ? "bad" : l.connected < l.configured ? "warn" : "ok");
  $("listener-detail").textContent = l.each.map((e) => "#" + e.id + " " + e.status + " " + e.forSeconds + " s" + (e.reason && e.status !== "connected" ? " (" + e.reason + ")" : "") + ", " + e.disconnects + " drops").join(" · ");
  text("posting", s.posting.ok ? "OK" : "failing", s.posting.ok ? "ok" : "bad");
  $("posting-detail").textContent = "last success " + (s.posting.lastOkSecondsAgo === null ? "never" : s.posting.lastOkSecondsAgo + " s ago") + ", " + s.totals.postErrors + " errors, " + s.posting.inProgress + " in progress";
  const worst = Math.max(...s.shares.map((x) => x.percent));
  text("shares", s.shares.map((x) => x.percent.toFixed(1) + "%").join(" / "), worst >= 50 ? "bad" : worst > 0 ? "warn" : "ok");
  const t = s.totals;
  $("books").textContent = "posted " + t.posted + " = received " + t.received + " + lost " + t.lost + " + in flight " + s.inFlight + "; duplicates " + t.duplicates + ", late " + t.late + (s.lastForeignAppId ? ", last foreign app " + s.lastForeignAppId : "");
  text("latency", ms(s.latency.latestMs) + " · " + ms(s.latency.p50Ms) + " · " + ms(s.latency.p99Ms));
  $("latency-detail").textContent = s.latency.samples + " events in the last " + Math.round(s.chart.spanSeconds / 60) + " min";
  drawChart(s.chart);
  const body = $("events");
  while (body.firstChild) body.removeChild(body.firstChild);
  for (const e of s.events) {
    const row = document.createElement("tr");
    const cells = [e.seqno, e.state, e.ageSeconds.toFixed(1), e.latencyMs === null ? "" : e.latencyMs.toFixed(1), e.receiptOrder ?? "", e.error ?? ""];
    cells.forEach((value, i) => { const td = document.createElement("td"); td.textContent = String(value); if (i === 1) td.className = "state-" + e.state; row.appendChild(td); });
    body.appendChild(row);
  }
}
async function refresh() {
  try {
    const response = await fetch("status.json", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json());
  } catch (error) {
    text("error", "(update failed: " + error.message + ")");
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
