import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Running, run } from '../../helpers/process';
import {
  LOOPBACK_METRICS,
  scrapeTargets,
  standInUrls,
  startStandIns,
  WEBHOOK_TOKEN,
  waitFor,
} from '../../helpers/stack';

/**
 * Shards without a coordinator, proven with real processes on one targets file against the
 * stand-ins: each runs only the targets it wins, every target is posted to by exactly one of
 * them, and a fourth shard takes about a quarter of the targets, from the others.
 */
const IDS = Array.from({ length: 24 }, (_, i) => `ds-${i}`);

async function owned(probe: Running): Promise<string[]> {
  const port = await probe.port();
  let ids: string[] = [];
  await waitFor(
    async () => {
      const series = await scrapeTargets(port);
      ids = [...series.keys()].filter((id) => id !== '').sort();
      return series.get('')?.get('probe_targets_owned') === ids.length;
    },
    10_000,
    () => `the owned targets in a scrape:\n${probe.output()}`,
  );
  return ids;
}

test('shards 0..N-1 split one targets file: each target once, a new shard moves about 1/(N+1)', {
  timeout: 60_000,
}, async () => {
  const { hub, collector } = await startStandIns();
  const dir = mkdtempSync(join(tmpdir(), 'probe-shards-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'targets.yaml');
  const lines = ['defaults:', '  webhookToken: {env: HOOK}', '  websocketListeners: 1', 'targets:'];
  for (const id of IDS) lines.push(`  - {id: ${id}, datasetId: ${id}}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const shard = (shards: number, env: Record<string, string>) =>
    run({
      PROBE_TARGETS_FILE: file,
      PROBE_SHARDS: String(shards),
      HOOK: WEBHOOK_TOKEN,
      POST_EVENT_INTERVAL_SECONDS: '0.5',
      ...standInUrls(hub, collector),
      ...LOOPBACK_METRICS,
      ...env,
    });
  const stopAll = async (probes: Running[]) => {
    for (const probe of probes) probe.child.kill('SIGTERM');
    for (const probe of probes) assert.equal((await probe.exit).code, 0);
  };

  // Three shards, the last one finding its index in its name, as a StatefulSet pod does.
  const three = [
    shard(3, { PROBE_SHARD_INDEX: '0' }),
    shard(3, { PROBE_SHARD_INDEX: '1' }),
    shard(3, { HOSTNAME: 'probe-2' }),
  ];
  let byThree: string[][];
  try {
    byThree = await Promise.all(three.map(owned));
    assert.deepEqual(byThree.flat().sort(), [...IDS].sort(), 'every target once, none twice');
    assert.ok(byThree.every((ids) => ids.length > 0));
    // The collector saw each dataset's posts from one probe only (one app id per dataset).
    await waitFor(
      () => IDS.every((id) => collector.stats.requests.some((r) => r.path.includes(`/${id}/`))),
      10_000,
      'a post for every target',
    );
    const appIds = new Map<string, Set<string>>();
    for (const request of collector.stats.requests) {
      const dataset = IDS.find((id) => request.path.includes(`/${id}/`));
      if (!dataset) continue;
      const appId = (JSON.parse(request.body) as { app_id: string }).app_id;
      appIds.set(dataset, (appIds.get(dataset) ?? new Set()).add(appId));
    }
    for (const id of IDS) assert.equal(appIds.get(id)?.size, 1, `${id} posted by one probe`);
  } finally {
    await stopAll(three);
  }

  // A fourth shard: only what it wins moves, all of it to the new shard.
  const four = [0, 1, 2, 3].map((index) => shard(4, { PROBE_SHARD_INDEX: String(index) }));
  try {
    const byFour = await Promise.all(four.map(owned));
    assert.deepEqual(byFour.flat().sort(), [...IDS].sort());
    const before = new Map(byThree.flatMap((ids, index) => ids.map((id) => [id, index])));
    const moved = byFour.flatMap((ids, index) => ids.filter((id) => before.get(id) !== index));
    assert.deepEqual(moved.sort(), [...byFour[3]].sort(), 'only the new shard gained targets');
    assert.ok(moved.length <= IDS.length / 4 + 3, `${moved.length} of ${IDS.length} moved`);
  } finally {
    await stopAll(four);
  }
});
