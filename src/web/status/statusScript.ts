/**
 * A target's page's own script. The server wrote the page with its data already in it; this
 * fetches the data again (the body's `data-json`, else `status.json`) now and every two seconds
 * and shows it with the same functions the server used (`statusText.targetPageText`, then
 * `showText`), then draws the chart. The view has already decided what is wrong and worded it
 * (`statusProblems.ts`); this only shows.
 */
export const STATUS_SCRIPT = `"use strict";
follow(document.body.dataset.json || "status.json", (s) => {
  // The process now runs several targets: \`/status\` has become the overview.
  if (Array.isArray(s.targets)) return location.reload();
  showText(statusText.targetPageText(s, statusText.clockText(Date.now(), false)));
  if (s.appId) window.statusChart(document.getElementById("chart"), document.getElementById("chart-caption"), s);
});
`;
