import type { Story } from './probeModel';

/**
 * The stories the alert rules are tested on (test/artifacts/alertRules.test.ts): what each alert is
 * for, and when it starts firing, as promtool measures it on the probe model.
 */
export const SEVERITY = {
  ProbeEventsAllBad: 'critical',
  ProbeSLOBurnFast: 'critical',
  ProbeSLOBurnSlow: 'critical',
  ProbeSLOBudgetBurn: 'warning',
  ProbePipelineDeliversNothing: 'critical',
  ProbePostsFailing: 'critical',
  ProbeNoListenerConnected: 'critical',
  ProbeLatencyHigh: 'warning',
  ProbeScheduleLagging: 'warning',
  ProbeConfigReloadFailed: 'warning',
  ProbeCertificateExpiresSoon: 'warning',
  ProbeCertificateExpiresVerySoon: 'critical',
  ProbeDown: 'warning',
  ProbeGone: 'warning',
} as const;
export type Alert = keyof typeof SEVERITY;

/** The alerts about the probe process, per instance (ProbeGone: per job); the others are per target. */
export const PER_PROCESS: ReadonlySet<Alert> = new Set<Alert>([
  'ProbeScheduleLagging',
  'ProbeConfigReloadFailed',
  'ProbeDown',
  'ProbeGone',
]);

export const M = 60;
/** When the incident of a story starts: the windows hold 20 minutes of a healthy probe. */
const T = 20 * M;
/** A default event's way through the pipeline, and the pipeline delivering nothing from t0. */
export const stopsAt = (t0: number) => (t: number) => (t + 0.2 >= t0 ? undefined : 0.2);

/**
 * An alert first firing at a second, with labels beyond job, instance and severity: `target`
 * (the one target's when not given) and any other.
 */
export type Fires = readonly [alert: Alert, second: number, labels?: Record<string, string>];

export interface Scenario {
  readonly story: Story;
  /** Scrape and evaluation interval, seconds. */
  readonly step: number;
  /** Every alert that fires in the story, and when it first does; no other one ever fires. */
  readonly fires: readonly Fires[];
}

export const SCENARIOS: Record<string, Scenario> = {
  'a start: series appear from nothing, and nothing fires': {
    story: { seconds: 30 * M, start: 97 },
    step: 15,
    fires: [],
  },
  'the pipeline stops at 20 min: the page within 2 min, then the symptom and the burn rates': {
    story: { seconds: 50 * M, delay: stopsAt(T) },
    step: 15,
    fires: [
      ['ProbeEventsAllBad', T + 120],
      ['ProbePipelineDeliversNothing', T + 135],
      ['ProbeSLOBurnFast', T + 360],
      ['ProbeSLOBurnSlow', T + 1005],
    ],
  },
  'the pipeline slows past the objective at 20 min: the page, the burn rates, the p99': {
    story: { seconds: 45 * M, delay: (t) => (t >= T ? 45 : 0.2) },
    step: 15,
    fires: [
      ['ProbeEventsAllBad', T + 120],
      ['ProbeSLOBurnFast', T + 360],
      ['ProbeLatencyHigh', T + 960],
      ['ProbeSLOBurnSlow', T + 1005],
    ],
  },
  'a slow burn, 8 % lost from 1 h: the slow page and the ticket, no fast page': {
    story: {
      seconds: 420 * M,
      delay: (t, seqno) => (t >= 60 * M && seqno % 25 < 2 ? undefined : 0.2),
    },
    step: 60,
    fires: [
      ['ProbeSLOBudgetBurn', 132 * M],
      ['ProbeSLOBurnSlow', 262 * M],
    ],
  },
  'a steady 2 % lost: the ticket, no page': {
    story: { seconds: 300 * M, delay: (_, seqno) => (seqno % 50 === 0 ? undefined : 0.2) },
    step: 60,
    fires: [['ProbeSLOBudgetBurn', 69 * M]],
  },
  'one slow event among hundreds: nothing fires': {
    story: { seconds: 30 * M, delay: (t) => (t === T ? 45 : 0.2) },
    step: 15,
    fires: [],
  },
  'the collector refuses every post from 20 min: PostsFailing, no page on the SLI': {
    story: { seconds: 35 * M, postFails: (t) => t >= T },
    step: 15,
    fires: [['ProbePostsFailing', T + 600]],
  },
  'a collector blip of three minutes: nothing fires': {
    story: { seconds: 30 * M, postFails: (t) => t >= T && t < T + 3 * M },
    step: 15,
    fires: [],
  },
  'the subscription is down from 20 min: NoListenerConnected, then the burn rates': {
    story: { seconds: 40 * M, connected: (t) => (t >= T ? 0 : 2) },
    step: 15,
    fires: [
      ['ProbeNoListenerConnected', T + 300],
      ['ProbeSLOBurnFast', T + 360],
      ['ProbeSLOBurnSlow', T + 1005],
    ],
  },
  'a rotation, one dropped connection, both dropped for a minute: nothing fires': {
    story: {
      seconds: 30 * M,
      connected: (t) =>
        t >= 8 * M && t < 8 * M + 2
          ? 3
          : t >= 14 * M && t < 14 * M + 3
            ? 1
            : t >= T && t < T + M
              ? 0
              : 2,
    },
    step: 15,
    fires: [],
  },
  'the probe lags its schedule from 20 min: ScheduleLagging': {
    story: { seconds: 35 * M, scheduleLag: (t) => (t >= T ? 2 : 0) },
    step: 15,
    fires: [['ProbeScheduleLagging', T + 660]],
  },
  'the probe stops answering scrapes at 20 min: ProbeDown': {
    story: { seconds: 30 * M, up: (t) => t < T },
    step: 15,
    fires: [['ProbeDown', T + 300]],
  },
  'the probe target disappears at 20 min: ProbeGone': {
    story: { seconds: 35 * M, up: (t) => (t < T ? true : undefined) },
    step: 15,
    fires: [['ProbeGone', T + 600]],
  },
  'two targets, a stops at 20 min: the page for a; no alert carries target b': {
    story: { seconds: 30 * M, targets: { a: { delay: stopsAt(T) }, b: {} } },
    step: 15,
    fires: [
      ['ProbeEventsAllBad', T + 120, { target: 'a' }],
      ['ProbePipelineDeliversNothing', T + 135, { target: 'a' }],
      ['ProbeSLOBurnFast', T + 360, { target: 'a' }],
    ],
  },
  'two targets, a stops at 20 min and b 3 min later: each its own page, at its own time': {
    story: {
      seconds: 30 * M,
      targets: { a: { delay: stopsAt(T) }, b: { delay: stopsAt(T + 3 * M) } },
    },
    step: 15,
    fires: [
      ['ProbeEventsAllBad', T + 120, { target: 'a' }],
      ['ProbePipelineDeliversNothing', T + 135, { target: 'a' }],
      ['ProbeEventsAllBad', T + 300, { target: 'b' }],
      ['ProbePipelineDeliversNothing', T + 315, { target: 'b' }],
      ['ProbeSLOBurnFast', T + 360, { target: 'a' }],
      // Not 540: b's hour holds 3 more healthy minutes than a's (the story starts at 0).
      ['ProbeSLOBurnFast', T + 570, { target: 'b' }],
    ],
  },
  'a reload of the targets file fails at 20 min and stays failed: ProbeConfigReloadFailed': {
    story: { seconds: 30 * M, reloadFails: (t) => t >= T },
    step: 15,
    fires: [['ProbeConfigReloadFailed', T + 300]],
  },
  'a failed reload mended 2 minutes later: nothing fires': {
    story: { seconds: 30 * M, reloadFails: (t) => t >= T && t < T + 2 * M },
    step: 15,
    fires: [],
  },
  'certificates: the warning 21 days ahead, the page 3 days ahead, each per endpoint': {
    story: {
      seconds: 40 * M,
      // promtool's clock starts at 0: these expire 21 days plus 5 minutes, 3 days plus 10
      // minutes and 90 days after its start.
      certExpiry: {
        collector: 21 * 86400 + 5 * M,
        subscription: 3 * 86400 + 10 * M,
        token: 90 * 86400,
      },
    },
    step: 60,
    fires: [
      ['ProbeCertificateExpiresSoon', 10 * M, { endpoint: 'subscription' }],
      ['ProbeCertificateExpiresSoon', 16 * M, { endpoint: 'collector' }],
      ['ProbeCertificateExpiresVerySoon', 21 * M, { endpoint: 'subscription' }],
    ],
  },
};
