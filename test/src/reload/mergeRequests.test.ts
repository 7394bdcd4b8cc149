import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeRequests } from '../../../src/reload/mergeRequests';

/** A run held open until the test lets it end: no timer, so no timing in the test. */
function heldRuns() {
  const ends: Array<(value: number) => void> = [];
  let started = 0;
  const run = () =>
    new Promise<number>((resolve) => {
      started += 1;
      const n = started;
      ends.push(() => resolve(n));
    });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { run, ends, started: () => started, settle };
}

test('requests while a run goes join one run after it: never more than one running and one waiting', async () => {
  const { run, ends, started, settle } = heldRuns();
  const request = mergeRequests(run);
  const first = request();
  await settle();
  assert.equal(started(), 1);
  // 500 SIGHUPs and 50 POSTs while the first runs: one waiting run for all of them.
  const during = Array.from({ length: 550 }, () => request());
  await settle();
  assert.equal(started(), 1, 'nothing starts beside the running one');
  assert.equal(new Set(during).size, 1, 'every request made while it runs shares one run');
  ends[0](0);
  assert.equal(await first, 1, 'the first caller gets the first run');
  await settle();
  assert.equal(started(), 2, 'the waiting run starts once the running one ends');
  // Requests now join a third run, not the second: the second may have read the file already.
  const later = request();
  assert.notEqual(later, during[0]);
  ends[1](0);
  for (const outcome of await Promise.all(during)) assert.equal(outcome, 2);
  await settle();
  assert.equal(started(), 3);
  ends[2](0);
  assert.equal(await later, 3, 'a caller gets the run that started after its request');
  await settle();
  assert.equal(started(), 3, 'and nothing more runs when nobody asks');
  // Idle again: a request runs at once.
  const alone = request();
  await settle();
  assert.equal(started(), 4);
  ends[3](0);
  assert.equal(await alone, 4);
});

test('a run that fails answers its callers with the failure, and the next run still comes', async () => {
  let runs = 0;
  let fail: (error: Error) => void = () => {};
  const request = mergeRequests(
    () =>
      new Promise<string>((resolve, reject) => {
        runs += 1;
        if (runs === 1) fail = reject;
        else resolve('second');
      }),
  );
  const first = request();
  await new Promise((resolve) => setImmediate(resolve));
  const waiting = request();
  fail(new Error('broken'));
  await assert.rejects(first, /broken/);
  assert.equal(await waiting, 'second');
  assert.equal(runs, 2);
});
