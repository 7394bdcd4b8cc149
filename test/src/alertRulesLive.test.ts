import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startPrometheus } from '../helpers/prometheus';
import { startStack, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

/** The shipped rules in a real Prometheus scraping a real probe and its stand-ins. */
const RULES = join(__dirname, '..', '..', '..', 'deploy', 'prometheus', 'alerts.yaml');
const PROMETHEUS = tool('prometheus');
/** Series the probe exports only once an endpoint spoke TLS; the stand-ins speak plain HTTP. */
const TLS_ONLY = new Set(['probe_tls_cert_expiry_timestamp_seconds']);

describe('the shipped rules live: a real Prometheus scraping a real probe', {
  skip: PROMETHEUS.skip,
  timeout: 180_000,
}, () => {
  test('every rule evaluates against the series the probe exports; a stop makes the pipeline alert pending; exemplars name events', async () => {
    const stack = await startStack({
      POST_EVENT_INTERVAL_SECONDS: '0.2',
      MISSING_GRACE_SECONDS: '0.2',
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
      assert.equal((await rules()).length, 21);
      // Delivery works: the SLI has data and the pipeline alert is quiet.
      await waitFor(
        async () => (await server.query('probe:sli_error_ratio:rate5m')).data.result.length === 1,
        20_000,
        'the SLI recording rule to have data',
      );
      const deliversNothing = async () =>
        (await rules()).find((rule) => rule.name === 'ProbePipelineDeliversNothing')?.state;
      assert.equal(await deliversNothing(), 'inactive');

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

      // The pipeline stops delivering: within the 1-minute window and the grace, the alert's
      // expression holds, and the alert turns pending.
      stack.collector.tuning.NO_EMIT_PERCENT = 100;
      await waitFor(
        async () => ['pending', 'firing'].includes((await deliversNothing()) ?? ''),
        100_000,
        'ProbePipelineDeliversNothing to turn pending',
      );
    } finally {
      await server.stop();
      await stack.stop();
    }
  });
});
