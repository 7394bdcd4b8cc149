import type { Config } from '../config/loadConfig';
import type { ShardPlan } from '../shards/ownership';
import { problemLine } from './problem';
import { readSources } from './readSources';
import type { TargetSpec } from './runTarget';
import { ENV_NAME_PATTERN } from './schema';
import type { Target, TargetsLoad } from './target';
import type { TargetSource } from './targetSet';

/** A load's targets as the process runs them. */
const specs = (targets: readonly Target[]): TargetSpec[] =>
  targets.map(({ id, labels, config }) => ({ id, labels, config }));

/**
 * The targets file as a source of targets: loaded once to start (every problem, or the
 * targets), and again at each reload. Every shard reads the whole file and runs what it owns
 * (`planOf` says how this process knows its peers, from the process-wide settings; the target
 * set applies it, see `shards/`); `configured` is the whole file's count, the same on every
 * shard. The process-wide settings (variables only) are
 * the same in every target's configuration: the file's first target's serve the process.
 */
export async function targetsFile(
  path: string,
  env: NodeJS.ProcessEnv,
  planOf: (config: Config) => ShardPlan | { readonly problem: string },
  /** How the file is loaded, at the start and at each reload (`reload/guardedLoad.ts`). */
  loadTargets: (
    path: string,
    env: NodeJS.ProcessEnv,
  ) => Promise<TargetsLoad | { readonly failed: string }>,
): Promise<
  | {
      readonly config: Config;
      readonly source: TargetSource;
      /** Variables the file reads secrets from (`{env: NAME}`): ours, though not in the table. */
      readonly secretNames: readonly string[];
      /** Every target id of the file, all shards' (for `--check-config`). */
      readonly targetIds: readonly string[];
    }
  | { readonly problems: readonly string[] }
> {
  const first = await loadTargets(path, env);
  if ('failed' in first) return { problems: [`${path}: ${first.failed}`] };
  if (first.problems.length > 0) return { problems: first.problems.map(problemLine) };
  const config = first.targets[0].config;
  const plan = planOf(config);
  if ('problem' in plan) return { problems: [plan.problem] };
  const { sources } = await readSources(path);
  return {
    config,
    targetIds: first.targets.map((target) => target.id),
    secretNames: sources.flatMap((source) =>
      [...source.text.matchAll(ENV_REFERENCE)].map((match) => match[1]),
    ),
    source: {
      initial: specs(first.targets),
      configured: first.targets.length,
      plan,
      async load() {
        const loaded = await loadTargets(path, env);
        if ('failed' in loaded) return loaded;
        if (loaded.problems.length > 0) return { problems: loaded.problems.map(problemLine) };
        return { targets: specs(loaded.targets), configured: loaded.targets.length };
      },
    },
  };
}

/**
 * `env: NAME` in YAML or `"env": "NAME"` in JSON: a secret reference's variable, by the one
 * variable-name rule the schema holds `{env: NAME}` to.
 */
const ENV_REFERENCE = new RegExp(
  `["']?env["']?\\s*:\\s*["']?(${ENV_NAME_PATTERN.replace(/^\^|\$$/g, '')})`,
  'g',
);
