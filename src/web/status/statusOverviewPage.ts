import { statusAssets } from './statusAssets';
import { escapeHtml, pageHead } from './statusPage';

/**
 * The overview: one row per target, the worst first, each leading to the target's page. Its
 * script fetches `status.json` every two seconds and fills the table (`statusOverviewScript`);
 * the HTML holds no data, only the title, escaped. Served with the status page's CSP.
 */
export function statusOverviewPage(title: string): string {
  const assets = statusAssets();
  const href = (path: string) => path.slice(1);
  return `${pageHead(title, [href(assets.pageStyle.path)], [href(assets.overviewScript.path)])}
<body>
<h1>${escapeHtml(title)}</h1>
<div class="sub"><span id="counts"></span> · updated <span id="updated">never</span> <span id="error"></span></div>
<noscript>This page needs JavaScript; the same data is at <a href="status.json">status.json</a>.</noscript>
<table class="overview">
  <thead><tr><th>target</th><th>state</th><th>missing 1m / 3m / 10m</th><th>latency p50 · p99</th><th>listeners</th><th>problem now</th></tr></thead>
  <tbody id="targets"></tbody>
</table>
</body>
</html>
`;
}
