/** Output that may wait in stdout's buffer; past it lines are dropped, not held in memory. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

let broken = false;
let watching = false;
let dropped = 0;

/**
 * Writes to stdout without ever taking the probe down or spinning it: a reader that went
 * away (EPIPE) turns further output off, and a reader that stalls has lines dropped once a
 * megabyte waits. Either way the line is counted as dropped.
 */
export function writeStdout(text: string): void {
  if (!watching) {
    watching = true;
    // Without a listener, a failed write is an uncaught error, and logging that one writes again.
    process.stdout.on('error', () => {
      broken = true;
    });
  }
  if (broken || process.stdout.destroyed || process.stdout.writableLength > MAX_BUFFERED_BYTES) {
    dropped += 1;
    return;
  }
  try {
    process.stdout.write(text);
  } catch {
    broken = true;
    dropped += 1;
  }
}

/** Lines of output dropped so far. */
export function droppedOutput(): number {
  return dropped;
}
