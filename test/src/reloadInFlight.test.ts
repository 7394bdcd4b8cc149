import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startRecordingStandIns } from '../helpers/arrivals';
import { tempDir } from '../helpers/files';
import { run } from '../helpers/process';
import { appIdsOf, endedBooks, logLines } from '../helpers/shardFleet';
import { LOOPBACK_METRICS, scrapeTargets, waitFor } from '../helpers/stack';

/**
 * A handover inside one process, proven with a real one: a reload that changes a target while
 * its events are in flight starts the new pipeline at once and lets the old one drain, and the
 * old one's late events are the target's own (siblings), never another probe's.
 */
const saidOfTarget = (probe: ReturnType<typeof run>, id: string, message: string) =>
  logLines(probe.stdout()).some((line) => line.target === id && line.message === message);

test('a reload changes the token of a target with its events in flight: the old pipeline drains, books exact', async (t) => {
  // Every event held 1–2 s: at a post every 0.25 s, some 4–8 are in flight at any moment.
  const { collector, urls } = await startRecordingStandIns({
    ADD_LATENCY_PERCENT: 100,
    LATENCY_RANGE_MIN: 1,
    LATENCY_RANGE_MAX: 2,
  });
  const file = join(tempDir('probe-reload-'), 'targets.yaml');
  const write = (token: string) =>
    writeFileSync(
      file,
      [
        'defaults: {websocketListeners: 1, webhookToken: {env: HOOK}}',
        'targets:',
        `  - {id: ds-a, datasetId: ds-a, webhookToken: {env: ${token}}}`,
        '  - {id: ds-b, datasetId: ds-b}',
        '',
      ].join('\n'),
    );
  write('HOOK_A');
  const probe = run({
    ...urls,
    ...LOOPBACK_METRICS,
    PROBE_TARGETS_FILE: file,
    HOOK: 'hook-b-7c1e',
    HOOK_A: 'hook-a-one-7c1e',
    HOOK_A_NEW: 'hook-a-two-7c1e',
    POST_EVENT_INTERVAL_SECONDS: '0.25',
    STOP_DRAIN_SECONDS: '5',
    LOG_LEVEL: 'debug',
  });
  t.after(() => probe.child.kill('SIGKILL'));
  const port = await probe.port();
  const postsTo = (dataset: string, token?: string) =>
    collector.stats.requests.filter(
      (r) => r.path.includes(`/${dataset}/`) && (token === undefined || r.token === token),
    ).length;
  await waitFor(() => postsTo('ds-a') >= 8, 15_000, 'eight posts of ds-a');
  const inFlight = (await scrapeTargets(port)).get('ds-a')?.get('probe_events_in_flight');
  t.diagnostic(`ds-a events in flight at the reload: ${inFlight}`);
  write('HOOK_A_NEW');
  probe.child.kill('SIGHUP');
  await waitFor(
    () => saidOfTarget(probe, 'ds-a', 'drained: every event settled'),
    15_000,
    () => `the old pipeline of ds-a drained:\n${probe.output()}`,
  );
  await waitFor(() => postsTo('ds-a', 'hook-a-two-7c1e') >= 4, 10_000, 'posts with the new token');
  const series = (await scrapeTargets(port)).get('ds-a');
  assert.equal(series?.get('probe_wrong_appid_total'), 0);
  assert.ok(
    (series?.get('probe_sibling_events_total') ?? 0) > 0,
    'the old events seen as siblings',
  );

  probe.child.kill('SIGTERM');
  assert.equal((await probe.exit).code, 0);
  const books = endedBooks([probe]);
  const a = books.get('ds-a') ?? [];
  assert.equal(a.length, 2, 'the old pipeline and the new one');
  assert.deepEqual(a[0], { ...a[0], lost: 0, drained: 0, inFlight: 0, received: a[0].posted });
  assert.equal(a[0].posted + a[1].posted, postsTo('ds-a'));
  for (const b of a) assert.equal(b.received + b.lost + b.drained, b.posted, JSON.stringify(b));
  // The other target was left alone: one pipeline, from start to stop.
  assert.equal(appIdsOf(probe).get('ds-b')?.length, 1);
  assert.equal(books.get('ds-b')?.length, 1);
  assert.ok(!logLines(probe.stdout()).some((line) => line.message === 'event of another probe'));
});
