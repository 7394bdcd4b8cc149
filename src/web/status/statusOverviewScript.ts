/**
 * The overview's own script: fetches `status.json` every two seconds and shows one row per
 * target, in the order the server sorted them (worst first). Ids, labels and problems are set
 * with `textContent`; a link's id goes through `encodeURIComponent`, never into markup.
 */
export const STATUS_OVERVIEW_SCRIPT = `"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const ms = (v) => (v === null ? "–" : v < 1000 ? v.toFixed(0) + " ms" : (v / 1000).toFixed(2) + " s");
  function cell(row, value, cls) {
    const el = document.createElement("td");
    el.textContent = String(value);
    if (cls) el.className = cls;
    row.appendChild(el);
    return el;
  }

  function target(body, t) {
    const row = document.createElement("tr");
    row.className = "level-" + t.level;
    row.dataset.id = t.id;
    const name = cell(row, "");
    const link = document.createElement("a");
    link.href = "status/target?id=" + encodeURIComponent(t.id);
    link.textContent = t.id;
    name.appendChild(link);
    const labels = Object.entries(t.labels).map(([k, v]) => k + "=" + v).join(", ");
    if (labels) {
      const small = document.createElement("div");
      small.className = "labels";
      small.textContent = labels;
      name.appendChild(small);
    }
    cell(row, t.level, "level");
    cell(row, t.shares.length === 0 ? "–" : t.shares.map((x) => x.percent.toFixed(1) + "%").join(" / "));
    cell(row, ms(t.latency.p50Ms) + " · " + ms(t.latency.p99Ms));
    const l = t.listeners;
    cell(row, l.connected + " / " + l.configured, l.connected === 0 ? "bad" : l.connected < l.configured ? "warn" : "ok");
    cell(row, t.problem === null ? "" : t.problem + (t.problems > 1 ? " (+" + (t.problems - 1) + " more)" : ""), "problem");
    body.appendChild(row);
  }

  function render(s) {
    // The process now runs one target: \`/status\` has become its page.
    if (!Array.isArray(s.targets)) return location.reload();
    $("updated").textContent = new Date().toLocaleTimeString();
    $("error").textContent = "";
    const bad = s.targets.filter((t) => t.level === "bad").length;
    $("counts").textContent = s.targets.length + " targets, " + bad + " failing";
    const body = $("targets");
    body.replaceChildren();
    for (const t of s.targets) target(body, t);
  }

  async function refresh() {
    try {
      const response = await fetch("status.json", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      render(await response.json());
    } catch (error) {
      $("error").textContent = "(update failed: " + error.message + ")";
    }
  }
  refresh();
  setInterval(refresh, 2000);
})();
`;
