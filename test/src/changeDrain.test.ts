import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startCollector } from '../../local/collector';
import { startHub } from '../../local/hub';
import { tempDir } from '../helpers/files';
import { run } from '../helpers/process';
import { LOOPBACK_METRICS, scrape, sleep, WEBHOOK_TOKEN, waitFor } from '../helpers/stack';

const DATASET = 'change-drain';

const targetsFile = (team: string) =>
  [
    'targets:',
    '  - id: orders',
    `    datasetId: ${DATASET}`,
    '    webhookToken: {env: TOKEN}',
    '    postEventIntervalSeconds: 0.2',
    `    labels: {team: ${team}}`,
  ].join('\n');

test('a target changed by a reload while its events are in flight: the old pipeline drains, the books go on across the change', async () => {
  const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN });
  // Every event is held 1–1.5 s by the pipeline: at the change some 5–7 are in flight.
  const collector = await startCollector({
    port: 0,
    publish: (dataset, json) => hub.publish(dataset, json),
    webhookToken: WEBHOOK_TOKEN,
    tuning: {
      ADD_LATENCY_PERCENT: 100,
      LATENCY_RANGE_MIN: 1,
      LATENCY_RANGE_MAX: 1.5,
      NO_EMIT_PERCENT: 0,
    },
  });
  const dir = tempDir();
  const file = join(dir, 'targets.yaml');
  writeFileSync(file, targetsFile('a'));
  const probe = run({
    PROBE_TARGETS_FILE: file,
    TOKEN: WEBHOOK_TOKEN,
    WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
    EVENT_COLLECTOR_URL: `http://127.0.0.1:${collector.port}`,
    STOP_DRAIN_SECONDS: '5',
    ...LOOPBACK_METRICS,
  });
  after(async () => {
    probe.child.kill('SIGKILL');
    await collector.close();
    await hub.close();
  });
  const port = await probe.port();
  await waitFor(
    () => collector.stats.emitted >= 5,
    15_000,
    () => 'five events delivered',
  );
  const scrapes: Map<string, number>[] = [];
  const watch = setInterval(async () => {
    scrapes.push(await scrape(port).catch(() => new Map()));
  }, 100);
  after(() => clearInterval(watch));
  writeFileSync(file, targetsFile('b'));
  probe.child.kill('SIGHUP');
  await probe.said('"message":"draining: posting stopped');
  await probe.said('"message":"drained: every event settled"', 15_000);
  await sleep(1_000);
  clearInterval(watch);
  const last = await scrape(port);
  probe.child.kill('SIGTERM');
  const { code } = await probe.exit;
  assert.equal(code, 0);

  // Each pipeline's last line carries its books: the old one's when it drained, the new one's
  // at the stop. Together they are every event the collector took, each received once.
  const stopped = probe
    .stdout()
    .split('\n')
    .filter((line) => line.includes('"message":"target stopped"'))
    .map((line) => JSON.parse(line));
  assert.equal(stopped.length, 2, probe.stdout());
  const sum = (book: string) => stopped.reduce((total, books) => total + books[book], 0);
  assert.equal(sum('posted'), collector.stats.accepted);
  assert.equal(sum('received'), sum('posted'));
  assert.equal(sum('drained') + sum('lost') + sum('inFlight'), 0);

  // The counters went on across the change: never back, and past what the old one posted.
  const posted = scrapes.map((m) => m.get('probe_events_posted_total') ?? 0).filter((v) => v > 0);
  for (let i = 1; i < posted.length; i++) {
    assert.ok(posted[i] >= posted[i - 1], `posted went back: ${posted.join(' ')}`);
  }
  assert.ok((last.get('probe_events_posted_total') ?? 0) > stopped[0].posted);
  // Nothing of ours counted as another probe's: the new pipeline saw the old one's events, in
  // flight at the change, as a sibling's.
  assert.equal(last.get('probe_wrong_appid_total'), 0);
  assert.ok((last.get('probe_sibling_events_total') ?? 0) > 0);
});
