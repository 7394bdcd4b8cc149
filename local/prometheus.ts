import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run local:prometheus`: Debian's Prometheus (apt-get install prometheus) against the
 * probe of `npm run local` on localhost:8000, scraped at `/` like production, UI on :9090.
 * For machines without Docker; `local-compose.yaml` adds Grafana where Docker runs.
 */
const binary = process.env.PROMETHEUS_BIN ?? 'prometheus';
if (spawnSync(binary, ['--version']).error) {
  process.stderr.write(
    `${binary} not found: install it (apt-get install prometheus) or set PROMETHEUS_BIN\n`,
  );
  process.exit(1);
}
const target = process.env.PROBE_TARGET ?? 'localhost:8000';
const dir = mkdtempSync(join(tmpdir(), 'probe-prometheus-'));
const config = join(dir, 'prometheus.yml');
writeFileSync(
  config,
  `global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: dataplatform-probe\n    metrics_path: /\n    static_configs:\n      - targets: ['${target}']\n`,
);
process.stdout.write(`Prometheus on http://localhost:9090 scraping ${target}/ (data in ${dir})\n`);
const child = spawn(
  binary,
  [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--web.listen-address=:9090',
  ],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
