import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './stack';

export interface RunningPrometheus {
  /** Runs a PromQL query now. */
  query(expr: string): Promise<{ status: string; data: { result: unknown[] } }>;
  /** GETs an API path (`/api/v1/…`) and returns its `data`. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Debian's Prometheus on a free port, scraping the probe at `/` every second as job `job`,
 * evaluating `ruleFiles` every second, with the given feature flags; ready once it has
 * scraped the probe.
 */
export async function startPrometheus(
  binary: string,
  probePort: number,
  { job = 'probe', ruleFiles = [] as string[], features = [] as string[] } = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-prometheus-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      `rule_files: [${ruleFiles.map((file) => `'${file}'`).join(', ')}]`,
      'scrape_configs:',
      `  - job_name: ${job}`,
      '    metrics_path: /',
      `    static_configs: [{ targets: ['127.0.0.1:${probePort}'] }]`,
      '',
    ].join('\n'),
  );
  const server: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...features.map((feature) => `--enable-feature=${feature}`),
    ],
    { stdio: 'ignore' },
  );
  const api = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`http://127.0.0.1:${port}${path}`)).json()) as { data: T };
    return body.data;
  };
  const query = async (expr: string) =>
    (await (
      await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`)
    ).json()) as { status: string; data: { result: unknown[] } };
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        try {
          return (await query(`up{job="${job}"} == 1`)).data.result.length === 1;
        } catch {
          return false;
        }
      },
      40_000,
      'Prometheus to scrape the probe',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { query, api, stop };
}
