import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ownersOf } from '../../streams/shardOwners';
import { type Arrival, startRecordingStandIns } from '../helpers/arrivals';
import { DNSMASQ } from '../helpers/dnsServer';
import { tempDir } from '../helpers/files';
import { type Running, run } from '../helpers/process';
import {
  appIdsOf,
  endedBooks,
  type Fleet,
  logLines,
  type PipelineBooks,
  startFleet,
} from '../helpers/shardFleet';
import { LOOPBACK_METRICS, scrape, scrapeTargets, sleep, waitFor } from '../helpers/stack';

/**
 * Shards that heal, proven with real parts: three probe processes as the pods of a StatefulSet,
 * a real DNS server (dnsmasq) as its headless Service, the stand-ins as the platform. A pod lost
 * with its node, a rolling restart and a reload mid-flight: every target keeps being posted,
 * and every event the collector took ends in some pipeline's books.
 */
const PODS = ['probe-0', 'probe-1', 'probe-2'];

const shardEnv = (urls: Record<string, string>, intervalS: number) => ({
  ...urls,
  HOOK: 'fleet-hook',
  POST_EVENT_INTERVAL_SECONDS: String(intervalS),
  // Long enough for any event in flight; a drain with nothing in flight ends at once.
  STOP_DRAIN_SECONDS: '5',
  // The debug lines tell every event of another probe ("event of another probe").
  LOG_LEVEL: 'debug',
});

const ownerIn = (pods: readonly string[]) => (id: string) => ownersOf(id, pods, 1)[0];

const saidOfTarget = (probe: Running, id: string, message: string) =>
  logLines(probe.stdout()).some((line) => line.target === id && line.message === message);

const foreignLines = (probes: readonly Running[]) =>
  probes.flatMap((probe) =>
    logLines(probe.stdout()).filter((line) => line.message === 'event of another probe'),
  );

/** Whether the pod answers 503 on /readyz, or no longer answers (it drained and left). */
async function notReady(probe: Running): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${await probe.port()}/readyz`)).status === 503;
  } catch {
    return probe.child.exitCode !== null || probe.child.signalCode !== null;
  }
}

/** The named fields of a log line. */
const pick = (line: object | undefined, keys: readonly string[]) =>
  Object.fromEntries(keys.map((key) => [key, (line as Record<string, unknown>)?.[key]]));

/** Each target's longest stretch without a post taken, over [from, to] (ms). */
function longestGaps(fleet: Fleet, arrivals: Map<string, Arrival[]>, from: number, to: number) {
  return fleet.ids.map((id) => {
    const times = (arrivals.get(id) ?? []).map((a) => a.at);
    // The stretch running at `from` counts from the post before it.
    const start = times.filter((at) => at <= from).at(-1) ?? from;
    const inside = [start, ...times.filter((at) => at > from && at <= to), to];
    let worst = 0;
    for (let i = 1; i < inside.length; i += 1) worst = Math.max(worst, inside[i] - inside[i - 1]);
    return { id, worst };
  });
}

describe('shards that heal when a pod goes', { skip: DNSMASQ.skip, timeout: 90_000 }, () => {
  test('a lost node: its targets are posted again by the others within 30 s, and handed back with a drain', async (t) => {
    const { urls, arrivals } = await startRecordingStandIns();
    const fleet = await startFleet(PODS, 18, shardEnv(urls, 0.5));
    await fleet.settled(PODS);

    const lost = 'probe-1';
    const rest = PODS.filter((pod) => pod !== lost);
    const victim = fleet.pods.get(lost) as Running;
    const orphans = fleet.ids.filter((id) => ownerIn(PODS)(id) === lost);
    assert.ok(orphans.length > 0, 'the lost pod owned some targets');
    const victims = new Set([...appIdsOf(victim).values()].flat());
    const killedAt = performance.now();
    victim.child.kill('SIGKILL');
    await victim.exit;
    await fleet.publish(rest);
    // The first post of an orphan that no pipeline of the lost pod made.
    const repostedAt = (id: string) =>
      arrivals.get(id)?.find((a) => a.at > killedAt && !victims.has(a.appId))?.at;
    await waitFor(
      () => orphans.every((id) => repostedAt(id) !== undefined),
      30_000,
      () => `every orphan posted again: ${orphans.filter((id) => !repostedAt(id))}`,
    );
    const worst = Math.max(...orphans.map((id) => (repostedAt(id) as number) - killedAt));
    t.diagnostic(`${orphans.length} orphans re-owned, the worst after ${Math.round(worst)} ms`);
    assert.ok(worst < 30_000);
    // Settled: the two run every target once between them.
    await fleet.settled(rest);

    // Back: it takes its targets again, and whoever held one drains it.
    fleet.start(lost);
    await fleet.publish(PODS);
    await fleet.settled(PODS);
    for (const id of orphans) {
      const giver = fleet.pods.get(ownerIn(rest)(id)) as Running;
      await waitFor(
        () => saidOfTarget(giver, id, 'drained: every event settled'),
        10_000,
        () => `${id} drained where it was given up:\n${giver.output()}`,
      );
    }
    // Once settled, each target is posted by one pipeline only.
    await sleep(1_500);
    const now = performance.now();
    for (const id of fleet.ids) {
      const recent = (arrivals.get(id) ?? []).filter((a) => a.at > now - 1_000);
      assert.equal(new Set(recent.map((a) => a.appId)).size, 1, `${id}: ${JSON.stringify(recent)}`);
    }
    assert.deepEqual(foreignLines(fleet.every), []);
  });

  test('a rolling restart: every target posted in every two intervals, every event in some books', async (t) => {
    // Slots are the same on every shard: a target is posted in every two intervals as long as
    // its new owner hears of the change (a DNS refresh, 0.5 s here) within one interval.
    const INTERVAL_MS = 1_500;
    const { urls, arrivals } = await startRecordingStandIns();
    const fleet = await startFleet(PODS, 24, shardEnv(urls, INTERVAL_MS / 1000));
    await fleet.settled(PODS);
    const from = performance.now();
    // As a StatefulSet rolls: from the highest ordinal down, the next once this one is ready.
    for (const pod of [...PODS].reverse()) {
      const old = fleet.pods.get(pod) as Running;
      old.child.kill('SIGTERM');
      await waitFor(() => notReady(old), 10_000, `${pod} not ready`);
      await fleet.publish(PODS.filter((p) => p !== pod));
      assert.equal((await old.exit).code, 0);
      // A new pod is scheduled and started in seconds, not at once: the others must cover.
      await sleep(2.5 * INTERVAL_MS);
      fleet.start(pod);
      await fleet.publish(PODS);
      await fleet.settled(PODS);
    }
    await sleep(2 * INTERVAL_MS);
    const gaps = longestGaps(fleet, arrivals, from, performance.now());
    const worst = gaps.reduce((a, b) => (b.worst > a.worst ? b : a));
    t.diagnostic(
      `the longest gap: ${worst.id}, ${(worst.worst / INTERVAL_MS).toFixed(2)} intervals`,
    );
    // Two intervals, and the jitter of one post's timer and trip on a busy machine.
    assert.ok(worst.worst <= 2 * INTERVAL_MS + 300, JSON.stringify(gaps));

    const live = PODS.map((pod) => fleet.pods.get(pod) as Running);
    const wrong = await Promise.all(
      live.map(async (probe) => (await scrape(await probe.port())).get('probe_wrong_appid_total')),
    );
    assert.ok(
      wrong.every((n) => n === undefined || n === 0),
      `wrong app ids: ${wrong}`,
    );
    // The books: the live ones drain too, so every pipeline's last line holds its books.
    for (const probe of live) probe.child.kill('SIGTERM');
    for (const probe of live) assert.equal((await probe.exit).code, 0);
    const books = endedBooks(fleet.every);
    let unaccounted = 0;
    for (const id of fleet.ids) {
      const lines = books.get(id) ?? [];
      const sum = (key: keyof PipelineBooks) => lines.reduce((a, b) => a + b[key], 0);
      const taken = arrivals.get(id)?.length ?? 0;
      assert.equal(sum('posted'), taken, `${id}: the collector took what was posted`);
      assert.equal(sum('inFlight'), 0, id);
      unaccounted += taken - (sum('received') + sum('lost') + sum('drained'));
    }
    t.diagnostic(`events unaccounted: ${unaccounted}`);
    // Each drained process's last line ("stopped") carries the books its pipelines ended with.
    for (const probe of fleet.every) {
      const last = logLines(probe.stdout()).at(-1) as { message: string; books: object };
      assert.equal(last.message, 'stopped');
      const ended = endedBooks([probe]);
      for (const [id, final] of Object.entries(last.books)) {
        assert.deepEqual(final, pick(ended.get(id)?.at(-1), Object.keys(final)), id);
      }
    }
    assert.equal(unaccounted, 0);
    assert.deepEqual(foreignLines(fleet.every), []);
  });
});

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
  assert.deepEqual(foreignLines([probe]), []);
});
