import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');
export const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');
/** The PrometheusRules `npm run build` makes from the rule files of deploy/prometheus/. */
export const RULES_BUILT = join(ROOT, 'dist', 'deploy', 'kubernetes');

/** A Kubernetes object as parsed, and the file it came from. */
export type Manifest = {
  file: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: the rest is any Kubernetes object's
  [key: string]: any;
};

/**
 * Every object of every YAML file under deploy/kubernetes/ and of the PrometheusRules built
 * beside them (what a user applies), with the file it came from.
 */
export function manifests(dirs = [KUBERNETES, RULES_BUILT]): Manifest[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .flatMap((name) => {
        const file = join(dir, name);
        return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
          if (doc.errors.length) throw new Error(`${name}: ${doc.errors[0].message}`);
          return { ...doc.toJS(), file: relative(ROOT, file) };
        });
      }),
  );
}

/** The one object of a kind and name. */
export function one(all: Manifest[], kind: string, name: string): Manifest {
  const found = all.filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${kind} named ${name}`);
  return found[0];
}

/** The pod template's containers of a workload. */
export const containers = (m: Manifest): Manifest[] => m.spec?.template?.spec?.containers ?? [];

/** Every path in an object at which a key of that name is set. */
export function pathsOfKey(value: unknown, key: string, at = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k === key ? [`${at}.${k}`] : []),
    ...pathsOfKey(v, key, `${at}.${k}`),
  ]);
}

/** Does a Kubernetes label selector's matchLabels select these labels? */
export const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
