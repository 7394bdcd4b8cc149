import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { stopOnSignals } from '../src/main';
import { startProbe } from '../src/probe';
import { secretValues } from '../src/secrets';
import type { TargetSpec } from '../src/target/runTarget';
import { loadTargets } from '../src/targets/loadTargets';
import { problemLine } from '../src/targets/problem';

/**
 * Only while `src/main.ts` does not read `PROBE_TARGETS_FILE` yet: what it will do, from the
 * project's own parts (the targets file loaded by `loadTargets`, run by `startProbe`, reloaded by
 * `POST /-/reload`), so `bench/targets.ts` can measure many targets in one process meanwhile.
 */
async function run(): Promise<void> {
  // As main.ts's keepAlive, before the first tick: under --lite-mode (no WebAssembly) loading
  // axios rejects a promise inside node's undici, which main.ts logs and survives.
  process.on('unhandledRejection', () => undefined);
  const path = process.env.PROBE_TARGETS_FILE ?? '';
  // Only the process-wide settings of this are used; each target has its own dataset.
  const config = loadConfig({
    PROBE_DATASET_ID: 'targets-file',
    WEBSOCKET_URL: 'ws://127.0.0.1:9',
    ...process.env,
  });
  const load = async (): Promise<
    { targets: readonly TargetSpec[] } | { problems: readonly string[] }
  > => {
    const loaded = await loadTargets(path, process.env);
    return loaded.problems.length > 0
      ? { problems: loaded.problems.map(problemLine) }
      : { targets: loaded.targets };
  };
  const first = await load();
  if ('problems' in first) throw new Error(first.problems.join('\n'));
  const logger = createLogger(config.run.logLevel, {
    human: config.run.local,
    secrets: first.targets.flatMap((target) => secretValues(target.config)),
  });
  const probe = await startProbe(config, logger, { initial: first.targets, load });
  stopOnSignals(probe, logger);
}

run().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
