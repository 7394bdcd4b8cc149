import { parentPort, workerData } from 'node:worker_threads';
import { loadTargets } from '../targets/loadTargets';

/**
 * The worker side of `guardedLoad`: loads the targets file in its own thread and heap, and
 * posts back what came of it. A file crafted against the parser (deep nesting that overflows
 * its stack) is a problem with the file, said as one; anything else is for the parent to tell.
 */
const { path, env } = workerData as { path: string; env: NodeJS.ProcessEnv };

loadTargets(path, env).then(
  (loaded) => parentPort?.postMessage({ loaded }),
  (error: unknown) => {
    const overflow = error instanceof RangeError;
    const message = overflow
      ? 'is nested too deeply to read'
      : `could not be loaded (${error instanceof Error ? error.name : 'error'})`;
    parentPort?.postMessage({ loaded: { targets: [], problems: [{ file: path, message }] } });
  },
);
