import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Subject, share } from 'rxjs';
import { createMetrics } from '../../../src/metrics/metrics';
import { SeriesCache } from '../../../src/metrics/seriesCache';
import { derivedStreams } from '../../../streams/derivedStreams';
import type { TrackerInput } from '../../../streams/messages';
import { track } from '../../../streams/tracker';
import { APP, frame, ok, options, receipt, started } from '../../helpers/tracker';

type Labels = Record<string, string>;

function recorder() {
  const calls: string[] = [];
  const show = (labels: Labels) => JSON.stringify(labels);
  return {
    calls,
    writer: {
      write: (labels: Labels, value: number, before: number | undefined) =>
        calls.push(`write ${show(labels)} ${before ?? '-'}→${value}`),
      remove: (labels: Labels) => calls.push(`remove ${show(labels)}`),
    },
  };
}

describe('SeriesCache: a scrape writes only what moved', () => {
  test('new series are written, unchanged ones not, moved ones with their value before', () => {
    const { calls, writer } = recorder();
    const cache = new SeriesCache<{ n: number }>(writer);
    const a = { n: 1 };
    const targets = new Map([['a', a]]);
    const read = (t: { n: number }) => [
      [{ reason: 'x' }, t.n] as const,
      [{ reason: 'y' }, 0] as const,
    ];
    cache.sync(targets, read);
    cache.sync(targets, read);
    a.n = 3;
    cache.sync(targets, read);
    assert.deepEqual(calls, [
      'write {"target":"a","reason":"x"} -→1',
      'write {"target":"a","reason":"y"} -→0',
      'write {"target":"a","reason":"x"} 1→3',
    ]);
  });

  test('a target gone, replaced under its id, or on new books has its series removed first', () => {
    const { calls, writer } = recorder();
    const cache = new SeriesCache<{ books: object; n: number }>(writer, (t) => t.books);
    const read = (t: { n: number }) => [[{}, t.n] as const];
    const first = { books: {}, n: 5 };
    cache.sync(
      new Map([
        ['a', first],
        ['b', { books: {}, n: 1 }],
      ]),
      read,
    );
    calls.length = 0;
    // b stops; a restarts its pipeline (new books) and reads less than before.
    first.books = {};
    first.n = 2;
    cache.sync(new Map([['a', first]]), read);
    assert.deepEqual(calls, [
      'remove {"target":"a"}',
      'remove {"target":"b"}',
      'write {"target":"a"} -→2',
    ]);
    calls.length = 0;
    // a reload replaces a with a new target of the same id.
    cache.sync(new Map([['a', { books: first.books, n: 7 }]]), read);
    assert.deepEqual(calls, ['remove {"target":"a"}', 'write {"target":"a"} -→7']);
  });
});

describe('the counters read the books at scrape', () => {
  const posted = (text: string, target: string) =>
    Number(
      new RegExp(`^probe_events_posted_total\\{target="${target}"\\} (\\d+)$`, 'm').exec(text)?.[1],
    );

  function follow(metrics: ReturnType<typeof createMetrics>, id: string) {
    const input$ = new Subject<TrackerInput>();
    const step$ = input$.pipe(track(options), share());
    const streams = derivedStreams(step$);
    const identity = {
      id,
      appId: APP,
      dataset: { id, version: '1' },
      version: 'test',
      authMode: 'webhook' as const,
      listeners: 1,
      latencyObjectiveSeconds: 0.1,
    };
    const subscription = metrics.follow(identity, streams);
    // The fold runs once something subscribes to the steps; the sink's subscriptions are those.
    const post = (seqno: number) => {
      input$.next(started(seqno));
      input$.next(ok(seqno));
      input$.next(receipt(frame(seqno), 5));
    };
    return { post, stop: () => subscription.unsubscribe() };
  }

  test('moved, unmoved, restarted and stopped targets all read what their books say', async () => {
    const metrics = createMetrics({ latencyBucketsSeconds: [0.1, 1] });
    const scrape = () => metrics.registry.metrics();
    const a = follow(metrics, 'a');
    const b = follow(metrics, 'b');
    assert.equal(posted(await scrape(), 'a'), 0);
    a.post(1);
    a.post(2);
    b.post(1);
    let text = await scrape();
    assert.deepEqual([posted(text, 'a'), posted(text, 'b')], [2, 1]);
    text = await scrape();
    assert.deepEqual([posted(text, 'a'), posted(text, 'b')], [2, 1]);
    // a restarts under its id (a reload): new books, its counter starts again.
    a.stop();
    const again = follow(metrics, 'a');
    again.post(1);
    b.post(2);
    b.post(3);
    text = await scrape();
    assert.deepEqual([posted(text, 'a'), posted(text, 'b')], [1, 3]);
    b.stop();
    text = await scrape();
    assert.equal(posted(text, 'a'), 1);
    assert.doesNotMatch(text, /target="b"/);
  });
});
