/**
 * The status page's latency chart, drawn by uPlot (served by the probe, see `statusAssets.ts`):
 * time on x with clock times, latency on a log scale so a 3 s spike does not flatten 50 ms
 * values onto the baseline, the objective as a dashed line. Events still in flight are drawn at
 * their age, which grows until they are received or reach the lost line; lost events sit on
 * that line, failed posts are purple bars. The latency line breaks wherever an event was not
 * received and wherever no event was posted for two intervals: an outage shows as a gap, never
 * as a line drawn through it. Only numbers reach the chart, never wire text.
 * Browser code, defining `window.statusChart`; the tick labels it draws are also kept in the
 * chart element's `data-x-ticks` and `data-y-ticks`.
 */
export const STATUS_CHART = `"use strict";
(() => {
  const FLOOR = 0.001; // a log scale has no zero: 1 ms is the bottom
  // Time ticks in whole seconds and round minutes, so no two labels read the same.
  const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];
  const seconds = (v) => (v < 1 ? +(v * 1000).toPrecision(3) + " ms" : +v.toPrecision(3) + " s");
  const dot = (stroke, fill, size) => ({ show: true, size, stroke, fill, width: 1.5 });
  const pointsOnly = (label, stroke, fill, size) =>
    ({ label, stroke, paths: () => null, points: dot(stroke, fill, size), value: valueText });
  const valueText = (u, v) => (v == null ? "–" : seconds(v));
  let chart = null, now = 0, span = 60, failedAt = [], lostAt = [];

  // A log axis hands over its skipped splits as null: they get no label.
  function record(el, name, labels) {
    el.dataset[name] = labels.filter((v) => v !== null).join("|");
    return labels;
  }

  function options(el, d) {
    const clock = uPlot.fmtDate("{HH}:{mm}:{ss}");
    return {
      width: Math.max(300, el.clientWidth), height: 300, legend: { live: false },
      scales: { x: { time: true, range: () => [now - span, now] }, y: { distr: 3, log: 10 } },
      axes: [
        { label: "time (this browser's clock)", incrs: STEPS,
          values: (u, splits) => record(el, "xTicks", splits.map((v) => (v == null ? null : clock(new Date(v * 1000))))) },
        { label: "latency, log scale (in flight: age)", size: 70,
          values: (u, splits) => record(el, "yTicks", splits.map((v) => (v == null ? null : seconds(v)))) },
      ],
      series: [
        { value: (u, v) => (v == null ? "–" : clock(new Date(v * 1000))) },
        { label: "latency", stroke: "#0969da", width: 1.5, spanGaps: false,
          points: dot("#0969da", "#0969da", 4), value: valueText },
        pointsOnly("late (after lost)", "#bf8700", "#bf8700", 6),
        pointsOnly("in flight (age)", "#6e7781", "#ffffff", 6),
        pointsOnly("overdue (age)", "#cf222e", "#ffffff", 8),
        pointsOnly("lost at " + seconds(d.lostAfterSeconds), "#cf222e", "#cf222e", 8),
        { label: "failed post", stroke: "#8250df", paths: () => null, points: { show: false } },
        { label: "objective " + seconds(d.objectiveSeconds), stroke: "#1a7f37", width: 1.5,
          dash: [8, 5], points: { show: false }, value: valueText },
      ],
      hooks: { draw: [bars] },
    };
  }

  // Lost events and failed posts as thin full-height bars, so they show at any zoom.
  function bars(u) {
    const ctx = u.ctx, top = u.bbox.top, height = u.bbox.height, w = Math.max(1, devicePixelRatio);
    ctx.save();
    for (const [times, colour] of [[lostAt, "rgba(207,34,46,0.25)"], [failedAt, "rgba(130,80,223,0.55)"]]) {
      ctx.fillStyle = colour;
      for (const t of times) ctx.fillRect(u.valToPos(t, "x", true) - w / 2, top, w, height);
    }
    ctx.restore();
  }

  function data(points, d) {
    const columns = [[], [], [], [], [], [], [], []];
    failedAt = []; lostAt = [];
    // No event for longer than two intervals: a row of nulls, so no line crosses the silence.
    const gap = 2 * d.expectedEverySeconds;
    let previous = null;
    for (const p of points) {
      const t = now - p.ageSeconds;
      if (previous !== null && t - previous > gap) columns.forEach((c, i) => c.push(i === 0 ? (t + previous) / 2 : null));
      previous = t;
      const latency = p.latencyMs === null ? null : Math.max(FLOOR, p.latencyMs / 1000);
      const waiting = p.state === "posted" || p.state === "posting";
      const row = [t,
        p.state === "received" ? latency : null,
        p.state === "late" ? latency : null,
        waiting && !p.overdue ? Math.max(FLOOR, p.ageSeconds) : null,
        p.overdue ? p.ageSeconds : null,
        p.state === "lost" ? d.lostAfterSeconds : null,
        null,
        d.objectiveSeconds];
      row.forEach((v, i) => columns[i].push(v));
      if (p.state === "failed") failedAt.push(t);
      if (p.state === "lost") lostAt.push(t);
    }
    return columns;
  }

  function caption(points, d) {
    const count = (state) => points.filter((p) => p.state === state).length;
    const waiting = count("posted") + count("posting"), overdue = points.filter((p) => p.overdue).length;
    return "Latency of each event over the last " + Math.round(span / 60 * 10) / 10 + " min on a log scale, " +
      "objective " + seconds(d.objectiveSeconds) + " (dashed); " + count("received") + " received, " +
      count("late") + " late, " + count("lost") + " lost, " + count("failed") + " failed posts, " +
      waiting + " in flight (" + overdue + " overdue).";
  }

  window.statusChart = function draw(el, captionEl, view) {
    now = Date.now() / 1000;
    span = Math.max(10, view.chart.spanSeconds);
    captionEl.textContent = caption(view.chart.points, view.delivery);
    if (typeof uPlot === "undefined") {
      captionEl.textContent += " (The chart library did not load.)";
      return;
    }
    const columns = data(view.chart.points, view.delivery);
    if (chart === null) {
      chart = new uPlot(options(el, view.delivery), columns, el);
      addEventListener("resize", () => chart.setSize({ width: Math.max(300, el.clientWidth), height: 300 }));
    } else {
      chart.setData(columns);
    }
    el.setAttribute("aria-label", captionEl.textContent);
  };
})();
`;
