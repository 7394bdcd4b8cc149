import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Finds a Debian tool the tests need. In CI (CI=true) a missing tool fails the test, since
 * .ci/run installs it; on a developer's machine without it the test is skipped with a reason.
 */
export function tool(
  name: string,
  paths: string[] = [`/usr/bin/${name}`],
): { path?: string; skip: string | false } {
  const found = paths.find((p) => existsSync(p)) ?? which(name);
  if (found) return { path: found, skip: false };
  if (process.env.CI === 'true') throw new Error(`${name} is not installed; .ci/run installs it`);
  return {
    skip: `${name} is not installed (apt-get install ${name === 'promtool' ? 'prometheus' : name})`,
  };
}

function which(name: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
