import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startCollector } from '../../local/collector';
import { startHub } from '../../local/hub';
import { run } from '../helpers/process';
import {
  LOOPBACK_METRICS,
  scrapeTargets,
  sleep,
  standInUrls,
  WEBHOOK_TOKEN,
  waitFor,
} from '../helpers/stack';

/**
 * Hostile reloads against a real probe process: storms of SIGHUPs and POSTs, a file crafted for
 * the parser, a directory of many large files, a file written in parts. For each, the target
 * that runs beside it keeps exact books (held against what its own stand-ins did) and its
 * schedule (no post leaves a second late), and reloads are few, bounded and visible.
 */
const FAST = {
  HOOK: WEBHOOK_TOKEN,
  POST_EVENT_INTERVAL_SECONDS: '0.1',
  POST_EVENT_RETRIES: '0',
  POST_TIMEOUT_SECONDS: '0.5',
  MARK_EVENT_LOST_TIMEOUT_SECONDS: '1',
  PURGE_EVENT_TIMEOUT_SECONDS: '5',
  CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
  MISSING_GRACE_SECONDS: '0.2',
  RECONNECT_MIN_SECONDS: '0.05',
  RECONNECT_MAX_SECONDS: '0.4',
  LISTENER_STAGGER_SECONDS: '0.05',
  RELOAD_ENDPOINT_ENABLED: 'true',
  ...LOOPBACK_METRICS,
};

/** A hub and a collector of one target's own, recording what they took and handed on. */
async function ownStandIns() {
  const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN });
  const delivered = new Set<number>();
  const collector = await startCollector({
    port: 0,
    publish: (dataset, json) => {
      const count = hub.publish(dataset, json);
      const seqno = (JSON.parse(json) as { seqno?: unknown }).seqno;
      if (count > 0 && typeof seqno === 'number') delivered.add(seqno);
    },
    webhookToken: WEBHOOK_TOKEN,
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0 },
  });
  after(async () => {
    await collector.close();
    await hub.close();
  });
  return { hub, collector, delivered: () => delivered.size };
}

type StandIns = Awaited<ReturnType<typeof ownStandIns>>;

/** A targets file's text: each target with its own stand-ins. */
const targetsYaml = (targets: Record<string, StandIns>, extra = '') =>
  [
    'defaults:',
    '  webhookToken: {env: HOOK}',
    'targets:',
    ...Object.entries(targets).map(([id, { hub, collector }]) => {
      const urls = standInUrls(hub, collector);
      return `  - {id: ${id}, datasetId: ${id}, websocketUrl: "${urls.WEBSOCKET_URL}", eventCollectorUrl: "${urls.EVENT_COLLECTOR_URL}"}`;
    }),
    extra,
  ].join('\n');

/**
 * Starts the probe on `path`, waits for `steady` to receive, runs `during`, then stops
 * `steady`'s collector taking posts and holds its books against its stand-ins, and its
 * schedule: every post left less than a second after it was due.
 */
async function beside(
  path: string,
  steady: StandIns,
  during: (probe: ReturnType<typeof run>, port: number) => Promise<void>,
): Promise<{ process: Map<string, number>; loads: number }> {
  const probe = run({ ...FAST, PROBE_TARGETS_FILE: path });
  try {
    const port = await probe.port();
    const series = async (id: string) => (await scrapeTargets(port)).get(id) ?? new Map();
    await waitFor(
      async () => ((await series('steady')).get('probe_events_received_total') ?? 0) > 2,
      15_000,
      () => `steady receiving:\n${probe.output().slice(-2_000)}`,
    );
    await during(probe, port);
    steady.collector.tuning.FAIL_PERCENT = 100;
    let books = new Map<string, number>();
    const taken = () => steady.collector.stats.events.size;
    await waitFor(
      async () => {
        books = await series('steady');
        const read =
          (books.get('probe_events_received_total') ?? 0) +
          (books.get('probe_events_late_total') ?? 0);
        return (
          books.get('probe_events_posted_total') === taken() &&
          books.get('probe_events_in_flight') === 0 &&
          read === steady.delivered()
        );
      },
      15_000,
      () => `steady's books to settle: ${JSON.stringify([...books])}, taken ${taken()}`,
    );
    assert.equal(books.get('probe_events_lost_total'), 0, 'nothing lost beside the reloads');
    const lagged = books.get('probe_post_schedule_lag_seconds_count') ?? 0;
    assert.ok(lagged > 10, `${lagged} posts`);
    assert.equal(
      books.get('probe_post_schedule_lag_seconds_bucket{le="1"}'),
      lagged,
      'every post left within a second of its time',
    );
    const all = await scrapeTargets(port);
    const process = all.get('') ?? new Map();
    const rssMiB = (process.get('process_resident_memory_bytes') ?? 0) / 2 ** 20;
    assert.ok(rssMiB < 250, `RSS ${rssMiB.toFixed(0)} MiB`);
    probe.child.kill('SIGTERM');
    const { code } = await probe.exit;
    assert.equal(code, 0, probe.output().slice(-2_000));
    // Each applied load says so once in the log: counted there as well as by the counter.
    const loads = probe
      .output()
      .split('\n')
      .filter((line) => line.includes('targets reloaded'));
    return { process, loads: loads.length };
  } finally {
    probe.child.kill('SIGKILL');
  }
}

const reloads = (process: Map<string, number>, outcome: string) =>
  process.get(`probe_config_reloads_total{outcome="${outcome}"}`) ?? 0;

/** A file replaced whole, as an editor or a ConfigMap swap does. */
const replace = (path: string, text: string) => {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
};

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'probe-hostile-reload-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('hostile reloads', { concurrency: false, timeout: 90_000 }, () => {
  test('a storm of 500 SIGHUPs and 50 concurrent POSTs is a handful of loads', async () => {
    const steady = await ownStandIns();
    const file = join(folder(), 'targets.yaml');
    replace(file, targetsYaml({ steady }));
    const { process, loads } = await beside(file, steady, async (probe, port) => {
      const posts = Array.from({ length: 50 }, () =>
        fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' }),
      );
      for (let i = 0; i < 500; i++) probe.child.kill('SIGHUP');
      const answers = await Promise.all(posts);
      for (const answer of answers) assert.equal(answer.status, 200, await answer.text());
      // Every POST is answered; the signals' last load may still be running: let it end.
      await sleep(2_000);
    });
    assert.ok(loads >= 1 && loads <= 10, `${loads} loads for 550 requests`);
    assert.equal(reloads(process, 'applied'), loads);
    assert.equal(reloads(process, 'refused') + reloads(process, 'failed'), 0);
  });

  test('a nesting bomb fails visibly within its bounds, and the running target carries on', async () => {
    const steady = await ownStandIns();
    const file = join(folder(), 'targets.yaml');
    replace(file, targetsYaml({ steady }));
    let answer = { status: 0, text: '' };
    const { process } = await beside(file, steady, async (_, port) => {
      replace(file, `${'['.repeat(400_000)}${']'.repeat(400_000)}`);
      const reply = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      answer = { status: reply.status, text: await reply.text() };
      // Posts go on while it is parsed: give the watcher its loads of the bomb too.
      await sleep(5_000);
    });
    // Said after the books and the schedule are held: they are what a bomb broke.
    assert.ok([400, 503].includes(answer.status), `${answer.status}`);
    assert.match(answer.text, /more than \d+ MiB|nested too deeply|longer than/);
    assert.equal(process.get('probe_config_last_reload_successful'), 0);
    assert.equal(reloads(process, 'applied'), 0);
    assert.ok(reloads(process, 'failed') + reloads(process, 'refused') >= 1);
  });

  test('a directory of many large files is refused as a whole, unread', async () => {
    const steady = await ownStandIns();
    const dir = folder();
    replace(join(dir, 'targets.yaml'), targetsYaml({ steady }));
    const { process } = await beside(dir, steady, async (_, port) => {
      const large = `# ${'x'.repeat(900 * 1024)}\n`;
      for (let i = 0; i < 40; i++) writeFileSync(join(dir, `large-${i}.yaml`), large);
      const answer = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      assert.equal(answer.status, 400);
      assert.match(await answer.text(), /a ConfigMap's most, all files together/);
      await sleep(3_000); // and the watcher's look at them, beside the posts
    });
    assert.equal(process.get('probe_config_last_reload_successful'), 0);
    assert.equal(reloads(process, 'applied'), 0);
  });

  test('a file written in parts is never applied half-written: the target cut and pasted back keeps its books', async () => {
    const steady = await ownStandIns();
    const other = await ownStandIns(); // the rest of the file, which stays
    const dir = folder();
    mkdirSync(join(dir, 'conf'));
    const file = join(dir, 'conf', 'targets.yaml');
    const whole = targetsYaml({ steady, other });
    replace(file, whole);
    let before = 0;
    const { process, loads } = await beside(file, steady, async (_, port) => {
      before = (await scrapeTargets(port)).get('steady')?.get('probe_events_posted_total') ?? 0;
      // Four edits, each cutting `steady` for less than the watcher's period (each cut a
      // different text), then pasting it back: never the same half on two looks running.
      for (let i = 0; i < 4; i++) {
        writeFileSync(file, targetsYaml({ other }, `# edit ${i}\n`));
        await sleep(1_200);
        writeFileSync(file, whole);
        await sleep(300);
      }
      await sleep(4_500);
      const now = (await scrapeTargets(port)).get('steady')?.get('probe_events_posted_total');
      assert.ok((now ?? 0) > before, `steady kept counting: ${before} then ${now}`);
    });
    assert.equal(loads, 0, 'nothing applied: the file ended as it began');
    assert.equal(reloads(process, 'applied'), 0);
    assert.equal(reloads(process, 'refused'), 0);
  });

  test('secrets that are no file (a FIFO, a device, a directory) and labels that turn text around: each reload refused visibly, the running target carries on', async () => {
    const steady = await ownStandIns();
    const dir = folder();
    const file = join(dir, 'targets.yaml');
    replace(file, targetsYaml({ steady }));
    const fifo = join(dir, 'token.fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'token.d'));
    const others = [
      `  - {id: other, datasetId: other, webhookToken: {file: ${fifo}}}`,
      '  - {id: other, datasetId: other, webhookToken: {file: /dev/zero}}',
      `  - {id: other, datasetId: other, webhookToken: {file: ${join(dir, 'token.d')}}}`,
      '  - {id: other, datasetId: other, labels: {team: "ab\\u202ecd"}}',
    ];
    const answers: string[] = [];
    const { process } = await beside(file, steady, async (_, port) => {
      for (const other of others) {
        replace(file, targetsYaml({ steady }, other));
        const reply = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
        answers.push(`${reply.status} ${await reply.text()}`);
      }
      await sleep(3_000); // and the watcher's looks at the last, beside the posts
    });
    // Said after the books and the schedule are held: they are what a wedge or a stall broke.
    for (const answer of answers) assert.match(answer, /^400 /);
    assert.match(answers[0], /named pipe/);
    assert.match(answers[1], /character device/);
    assert.match(answers[2], /directory/);
    assert.match(answers[3], /no control characters/);
    assert.equal(process.get('probe_config_last_reload_successful'), 0);
    assert.equal(reloads(process, 'applied'), 0);
    assert.ok(reloads(process, 'refused') >= others.length);
  });

  test('the endpoint is off unless turned on, and takes no reload from a page of another site', async () => {
    const steady = await ownStandIns();
    const file = join(folder(), 'targets.yaml');
    replace(file, targetsYaml({ steady }));
    const post = (port: number, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST', headers });
    const off = run({ ...FAST, RELOAD_ENDPOINT_ENABLED: 'false', PROBE_TARGETS_FILE: file });
    try {
      const answer = await post(await off.port());
      assert.equal(answer.status, 403);
      assert.match(await answer.text(), /RELOAD_ENDPOINT_ENABLED=true/);
    } finally {
      off.child.kill('SIGKILL');
    }
    const { process } = await beside(file, steady, async (_, port) => {
      // A cross-site form post, as any web page can send without asking.
      const form = await post(port, {
        Origin: 'https://elsewhere.example',
        'Content-Type': 'application/x-www-form-urlencoded',
      });
      assert.equal(form.status, 403);
      await sleep(2_000); // posts enough to hold the schedule against
    });
    assert.equal(reloads(process, 'applied') + reloads(process, 'refused'), 0);
  });
});
