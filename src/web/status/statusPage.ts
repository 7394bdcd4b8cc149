import { statusAssets } from './statusAssets';

/**
 * The status page's policy: scripts, styles and data from the probe itself only; no inline
 * script or style, no eval, no frames, no forms.
 */
export const STATUS_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Where a target's page is served other than at `/status`: one level down, its own data. */
export interface PageOptions {
  /** The way from the page's directory to the root, e.g. `../`. */
  readonly root?: string;
  /** Its data's URL, relative to the page (else `status.json`). */
  readonly data?: string;
  /** A link back to the overview. */
  readonly back?: boolean;
}

/**
 * A target's status page: an HTML document that loads its script and style, and uPlot's, from
 * the probe (no CDN, works offline); the script fetches its data (`status.json`, unless told
 * otherwise) every two seconds and draws it (see `statusScript.ts`). The only text put in the
 * HTML itself is the title and the data's URL, escaped.
 */
export function statusPage(title: string, options: PageOptions = {}): string {
  const assets = statusAssets();
  const { root = '', data, back = false } = options;
  // Relative links, so the page also works behind a proxy that serves it under a prefix.
  const href = (path: string) => `${root}${path.slice(1)}`;
  const body = data === undefined ? '<body>' : `<body data-json="${escapeHtml(data)}">`;
  const overview = back ? `<a href="${root}status">all targets</a> · ` : '';
  return `${pageHead(
    title,
    [assets.chartStyle, assets.pageStyle].map((a) => href(a.path)),
    [assets.chartScript, assets.pageScript].map((a) => href(a.path)),
  )}
${body}
<h1>${escapeHtml(title)}</h1>
<div class="sub">${overview}app <span id="app"></span> · updated <span id="updated">never</span> <span id="error"></span></div>
<noscript>This page needs JavaScript; the same data is at <a href="${escapeHtml(data ?? 'status.json')}">${escapeHtml(data ?? 'status.json')}</a>.</noscript>
<ul id="problems" aria-live="polite"></ul>
<div class="cards">
  <div class="card"><h2>Last event received</h2><div class="big" id="delivery">–</div><div id="delivery-detail"></div></div>
  <div class="card"><h2>Listeners</h2><div class="big" id="listeners">–</div><div id="listener-detail"></div></div>
  <div class="card"><h2>Posting</h2><div class="big" id="posting">–</div><div id="posting-detail"></div></div>
  <div class="card"><h2>Missing 1m / 3m / 10m</h2><div class="big" id="shares">–</div><div id="books"></div></div>
  <div class="card"><h2>Latency latest · p50 · p99</h2><div class="big" id="latency">–</div><div id="latency-detail"></div></div>
</div>
<figure><div id="chart" role="img" aria-label="latency of recent events"></div><figcaption id="chart-caption"></figcaption></figure>
<table>
  <thead><tr><th>seqno</th><th>state</th><th>age s</th><th>latency ms</th><th>receipt order</th><th>note</th></tr></thead>
  <tbody id="events"></tbody>
</table>
</body>
</html>
`;
}

/** The start of both pages, to the end of its head: the title, style sheets, deferred scripts. */
export function pageHead(title: string, styles: string[], scripts: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    ...styles.map((href) => `<link rel="stylesheet" href="${href}">`),
    ...scripts.map((src) => `<script src="${src}" defer></script>`),
    '</head>',
  ].join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
