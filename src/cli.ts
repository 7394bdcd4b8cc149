/** What the command line asks for: run the probe (the default), check, help or version. */
export type Command = 'run' | 'check-config' | 'help' | 'version';

const FLAGS: Readonly<Record<string, Command>> = {
  '--check-config': 'check-config',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-v': 'version',
};

/** Help and version win over everything else given, so they answer even beside a typo. */
const PRECEDENCE: readonly Command[] = ['help', 'version', 'check-config', 'run'];

/**
 * Reads the arguments. Anything unknown is refused rather than ignored: a person who typed
 * `--chek-config` must not get a running probe instead of a check.
 */
export function parseArgs(argv: readonly string[]): Command | { readonly error: string } {
  const known = (arg: string) => Object.hasOwn(FLAGS, arg);
  const unknown = argv.filter((arg) => !known(arg));
  const asked = new Set(argv.filter(known).map((arg) => FLAGS[arg]));
  const command = PRECEDENCE.find((c) => asked.has(c)) ?? 'run';
  if (command === 'help' || command === 'version') return command;
  if (unknown.length > 0) {
    const list = unknown.map((arg) => JSON.stringify(arg)).join(', ');
    return {
      error: `unknown argument${unknown.length > 1 ? 's' : ''}: ${list} (see --help for what is accepted)`,
    };
  }
  return command;
}
