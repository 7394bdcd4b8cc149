/**
 * The overview's own script. The server wrote the table with its rows already in it; this
 * fetches `status.json` now and every two seconds and shows it with the same functions the
 * server used (`statusText.overviewText`, then `showText`): one row per target, in the order
 * the server sorted them (worst first).
 */
export const STATUS_OVERVIEW_SCRIPT = `"use strict";
follow("status.json", (s) => {
  // The process now runs one target: \`/status\` has become its page.
  if (!Array.isArray(s.targets)) return location.reload();
  showText(statusText.overviewText(s, statusText.clockText(Date.now(), false)));
});
`;
