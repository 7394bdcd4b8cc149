import type { Config } from '../config/loadConfig';
import type { TargetProblem } from './problem';

/** One dataset in one environment, as the probe runs it. */
export interface Target {
  /** Unique across the files; the `target` label of its series. */
  readonly id: string;
  /** The labels of its `probe_target_info` series. */
  readonly labels: Readonly<Record<string, string>>;
  /** Checked as the one-target configuration is; secrets are their values here. */
  readonly config: Config;
  /** The file it is written in, for people (a target may move between files unchanged). */
  readonly file: string;
}

/** All the targets of the files, or — when anything is wrong — none and every problem. */
export type TargetsLoad =
  | { readonly targets: readonly Target[]; readonly problems: readonly [] }
  | { readonly targets: readonly []; readonly problems: readonly TargetProblem[] };
