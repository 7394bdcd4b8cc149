import { statusAssets } from './statusAssets';
import { escapeHtml, itemHtml, pageHead, partHtml } from './statusHtml';
import type { PageText } from './statusText';

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
 * A target's status page: an HTML document with the target's data already in it (`text`, from
 * `targetPageText`), so it reads right at first paint and without JavaScript. It loads its
 * script and style, and uPlot's, from the probe (no CDN, works offline); the script fetches the
 * data (`status.json`, unless told otherwise) every two seconds, updates the same elements with
 * the same functions and draws the chart (see `statusScript.ts`). Every text is escaped.
 */
export function statusPage(title: string, text: PageText, options: PageOptions = {}): string {
  const assets = statusAssets();
  const { root = '', data, back = false } = options;
  // Relative links, so the page also works behind a proxy that serves it under a prefix.
  const href = (path: string) => `${root}${path.slice(1)}`;
  const body = data === undefined ? '<body>' : `<body data-json="${escapeHtml(data)}">`;
  const overview = back ? `<a href="${root}status">all targets</a> · ` : '';
  const json = escapeHtml(data ?? 'status.json');
  const { parts, lists } = text;
  const part = (tag: string, id: string) => partHtml(tag, id, parts[id]);
  const card = (heading: string, id: string, detail: string) =>
    `  <div class="card"><h2>${heading}</h2>${part('div', id)}${part('div', detail)}</div>`;
  return `${pageHead(
    title,
    [assets.chartStyle, assets.pageStyle].map((a) => href(a.path)),
    [assets.chartScript, assets.pageScript].map((a) => href(a.path)),
  )}
${body}
<h1>${escapeHtml(title)}</h1>
<div class="sub">${overview}app ${part('span', 'app')} · updated ${part('span', 'updated')} ${part('span', 'error')}</div>
<noscript>Without JavaScript this page neither refreshes itself nor draws the chart: reload it, or read <a href="${json}">${json}</a>.</noscript>
<ul id="problems" aria-live="polite">${lists.problems.map(itemHtml).join('')}</ul>
<div class="cards">
${card('Last event received', 'delivery', 'delivery-detail')}
${card('Listeners', 'listeners', 'listener-detail')}
${card('Posting', 'posting', 'posting-detail')}
${card('Missing 1m / 3m / 10m', 'shares', 'books')}
${card('Latency latest · p50 · p99', 'latency', 'latency-detail')}
</div>
<figure><div id="chart" role="img" aria-label="latency of recent events"></div><figcaption id="chart-caption"></figcaption></figure>
<table>
  <thead><tr><th>seqno</th><th>state</th><th>age s</th><th>latency ms</th><th>receipt order</th><th>note</th></tr></thead>
  <tbody id="events">${lists.events.map(itemHtml).join('')}</tbody>
</table>
</body>
</html>
`;
}
