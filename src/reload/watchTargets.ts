import { createHash } from 'node:crypto';
import { readSources } from '../targets/readSources';

/** How often the targets file is looked at: a change is applied within two looks (~4 s). */
export const WATCH_EVERY_MS = 2_000;

/**
 * Calls `changed` once the content of the targets file (or of any file of the directory) is no
 * longer what was last applied AND has stopped changing: a new digest must be seen again on the
 * next look before it counts. So a file written in parts (a target cut, then pasted back) is
 * never applied half-written, which would stop the target and reset its counters. It is polled,
 * not watched by file-system events, so a ConfigMap's symlink swap, an editor's rename and a
 * plain write are all seen, where events miss some of them.
 */
export function watchTargets(path: string, everyMs: number, changed: () => void): () => void {
  let applied: string | undefined;
  let seen: string | undefined;
  let busy = false;
  const digest = async (): Promise<string> => {
    const { sources, problems } = await readSources(path);
    const hash = createHash('sha256');
    for (const source of sources) hash.update(source.file).update('\0').update(source.text);
    for (const problem of problems) hash.update(problem.message);
    return hash.digest('hex');
  };
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = await digest();
      if (applied === undefined) applied = now;
      else if (now !== applied && now === seen) {
        applied = now;
        changed();
      }
      seen = now;
    } catch {
      // A file caught mid-swap: the next look sees it whole.
    } finally {
      busy = false;
    }
  };
  void check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
