import { M, stopsAt } from './alertScenarios';
import type { PodRun, PodsStory } from './podsModel';
import type { TargetStory } from './probeModel';

/**
 * The stories the shipped rules are tested on across pods (test/src/alertRulesReplicas.test.ts):
 * live peers that hand targets over as pods come and go, and replicas of one target.
 */

/** When the incident starts: the windows hold 20 minutes of healthy pods before it. */
const T = 20 * M;

/** Targets with one story. */
const targets = (ids: string, told: TargetStory = {}) =>
  Object.fromEntries([...ids].map((id) => [id, told]));

/**
 * Pod `pod` restarted at `at` as a StatefulSet does it: it drained before `at` and is gone,
 * its targets `ids` are run by `cover` from `at + 30` (the live peers' handover) until the pod
 * is back at `at + 60` and takes them back (drained at `cover`).
 */
const restart = (pod: string, ids: string, cover: string, at: number): PodRun[] => [
  { pod, targets: targets(ids), from: 0, to: at },
  { pod: cover, targets: targets(ids), from: at + 30, to: at + 60 },
  { pod, targets: targets(ids), from: at + 60 },
];
/** The peers' digest as seen by a pod that learns of each change a round (15 s) late. */
const AGREED = 3141592653;
const lateBy = (changes: readonly number[]) => (t: number) =>
  changes.some((c) => t >= c && t < c + 15) ? 2718281828 : AGREED;

export interface PodScenario {
  readonly story: PodsStory;
  /** Alerts that fire: name, first second, and the labels they are told apart by. */
  readonly fires: ReadonlyArray<readonly [string, number, Record<string, string>]>;
  /** Alerts pending at a second: the rule saw the fault, and its `for:` rides it out. */
  readonly pending?: ReadonlyArray<readonly [string, number]>;
}

export const POD_SCENARIOS: Record<string, PodScenario> = {
  'a rolling restart of 3 pods, each gone a minute and its targets moved within 30 s: nothing fires':
    {
      story: {
        seconds: T + 20 * M,
        configured: 6,
        // probe-0 learns of the first two changes of the peers a round after the others.
        runs: [
          ...restart('probe-2', 'ef', 'probe-0', T),
          ...restart('probe-1', 'cd', 'probe-2', T + 5 * M),
          ...restart('probe-0', 'ab', 'probe-1', T + 10 * M),
        ].map((run) =>
          run.pod === 'probe-0' ? { ...run, digest: lateBy([T + 30, T + 5 * M + 30]) } : run,
        ),
      },
      fires: [],
      pending: [
        ['ProbeTargetsUnowned', T + 15],
        ['ProbeShardPeersDisagree', T + 30],
        ['ProbeTargetsUnowned', T + 5 * M + 15],
      ],
    },
  'two replicas, one gone at 20 min for good: nothing fires': {
    story: {
      seconds: T + 30 * M,
      configured: 2,
      runs: [
        { pod: 'probe-0', targets: targets('ab'), from: 0 },
        { pod: 'probe-1', targets: targets('ab'), from: 5, to: T },
      ],
    },
    fires: [],
  },
  'two replicas, the pipeline stops at 20 min as both see it: one page per target': {
    story: {
      seconds: T + 10 * M,
      configured: 2,
      runs: ['probe-0', 'probe-1'].map((pod, i) => ({
        pod,
        targets: targets('ab', { delay: stopsAt(T) }),
        from: 5 * i,
      })),
    },
    fires: [...'ab'].flatMap((target) => [
      ['ProbeEventsAllBad', T + 120, { target }] as const,
      ['ProbePipelineDeliversNothing', T + 135, { target }] as const,
      ['ProbeSLOBurnFast', T + 360, { target }] as const,
    ]),
  },
  'two replicas, probe-1 without a listener as the pipeline stops at 20 min: probe-0 still pages': {
    story: {
      seconds: T + 10 * M,
      configured: 1,
      runs: [
        { pod: 'probe-0', targets: targets('a', { delay: stopsAt(T) }), from: 0 },
        {
          pod: 'probe-1',
          targets: targets('a', { delay: stopsAt(T), connected: (t) => (t >= T ? 0 : 2) }),
          from: 5,
        },
      ],
    },
    fires: [
      ['ProbeEventsAllBad', T + 120, { target: 'a' }],
      ['ProbePipelineDeliversNothing', T + 135, { target: 'a' }],
      ['ProbeSLOBurnFast', T + 360, { target: 'a' }],
    ],
  },
  // Every event counts in the SLI, whichever replica posted it: half of them lost is the
  // pipeline losing data. But the pipeline does deliver (probe-0's events), so the alerts
  // that say it delivers nothing keep quiet.
  "two replicas, none of probe-1's events arrive from 20 min: the burn rates, not the stop pages": {
    story: {
      seconds: T + 20 * M,
      configured: 1,
      runs: [
        { pod: 'probe-0', targets: targets('a'), from: 0 },
        { pod: 'probe-1', targets: targets('a', { delay: stopsAt(T) }), from: 5 },
      ],
    },
    fires: [
      ['ProbeSLOBurnFast', T + 645, { target: 'a' }],
      ['ProbeSLOBurnSlow', T + 1095, { target: 'a' }],
    ],
  },
  'a lost node: probe-2 unreachable from 20 min, its targets re-owned in 30 s: ProbeDown only': {
    story: {
      seconds: T + 10 * M,
      configured: 6,
      runs: [
        { pod: 'probe-0', targets: targets('ab'), from: 0 },
        { pod: 'probe-1', targets: targets('cd'), from: 0 },
        { pod: 'probe-2', targets: targets('ef'), from: 0, down: [T] },
        { pod: 'probe-0', targets: targets('ef'), from: T + 30 },
      ],
    },
    fires: [['ProbeDown', T + 5 * M, { instance: 'probe-2:8000' }]],
  },
  'a node lost for 2 minutes, its targets re-owned in 30 s and given back: nothing fires': {
    story: {
      seconds: T + 10 * M,
      configured: 4,
      runs: [
        { pod: 'probe-0', targets: targets('ab'), from: 0 },
        { pod: 'probe-1', targets: targets('cd'), from: 0, down: [T, T + 2 * M] },
        { pod: 'probe-0', targets: targets('cd'), from: T + 30, to: T + 2 * M + 30 },
      ],
    },
    fires: [],
    pending: [
      ['ProbeDown', T + 15],
      ['ProbeTargetsUnowned', T + 15],
    ],
  },
  'two replicas, a pod gone that the SRV records still list: its target runs nowhere, a warning at 5 min':
    {
      story: {
        seconds: T + 10 * M,
        configured: 3,
        runs: [
          { pod: 'probe-0', targets: targets('ab'), from: 0 },
          { pod: 'probe-1', targets: targets('ab'), from: 0 },
          // The peers still rank it, so none takes c; summed, the pods own more than 3.
          { pod: 'probe-2', targets: targets('c'), from: 0, to: T },
        ],
      },
      fires: [['ProbeTargetsUnowned', T + 5 * M, {}]],
    },
  'a pod sees other peers from 20 min on: ProbeShardPeersDisagree after its minute, and only it': {
    story: {
      seconds: T + 25 * M,
      configured: 4,
      runs: [
        { pod: 'probe-0', targets: targets('ab'), from: 0 },
        // Its look-ups fail from T: it keeps the peers it read last, which changed meanwhile.
        {
          pod: 'probe-1',
          targets: targets('cd'),
          from: 0,
          digest: (t) => (t >= T ? 1 : AGREED),
          peers: (t) => (t >= T ? 3 : 2),
        },
      ],
    },
    fires: [['ProbeShardPeersDisagree', T + 60, {}]],
  },
};
