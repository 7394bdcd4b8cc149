import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run local:prometheus`: Debian's Prometheus (apt-get install prometheus) against the
 * probe of `npm run local` on localhost:8000, scraped at `/` like production, with the shipped
 * alert rules, UI on :9090; and Debian's Alertmanager (apt-get install prometheus-alertmanager)
 * on :9093 when it is installed, so an alert can be seen going off. For machines without
 * Docker; `local-compose.yaml` adds Grafana where Docker runs. It builds nothing (the probe of
 * `npm run local` runs from dist/), and its data lives in a temporary folder that is removed
 * when it ends, however it ends (Ctrl-C included).
 */
const prometheus = process.env.PROMETHEUS_BIN ?? 'prometheus';
const alertmanager = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';
const installed = (binary: string) => !spawnSync(binary, ['--version']).error;
if (!installed(prometheus)) {
  process.stderr.write(
    `${prometheus} not found: install it (apt-get install prometheus) or set PROMETHEUS_BIN\n`,
  );
  process.exit(1);
}
const withAlertmanager = installed(alertmanager);
const target = process.env.PROBE_TARGET ?? 'localhost:8000';
const prometheusAddress = process.env.PROMETHEUS_LISTEN ?? ':9090';
const alertmanagerAddress = process.env.ALERTMANAGER_LISTEN ?? ':9093';
const local = (address: string) => `localhost:${address.split(':').at(-1)}`;
const rules = join(__dirname, '..', '..', 'deploy', 'prometheus', 'alerts.yaml');
const dir = mkdtempSync(join(tmpdir(), 'probe-prometheus-'));
// Whatever ends this process, the folder goes with it ('exit' also runs on process.exit).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'prometheus.yml');
writeFileSync(
  config,
  [
    'global:',
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
    `rule_files: ['${rules}']`,
    ...(withAlertmanager
      ? [
          'alerting:',
          '  alertmanagers:',
          `    - static_configs: [{ targets: ['${local(alertmanagerAddress)}'] }]`,
        ]
      : []),
    'scrape_configs:',
    '  - job_name: dataplatform-probe',
    '    metrics_path: /',
    `    static_configs: [{ targets: ['${target}'] }]`,
    '',
  ].join('\n'),
);
const children: ChildProcess[] = [];
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
let exitCode: number | undefined;
// When one ends, the others are stopped; the process ends once none is left, so no server
// still writes into the folder when it is removed.
const start = (binary: string, args: string[]) => {
  const child = spawn(binary, args, { stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code) => {
    exitCode ??= code ?? 0;
    for (const other of children.filter(running)) other.kill('SIGTERM');
    if (!children.some(running)) process.exit(exitCode);
  });
};
start(prometheus, [
  `--config.file=${config}`,
  `--storage.tsdb.path=${join(dir, 'data')}`,
  `--web.listen-address=${prometheusAddress}`,
  '--enable-feature=exemplar-storage',
]);
if (withAlertmanager) {
  // The example route (grouped by alert name and severity); nothing is sent anywhere.
  start(alertmanager, [
    `--config.file=${join(__dirname, '..', '..', 'local', 'prometheus', 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'alertmanager')}`,
    `--web.listen-address=${alertmanagerAddress}`,
    '--cluster.listen-address=',
  ]);
}
process.stdout.write(
  `Prometheus on http://${local(prometheusAddress)} scraping ${target}/ with the alert rules${withAlertmanager ? `, Alertmanager on http://${local(alertmanagerAddress)}` : ' (install prometheus-alertmanager to see alerts routed)'} (data in ${dir})\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children.filter(running)) child.kill(signal);
  });
}
