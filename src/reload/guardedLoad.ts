import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { number } from '../config/configFormats';
import { PROCESS_SETTINGS } from '../config/processSettings';
import { ms } from '../config/settingKinds';
import type { TargetsLoad } from '../targets/target';

/**
 * The heap a load may take. The shipped pod's limit is 180 MiB beside the running targets; a
 * full 1 MiB file of a thousand targets loads in far less (measured: see guardedLoad.test.ts).
 */
export const LOAD_HEAP_MIB = 64;
const LIMITS = {
  maxOldGenerationSizeMb: LOAD_HEAP_MIB,
  maxYoungGenerationSizeMb: 8,
  stackSizeMb: 4,
};

/** A load that could not finish: why, for the log, the answer and the reloads counter. */
export interface LoadFailed {
  readonly failed: string;
}

/**
 * `loadTargets` in a worker thread with a bounded heap and a deadline: however the file is
 * crafted, parsing and checking it neither blocks the event loop (the running targets post on
 * time) nor takes more than `LOAD_HEAP_MIB` of memory, and a load past `timeoutMs` is ended
 * (the worker terminated) and fails. The start, `--check-config` and every reload load this way.
 */
export function guardedLoad(
  path: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<TargetsLoad | LoadFailed> {
  return new Promise((resolve) => {
    const worker = new Worker(join(__dirname, 'loadWorker.js'), {
      workerData: { path, env: { ...env } },
      resourceLimits: LIMITS,
      stdout: true,
      stderr: true,
    });
    let done = false;
    const finish = (result: TargetsLoad | LoadFailed) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      resolve(result);
      void worker.terminate();
    };
    const deadline = setTimeout(
      () => finish({ failed: `the load took longer than ${timeoutMs / 1000} s and was stopped` }),
      timeoutMs,
    );
    worker.once('message', (message: { loaded: TargetsLoad }) => finish(message.loaded));
    worker.once('error', (error: Error & { code?: string }) =>
      finish({
        failed:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `the load needed more than ${LOAD_HEAP_MIB} MiB and was stopped`
            : `the load failed (${error.name})`,
      }),
    );
    worker.once('exit', () => finish({ failed: 'the load ended without an answer' }));
  });
}

/**
 * RELOAD_TIMEOUT_SECONDS, for the first load, which comes before any configuration is checked
 * (the process-wide settings come from the file's first target): its value when good, else its
 * default — a bad value is then told with every other problem of the file.
 */
export function loadTimeoutMs(env: NodeJS.ProcessEnv): number {
  const setting = PROCESS_SETTINGS.reload.timeoutMs;
  const fallback = ms(setting.default as number);
  const given = number(env[setting.env] ?? '');
  if (typeof given !== 'number') return fallback;
  const used = ms(given);
  return used >= setting.limits.min && used <= setting.limits.max ? used : fallback;
}
