import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startPrometheus } from '../helpers/prometheus';
import { DATASET, startStack, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

/** The shipped rules in a real Prometheus scraping a real probe and its stand-ins. */
const RULES = join(__dirname, '..', '..', '..', 'deploy', 'prometheus', 'alerts.yaml');
const PROMETHEUS = tool('prometheus');
/** Series the probe exports only once an endpoint spoke TLS; the stand-ins speak plain HTTP. */
const TLS_ONLY = new Set(['probe_tls_cert_expiry_timestamp_seconds']);

describe('the shipped rules live: a real Prometheus scraping a real probe', {
  skip: PROMETHEUS.skip,
  timeout: 240_000,
}, () => {
  test('every rule evaluates against the series the probe exports; a stop makes both pipeline pages pending; exemplars name events', async () => {
    const stack = await startStack({
      POST_EVENT_INTERVAL_SECONDS: '0.2',
      MISSING_GRACE_SECONDS: '0.2',
      // Bad a second after its post, so the SLI sees the stop below within seconds.
      LATENCY_OBJECTIVE_SECONDS: '1',
    });
    const server = await startPrometheus(PROMETHEUS.path as string, stack.probe.port, {
      job: 'dataplatform-probe',
      ruleFiles: [RULES],
      features: ['exemplar-storage'],
    });
    try {
      // Every series a rule names is one the probe exports (or a recording rule of the file).
      const exported = new Set(
        (await (await fetch(`http://127.0.0.1:${stack.probe.port}/metrics`)).text())
          .split('\n')
          .filter((line) => line && !line.startsWith('#'))
          .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0]),
      );
      const text = readFileSync(RULES, 'utf8');
      // Recording rules of the file, and `up`, which Prometheus makes for every target.
      const recorded = new Set([...text.matchAll(/- record: (\S+)/g)].map((m) => m[1]));
      recorded.add('up');
      const named = new Set(
        [
          ...text.matchAll(
            /expr: [|>]?\s*([\s\S]*?)(?=\n\s+(?:for|labels|- record|- alert):|\n\n|$)/g,
          ),
        ]
          .flatMap((m) => [...m[1].matchAll(/\b(probe[_:][a-z0-9_:]*|up)\b(?!\s*\()/g)])
          .map((m) => m[1]),
      );
      assert.ok(named.size >= 10, `found ${[...named]}`);
      for (const name of named) {
        assert.ok(
          exported.has(name) || recorded.has(name) || TLS_ONLY.has(name),
          `a rule names ${name}, which nothing exports`,
        );
      }

      interface Rule {
        name: string;
        health: string;
        lastError?: string;
        type: string;
        state?: string;
        alerts?: Array<{ labels: Record<string, string> }>;
      }
      const rules = async () =>
        (await server.api<{ groups: Array<{ rules: Rule[] }> }>('/api/v1/rules')).groups.flatMap(
          (group) => group.rules,
        );
      await waitFor(
        async () => (await rules()).every((rule) => rule.health === 'ok'),
        20_000,
        'every rule to evaluate without error',
      );
      assert.equal((await rules()).length, 22);
      // Delivery works: the SLI has data and the pipeline alert is quiet.
      await waitFor(
        async () => (await server.query('probe:sli_error_ratio:rate5m')).data.result.length === 1,
        20_000,
        'the SLI recording rule to have data',
      );
      const state = async (alert: string) =>
        (await rules()).find((rule) => rule.name === alert)?.state ?? '';
      assert.equal(await state('ProbePipelineDeliversNothing'), 'inactive');
      assert.equal(await state('ProbeEventsAllBad'), 'inactive');

      // Exemplars name the event behind a latency bucket.
      const now = Date.now() / 1000;
      const exemplars = await server.api<
        Array<{ exemplars: Array<{ labels: Record<string, string> }> }>
      >(
        `/api/v1/query_exemplars?query=probe_event_latency_seconds_bucket&start=${now - 120}&end=${now + 1}`,
      );
      const labels = exemplars.flatMap((series) => series.exemplars.map((e) => e.labels));
      assert.ok(labels.length > 0, 'no exemplars stored');
      assert.ok(labels.every((l) => l.app_id === stack.probe.appId && /^\d+$/.test(l.seqno)));

      // The pipeline stops delivering: the events settle bad a second later, long before they
      // turn lost, so the SLI's page turns pending once 90 s pass without a good one (its
      // expression's series match on their labels); the symptom's after its 1-minute window.
      stack.collector.tuning.NO_EMIT_PERCENT = 100;
      const pending = (alert: string) => async () =>
        ['pending', 'firing'].includes(await state(alert));
      await waitFor(pending('ProbeEventsAllBad'), 130_000, 'ProbeEventsAllBad to turn pending');
      assert.ok(await pending('ProbePipelineDeliversNothing')(), 'DeliversNothing not pending');
      // Per target: the one-target form's target is its dataset id; no instance, no other.
      for (const alert of ['ProbeEventsAllBad', 'ProbePipelineDeliversNothing']) {
        const labels = (await rules()).find((rule) => rule.name === alert)?.alerts ?? [];
        assert.deepEqual(
          labels.map((a) => a.labels),
          [{ alertname: alert, job: 'dataplatform-probe', severity: 'critical', target: DATASET }],
        );
      }
      const lost = await server.query('sum(probe_events_lost_total) > 0');
      assert.equal(lost.data.result.length, 0, 'events counted lost: the lost timeout is 300 s');
    } finally {
      await server.stop();
      await stack.stop();
    }
  });
});
