import { statusAssets } from './statusAssets';
import { escapeHtml, itemHtml, pageHead, partHtml } from './statusHtml';
import type { PageText } from './statusText';

/**
 * The overview: one row per target, the worst first, each leading to the target's page. The
 * HTML carries the rows already (`text`, from `overviewText`); its script fetches `status.json`
 * every two seconds and updates them with the same functions (`statusOverviewScript`). Every
 * text is escaped. Served with the status page's CSP.
 */
export function statusOverviewPage(title: string, text: PageText): string {
  const assets = statusAssets();
  const href = (path: string) => path.slice(1);
  const part = (id: string) => partHtml('span', id, text.parts[id]);
  return `${pageHead(title, [href(assets.pageStyle.path)], [href(assets.overviewScript.path)])}
<body>
<h1>${escapeHtml(title)}</h1>
<div class="sub">${part('counts')} · updated ${part('updated')} ${part('error')}</div>
<noscript>Without JavaScript this page does not refresh itself: reload it, or read <a href="status.json">status.json</a>.</noscript>
<table class="overview">
  <thead><tr><th>target</th><th>state</th><th>missing 1m / 3m / 10m</th><th>latency p50 · p99</th><th>listeners</th><th>problem now</th></tr></thead>
  <tbody id="targets">${text.lists.targets.map(itemHtml).join('')}</tbody>
</table>
</body>
</html>
`;
}
