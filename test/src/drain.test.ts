import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startCollector } from '../../local/collector';
import type { CollectorTuning } from '../../local/collectorTuning';
import { startHub } from '../../local/hub';
import { run } from '../helpers/process';
import {
  DATASET,
  LOOPBACK_METRICS,
  sleep,
  standInUrls,
  WEBHOOK_TOKEN,
  waitFor,
} from '../helpers/stack';

/** Stand-ins tuned as asked, and a probe as the image runs it posting every 0.2 s to them. */
async function probeWith(tuning: Partial<CollectorTuning>, drainSeconds: number) {
  const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN });
  const collector = await startCollector({
    port: 0,
    publish: (dataset, json) => hub.publish(dataset, json),
    webhookToken: WEBHOOK_TOKEN,
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0, ...tuning },
  });
  const probe = run({
    PROBE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    PROBE_DATASET_ID: DATASET,
    ...standInUrls(hub, collector),
    ...LOOPBACK_METRICS,
    POST_EVENT_INTERVAL_SECONDS: '0.2',
    STOP_DRAIN_SECONDS: String(drainSeconds),
  });
  after(async () => {
    probe.child.kill('SIGKILL');
    await collector.close();
    await hub.close();
  });
  const port = await probe.port();
  return { hub, collector, probe, port };
}

/** The books on the last log line of a stop, by target. */
function stoppedBooks(stdout: string): Record<string, Record<string, number>> {
  const line = stdout.split('\n').find((l) => l.includes('"message":"stopped"'));
  assert.ok(line, `no "stopped" line in:\n${stdout}`);
  return JSON.parse(line).books;
}

const status = async (port: number, path: string) =>
  (await fetch(`http://127.0.0.1:${port}${path}`)).status;

describe('a stop drains: posting stops, listening goes on, every event accounted for', () => {
  test('events in flight at SIGTERM are received before the probe exits; not ready meanwhile', async () => {
    // Every event is held 1–1.5 s by the pipeline: at any moment some 5–7 are in flight.
    const { collector, probe, port } = await probeWith(
      { ADD_LATENCY_PERCENT: 100, LATENCY_RANGE_MIN: 1, LATENCY_RANGE_MAX: 1.5 },
      20,
    );
    await waitFor(
      () => collector.stats.emitted >= 3,
      15_000,
      () => 'three events delivered',
    );
    probe.child.kill('SIGTERM');
    await probe.said('"message":"draining: posting stopped');
    const takenAtStop = collector.stats.accepted;
    assert.equal(await status(port, '/readyz'), 503, 'not ready while draining');
    assert.equal(await status(port, '/metrics'), 200, 'metrics still served while draining');
    const { code } = await probe.exit;
    assert.equal(code, 0);
    const books = stoppedBooks(probe.stdout())[DATASET];
    // At most one post was on its way when the signal came.
    assert.ok(collector.stats.accepted - takenAtStop <= 1, 'posting stopped at the signal');
    assert.equal(books.posted, collector.stats.accepted, 'every event the collector took');
    assert.equal(books.received, books.posted, JSON.stringify(books));
    assert.equal(books.drained, 0);
    assert.equal(books.inFlight, 0);
    assert.match(probe.stdout(), /"message":"drained: every event settled"/);
  });

  test('at the deadline, events still in flight end drained: in the books, never forgotten', async () => {
    // The pipeline delivers nothing: every event posted is in flight until the deadline.
    const { collector, probe } = await probeWith({ NO_EMIT_PERCENT: 100 }, 1);
    await waitFor(
      () => collector.stats.accepted >= 3,
      15_000,
      () => 'three events taken',
    );
    probe.child.kill('SIGTERM');
    const { code } = await probe.exit;
    assert.equal(code, 0);
    const books = stoppedBooks(probe.stdout())[DATASET];
    assert.equal(books.posted, collector.stats.accepted);
    assert.equal(books.received + books.lost, 0);
    assert.equal(books.drained, books.posted, JSON.stringify(books));
    assert.equal(books.inFlight, 0);
    assert.match(probe.stdout(), /"message":"drain deadline passed with events unsettled"/);
  });

  test('a second stop signal stops at once, without waiting for the drain', async () => {
    const { collector, probe } = await probeWith({ NO_EMIT_PERCENT: 100 }, 600);
    await waitFor(
      () => collector.stats.accepted >= 2,
      15_000,
      () => 'two events taken',
    );
    probe.child.kill('SIGTERM');
    await probe.said('"message":"draining: posting stopped');
    await sleep(200);
    assert.equal(probe.child.exitCode, null, 'still draining after the first signal');
    probe.child.kill('SIGINT');
    const { code } = await probe.exit;
    assert.equal(code, 0);
    assert.match(probe.stdout(), /"message":"stopping at once: a second stop signal"/);
    assert.doesNotMatch(probe.stdout(), /"message":"stopped"/);
  });
});
