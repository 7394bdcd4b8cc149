import { ListenError } from './listen';
import { HOST_VARIABLE } from './standInSettings';

/**
 * Starts a stand-in; if it cannot listen, the error says which stand-in and which variable
 * moves it, in one line.
 */
export async function started<T>(
  what: string,
  portVariable: string,
  start: Promise<T>,
): Promise<T> {
  try {
    return await start;
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    const variable =
      error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? HOST_VARIABLE : portVariable;
    throw new Error(`${what} cannot listen: ${error.message} (set ${variable} to move it)`);
  }
}

/**
 * Runs a stand-in's command line: what ends it before it is up is one line on stderr and exit
 * code 1, never a stack trace.
 */
export function runCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
