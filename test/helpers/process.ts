import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './stack';

const MAIN = join(__dirname, '..', '..', 'src', 'main.js');

export interface Running {
  child: ChildProcess;
  output: () => string;
  port: () => Promise<number>;
  exit: Promise<{ code: number | null; at: number }>;
}

/** The probe as its own process, with its output collected. */
export function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  return {
    child,
    output: () => output,
    exit,
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
