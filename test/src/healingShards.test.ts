import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ownersOf } from '../../streams/shardOwners';
import { startRecordingStandIns } from '../helpers/arrivals';
import { DNSMASQ } from '../helpers/dnsServer';
import { longestGapMs } from '../helpers/gaps';
import type { Running } from '../helpers/process';
import {
  appIdsOf,
  endedBooks,
  logLines,
  notReady,
  type PipelineBooks,
  startFleet,
} from '../helpers/shardFleet';
import { scrapeTargets, sleep, waitFor } from '../helpers/stack';

/**
 * Shards that heal, proven with real parts: three probe processes as the pods of a StatefulSet,
 * a real DNS server (dnsmasq) as its headless Service, the stand-ins as the platform. A pod lost
 * with its node and a rolling restart: every target keeps being posted, and every event the
 * collector took ends in some pipeline's books. (A reload mid-flight: reloadInFlight.test.ts.)
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

/** The named fields of a log line. */
const pick = (line: object | undefined, keys: readonly string[]) =>
  Object.fromEntries(keys.map((key) => [key, (line as Record<string, unknown>)?.[key]]));

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
    const to = performance.now();
    const gaps = fleet.ids.map((id) => ({
      id,
      worst: longestGapMs(
        (arrivals.get(id) ?? []).map((a) => a.at),
        from,
        to,
      ),
    }));
    const worst = gaps.reduce((a, b) => (b.worst > a.worst ? b : a));
    t.diagnostic(
      `the longest gap: ${worst.id}, ${(worst.worst / INTERVAL_MS).toFixed(2)} intervals`,
    );
    // Two intervals, and the jitter of one post's timer and trip on a busy machine.
    assert.ok(worst.worst <= 2 * INTERVAL_MS + 300, JSON.stringify(gaps));

    const live = PODS.map((pod) => fleet.pods.get(pod) as Running);
    // Summed over every target's series of each live shard.
    const wrong = await Promise.all(
      live.map(async (probe) => {
        const series = [...(await scrapeTargets(await probe.port())).values()];
        const counts = series.flatMap((one) => one.get('probe_wrong_appid_total') ?? []);
        assert.ok(counts.length > 0, 'the shard runs targets');
        return counts.reduce((a, b) => a + b, 0);
      }),
    );
    assert.deepEqual(wrong, [0, 0, 0], 'no event of ours counted as another app id');
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
