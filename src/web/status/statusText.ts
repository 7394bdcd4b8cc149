import { CONTROL_CLASS } from '../../logs/controlChars';
import type { Item, PageText, Part, StatusView, TargetRow } from './statusViewTypes';

export type { Item, PageText, Part } from './statusViewTypes';

/**
 * What the status pages say, as text: the formats (seconds, milliseconds, clock times, wire
 * text) and every element's text and class, from the data `status.json` serves. The server
 * writes the first HTML with these functions and the browser updates the page with the very
 * same ones: `STATUS_TEXT_SOURCE` is their own source (`Function.prototype.toString`), served
 * as the start of each page's script. So they are self-contained function declarations that
 * call only each other and the local `CONTROLS`: no imports, no exported constants, no DOM.
 */

// Local, so the compiled functions name it plainly; the browser gets its value (see below).
const CONTROLS = CONTROL_CLASS;

const DASH = '–';

/** Seconds for a person: whole from ten on, two significant digits below (0.05 s, 2.5 s). */
export function secondsText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return DASH;
  return `${Math.abs(seconds) >= 10 ? Math.round(seconds) : Number(seconds.toPrecision(2))} s`;
}

/** A latency: whole milliseconds below a second, else seconds to two decimals. */
export function msText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return DASH;
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A clock time, HH:MM:SS: in UTC (said so) from the server, in local time in the browser. */
export function clockText(epochMs: number, utc: boolean): string {
  const d = new Date(epochMs);
  const hms = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return hms.map((n) => String(n).padStart(2, '0')).join(':') + (utc ? ' UTC' : '');
}

/**
 * Text from the wire or a file (an app id, a close reason, an error, an id, a label) with every
 * control, format (the direction marks that reverse the text after them) and line or paragraph
 * separator character shown as its escape, as `escapeControls` in `src/logs/controlChars.ts`.
 */
export function wireText(text: unknown): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const unit = (u: string) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return String(text).replace(new RegExp(`[${CONTROLS}]`, 'gu'), (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) return c.split('').map(unit).join('');
    return named[c] ?? `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A target's page: every element the data fills, from the target's `status.json`. */
export function targetPageText(s: StatusView | Record<string, never>, updated: string): PageText {
  const card = (text: string, level?: string): Part => ({
    text,
    cls: level ? `big ${level}` : 'big',
  });
  const parts: Record<string, Part> = { updated: { text: updated }, error: { text: '' } };
  const ids = ['delivery', 'listeners', 'posting', 'shares', 'latency'];
  for (const id of ids) parts[id] = card(DASH);
  for (const id of [
    'delivery-detail',
    'listener-detail',
    'posting-detail',
    'books',
    'latency-detail',
  ]) {
    parts[id] = { text: '' };
  }
  if (!('appId' in s) || !s.appId) {
    parts.app = { text: 'starting' };
    return { parts, lists: { problems: [], events: [] } };
  }
  parts.app = { text: wireText(s.appId) };
  const d = s.delivery;
  parts.delivery = card(
    d.lastReceiptSecondsAgo === null ? 'none yet' : `${secondsText(d.lastReceiptSecondsAgo)} ago`,
    d.silent ? 'bad' : d.overdue > 0 ? 'warn' : 'ok',
  );
  parts['delivery-detail'] = {
    text: `one expected every ${secondsText(d.expectedEverySeconds)}; ${d.overdue} overdue (objective ${secondsText(d.objectiveSeconds)}), lost at ${secondsText(d.lostAfterSeconds)}`,
  };
  const l = s.listeners;
  parts.listeners = card(
    `${l.connected} / ${l.configured} connected`,
    l.connected === 0 ? 'bad' : l.connected < l.configured ? 'warn' : 'ok',
  );
  const reason = (e: (typeof l.each)[number]) =>
    e.reason && e.status !== 'connected' ? ` (${wireText(e.reason)})` : '';
  parts['listener-detail'] = {
    text: l.each
      .map(
        (e) =>
          `#${e.id} ${e.status} ${secondsText(e.forSeconds)}${reason(e)}, ${e.disconnects} drops`,
      )
      .join(' · '),
  };
  const p = s.posting;
  parts.posting = card(p.ok ? 'OK' : 'failing', p.ok ? 'ok' : 'bad');
  const lastOk = p.lastOkSecondsAgo === null ? 'never' : `${secondsText(p.lastOkSecondsAgo)} ago`;
  parts['posting-detail'] = {
    text: `last success ${lastOk}, ${s.totals.postErrors} errors, ${p.inProgress} in progress`,
  };
  const worst = Math.max(...s.shares.map((x) => x.percent));
  parts.shares = card(
    s.shares.map((x) => `${x.percent.toFixed(1)}%`).join(' / '),
    worst >= 50 ? 'bad' : worst > 0 ? 'warn' : 'ok',
  );
  const t = s.totals;
  const foreign = s.lastForeignAppId ? `, last foreign app ${wireText(s.lastForeignAppId)}` : '';
  parts.books = {
    text: `posted ${t.posted} = received ${t.received} + lost ${t.lost} + in flight ${s.inFlight}; duplicates ${t.duplicates}, late ${t.late}${foreign}`,
  };
  const lat = s.latency;
  parts.latency = card(
    `${msText(lat.latestMs)} · ${msText(lat.p50Ms)} · ${msText(lat.p99Ms)}`,
    lat.stale ? 'stale' : '',
  );
  const age =
    lat.latestAgeSeconds === null
      ? ''
      : `latest received ${secondsText(lat.latestAgeSeconds)} ago; `;
  parts['latency-detail'] = {
    text: `${lat.stale ? 'Not current: ' : ''}${age}${lat.samples} events in the last ${Math.round(s.chart.spanSeconds / 60)} min`,
  };
  const problems: Item[] = s.problems.map((x) => ({
    tag: 'li',
    cls: x.level,
    text: wireText(x.text),
  }));
  if (problems.length === 0) problems.push({ tag: 'li', cls: 'ok', text: 'No problem seen' });
  const events = s.events.map((e): Item => {
    const state = e.overdue ? 'overdue' : e.state;
    const latency = e.latencyMs === null ? '' : e.latencyMs.toFixed(1);
    const cells = [
      `${e.seqno}`,
      state,
      e.ageSeconds.toFixed(1),
      latency,
      `${e.receiptOrder ?? ''}`,
    ];
    cells.push(e.error === null ? '' : wireText(e.error));
    const kids = cells.map((text, i) => ({
      tag: 'td',
      text,
      cls: i === 1 ? `state-${state}` : '',
    }));
    return { tag: 'tr', kids };
  });
  return { parts, lists: { problems, events } };
}

/** The overview: the counts and one row per target, in the server's order (worst first). */
export function overviewText(s: { targets: readonly TargetRow[] }, updated: string): PageText {
  const bad = s.targets.filter((t) => t.level === 'bad').length;
  const rows = s.targets.map((t): Item => {
    const labels = Object.entries(t.labels)
      .map(([k, v]) => `${wireText(k)}=${wireText(v)}`)
      .join(', ');
    const link = {
      tag: 'a',
      href: `status/target?id=${encodeURIComponent(t.id)}`,
      text: wireText(t.id),
    };
    const name = labels ? [link, { tag: 'div', cls: 'labels', text: labels }] : [link];
    const shares = t.shares.map((x) => `${x.percent.toFixed(1)}%`).join(' / ');
    const l = t.listeners;
    const more = t.problems > 1 ? ` (+${t.problems - 1} more)` : '';
    const kids: Item[] = [
      { tag: 'td', kids: name },
      { tag: 'td', cls: 'level', text: t.level },
      { tag: 'td', text: shares || DASH },
      { tag: 'td', text: `${msText(t.latency.p50Ms)} · ${msText(t.latency.p99Ms)}` },
      {
        tag: 'td',
        cls: l.connected === 0 ? 'bad' : l.connected < l.configured ? 'warn' : 'ok',
        text: `${l.connected} / ${l.configured}`,
      },
      { tag: 'td', cls: 'problem', text: t.problem === null ? '' : wireText(t.problem) + more },
    ];
    return { tag: 'tr', cls: `level-${t.level}`, dataId: t.id, kids };
  });
  const parts: Record<string, Part> = {
    counts: { text: `${s.targets.length} targets, ${bad} failing` },
    updated: { text: updated },
    error: { text: '' },
  };
  return { parts, lists: { targets: rows } };
}

const SHARED = [secondsText, msText, clockText, wireText, targetPageText, overviewText];

/** The functions above as browser code: a global `statusText` holding each of them. */
export const STATUS_TEXT_SOURCE = `"use strict";
const statusText = (() => {
  const CONTROLS = ${JSON.stringify(CONTROLS)};
  const DASH = ${JSON.stringify(DASH)};
${SHARED.map(String).join('\n')}
  return { ${SHARED.map((f) => f.name).join(', ')} };
})();
`;
