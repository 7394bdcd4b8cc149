import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './stack';

/** The repository's root, where the image's and `npm start`'s command lines run from. */
export const ROOT = join(__dirname, '..', '..', '..');

export interface Running {
  child: ChildProcess;
  /** stdout and stderr together, in arrival order. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  port: () => Promise<number>;
  /** Resolves once `text` shows in the output (a log line's message, say). */
  said: (text: string, timeoutMs?: number) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/**
 * The image's command line: the Dockerfile's JSON-array CMD, as Docker runs it (from /app, as
 * the tests run it from the repository's root).
 */
export function imageCommand(): string[] {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const line = /^CMD (\[.*\])\s*$/m.exec(dockerfile);
  if (!line) throw new Error('the Dockerfile has no JSON-array CMD line');
  const command = JSON.parse(line[1]) as unknown;
  if (!Array.isArray(command) || !command.every((part) => typeof part === 'string')) {
    throw new Error(`the Dockerfile's CMD is not an array of strings: ${line[1]}`);
  }
  return command;
}

/**
 * The probe as its own process, with its output collected: by default as the image runs it
 * (its CMD, node flags included, so every process test holds under them), or the given
 * command line; from the repository's root, with `args` appended. A stop drains for at most
 * 1 s (not the 20 s a pod gets) unless `env` says otherwise: tests stop probes whose pipelines
 * they broke.
 */
export function run(
  env: Record<string, string>,
  options: { command?: readonly string[]; args?: readonly string[] } = {},
): Running {
  const [file, ...rest] = options.command ?? imageCommand();
  const child = spawn(file, [...rest, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', STOP_DRAIN_SECONDS: '1', ...env },
  });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  // 'close', not 'exit': 'exit' can come before the last of the child's output has been read.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    said: (text, timeoutMs = 10_000) =>
      waitFor(
        () => output.includes(text),
        timeoutMs,
        () => `${text} in the output:\n${output}`,
      ),
    async port() {
      let port = 0;
      await waitFor(
        () => {
          const match = /"message":"metrics served","port":(\d+)/.exec(output);
          port = match ? Number(match[1]) : 0;
          return port > 0;
        },
        10_000,
        () => `the metrics port in the log:\n${output}`,
      );
      return port;
    },
  };
}
