/**
 * A target's page's own script: fetches its data (the body's `data-json`, else `status.json`)
 * every two seconds and shows it. What came
 * from the wire (an app id, a reason, an error) is set with `textContent`, never as HTML. The
 * view has already decided what is wrong and worded it (`statusProblems.ts`); this only shows.
 */
export const STATUS_SCRIPT = `"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const ms = (v) => (v === null ? "–" : v < 1000 ? v.toFixed(0) + " ms" : (v / 1000).toFixed(2) + " s");
  const secs = (s) => (s >= 10 ? Math.round(s) : Number(s.toPrecision(2))) + " s"; // as statusProblems.ts
  function text(id, value, cls) {
    const el = $(id);
    el.textContent = value;
    if (cls !== undefined) el.className = "big " + cls;
  }
  function item(parent, tag, value, cls) {
    const el = document.createElement(tag);
    el.textContent = String(value);
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }

  function problems(list) {
    const box = $("problems");
    box.replaceChildren();
    if (list.length === 0) item(box, "li", "No problem seen", "ok");
    for (const p of list) item(box, "li", p.text, p.level);
  }

  function delivery(d) {
    const cls = d.silent ? "bad" : d.overdue > 0 ? "warn" : "ok";
    text("delivery", d.lastReceiptSecondsAgo === null ? "none yet" : secs(d.lastReceiptSecondsAgo) + " ago", cls);
    $("delivery-detail").textContent =
      ("one expected every " + secs(d.expectedEverySeconds) + "; ") +
      d.overdue + " overdue (objective " + secs(d.objectiveSeconds) + "), lost at " + secs(d.lostAfterSeconds);
  }

  function latency(l, spanSeconds) {
    text("latency", ms(l.latestMs) + " · " + ms(l.p50Ms) + " · " + ms(l.p99Ms), l.stale ? "stale" : "");
    const age = l.latestAgeSeconds === null ? "" : "latest received " + secs(l.latestAgeSeconds) + " ago";
    $("latency-detail").textContent = (l.stale ? "Not current: " : "") + (age ? age + "; " : "") +
      l.samples + " events in the last " + Math.round(spanSeconds / 60) + " min";
  }

  function render(s) {
    // The process now runs several targets: \`/status\` has become the overview.
    if (Array.isArray(s.targets)) return location.reload();
    text("updated", new Date().toLocaleTimeString());
    text("error", "");
    if (!s.appId) {
      text("app", "starting");
      return;
    }
    text("app", s.appId);
    problems(s.problems);
    delivery(s.delivery);
    const l = s.listeners;
    text("listeners", l.connected + " / " + l.configured + " connected",
      l.connected === 0 ? "bad" : l.connected < l.configured ? "warn" : "ok");
    $("listener-detail").textContent = l.each.map((e) => "#" + e.id + " " + e.status + " " + e.forSeconds + " s" +
      (e.reason && e.status !== "connected" ? " (" + e.reason + ")" : "") + ", " + e.disconnects + " drops").join(" · ");
    const p = s.posting;
    text("posting", p.ok ? "OK" : "failing", p.ok ? "ok" : "bad");
    $("posting-detail").textContent = "last success " + (p.lastOkSecondsAgo === null ? "never" : secs(p.lastOkSecondsAgo) + " ago") +
      ", " + s.totals.postErrors + " errors, " + p.inProgress + " in progress";
    const worst = Math.max(...s.shares.map((x) => x.percent));
    text("shares", s.shares.map((x) => x.percent.toFixed(1) + "%").join(" / "), worst >= 50 ? "bad" : worst > 0 ? "warn" : "ok");
    const t = s.totals;
    $("books").textContent = "posted " + t.posted + " = received " + t.received + " + lost " + t.lost + " + in flight " +
      s.inFlight + "; duplicates " + t.duplicates + ", late " + t.late + (s.lastForeignAppId ? ", last foreign app " + s.lastForeignAppId : "");
    latency(s.latency, s.chart.spanSeconds);
    window.statusChart($("chart"), $("chart-caption"), s);
    const body = $("events");
    body.replaceChildren();
    for (const e of s.events) {
      const row = item(body, "tr", "");
      const state = e.overdue ? "overdue" : e.state;
      const cells = [e.seqno, state, e.ageSeconds.toFixed(1), e.latencyMs === null ? "" : e.latencyMs.toFixed(1), e.receiptOrder ?? "", e.error ?? ""];
      cells.forEach((value, i) => item(row, "td", value, i === 1 ? "state-" + state : ""));
    }
  }

  async function refresh() {
    try {
      const response = await fetch(document.body.dataset.json || "status.json", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      render(await response.json());
    } catch (error) {
      text("error", "(update failed: " + error.message + ")");
    }
  }
  refresh();
  setInterval(refresh, 2000);
})();
`;
