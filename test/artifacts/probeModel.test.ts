import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Story, scraped } from '../helpers/probeModel';

/**
 * The model the alert rule tests stand on counts as the probe does (docs/how-it-works.md, "How
 * the numbers are defined"): read second by second from a 1 s scrape.
 */
const at = (story: Story, name: string, second: number, label = '') => {
  const series = scraped(story, 1).find(
    (s) => s.series.startsWith(`${name}{`) && s.series.includes(label),
  );
  return Number(series?.values.split(' ')[second]);
};
const bad = (story: Story, second: number) =>
  at(story, 'probe_events_settled_total', second) -
  at(story, 'probe_events_within_objective_total', second);

test('a stop: a missing event settles bad 30 s after its post, turns lost at the clean after 300 s; the 1-minute share is 100 once the window holds no delivered event', () => {
  // Posts at 0, 10, …; nothing delivered from 600 on (the event posted at 600 is the first).
  const story: Story = { seconds: 1000, delay: (t) => (t >= 600 ? undefined : 0.2) };
  assert.deepEqual([bad(story, 629), bad(story, 630), bad(story, 640)], [0, 1, 2]);
  assert.equal(at(story, 'probe_events_within_objective_total', 999), 60);
  assert.equal(at(story, 'probe_events_lost_total', 899), 0);
  assert.equal(at(story, 'probe_events_lost_total', 900), 1);
  // The window holds the events posted 70 s to 10 s ago: the one of 590 arrived.
  assert.equal(at(story, 'probe_events_missing_1m_share', 660), 83.333);
  assert.equal(at(story, 'probe_events_missing_1m_share', 661), 100);
});

test('a failed post is a post error, never settled, lost or missing; a late event stays bad once', () => {
  const failing: Story = { seconds: 400, postFails: (t) => t === 100 };
  assert.equal(at(failing, 'probe_event_post_errors_total', 399), 1);
  assert.equal(at(failing, 'probe_events_settled_total', 399), 39);
  assert.equal(at(failing, 'probe_events_lost_total', 399), 0);
  assert.equal(at(failing, 'probe_events_missing_1m_share', 120), 0);
  const late: Story = { seconds: 400, delay: (t) => (t === 100 ? 45 : 0.2) };
  assert.deepEqual([bad(late, 129), bad(late, 130), bad(late, 399)], [0, 1, 1]);
  const bucket = (le: string) => at(late, 'probe_event_latency_seconds_bucket', 146, `le="${le}"`);
  assert.deepEqual([bucket('30'), bucket('60')], [14, 15]);
});
