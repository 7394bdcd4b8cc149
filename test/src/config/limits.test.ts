import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/loadConfig';
import { postDeadlineMs } from '../../../src/config/postDeadline';
import { type Setting, TIMER_MAX_MS } from '../../../src/config/settingKinds';
import { EVENTS_REMEMBERED, ruleProblems } from '../../../src/config/settingRules';
import { allSettings } from '../../../src/config/settings';

const base = {
  PROBE_WEBHOOK_TOKEN: 'hook-secret-123',
  PROBE_DATASET_ID: 'ds',
  WEBSOCKET_URL: 'wss://subscribe.example/ws',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

const settings = allSettings().map(({ setting }) => setting);
const durations = settings.filter((s) => s.unit === 'seconds');
const texts = settings.filter((s) =>
  /^(required|optional|path-segment|url-or-null)<=/.test(s.format),
);
const wholes = settings.filter((s) => s.format.startsWith('whole '));
const seconds = (ms: number) => String(ms / 1000);

/**
 * The other variables a value needs to be fair on its own: the rules between variables
 * (purge ≥ lost, grace < lost, objective ≤ lost, longest reconnect ≥ first, both credentials)
 * are not what these tests are about.
 */
function partners(env: string, value: string): Record<string, string> {
  const lostCeiling = seconds(byName('MARK_EVENT_LOST_TIMEOUT_SECONDS').limits.max);
  // The same value where it is fair for the partner too; else the partner's default.
  const same = (partner: string) => {
    const { min, max } = byName(partner).limits;
    const ms = Math.round(Number(value) * 1000);
    return { [partner]: ms >= min && ms <= max ? value : String(byName(partner).default) };
  };
  switch (env) {
    case 'POST_EVENT_INTERVAL_SECONDS': // the events kept stay bounded at the shortest interval
      return { PURGE_EVENT_TIMEOUT_SECONDS: '100', MARK_EVENT_LOST_TIMEOUT_SECONDS: '100' };
    case 'PURGE_EVENT_TIMEOUT_SECONDS':
      return same('MARK_EVENT_LOST_TIMEOUT_SECONDS');
    case 'MARK_EVENT_LOST_TIMEOUT_SECONDS':
      return { ...same('PURGE_EVENT_TIMEOUT_SECONDS'), MISSING_GRACE_SECONDS: '0' };
    case 'MISSING_GRACE_SECONDS':
      return {
        MARK_EVENT_LOST_TIMEOUT_SECONDS: lostCeiling,
        PURGE_EVENT_TIMEOUT_SECONDS: lostCeiling,
      };
    case 'LATENCY_OBJECTIVE_SECONDS': {
      const lost = same('MARK_EVENT_LOST_TIMEOUT_SECONDS');
      return { ...lost, PURGE_EVENT_TIMEOUT_SECONDS: lost.MARK_EVENT_LOST_TIMEOUT_SECONDS };
    }
    case 'RECONNECT_MIN_SECONDS':
      return same('RECONNECT_MAX_SECONDS');
    case 'RECONNECT_MAX_SECONDS':
      return same('RECONNECT_MIN_SECONDS');
    case 'OKDATA_CLIENT_ID':
      return { OKDATA_CLIENT_SECRET: 'client-secret' };
    case 'OKDATA_CLIENT_SECRET':
      return { OKDATA_CLIENT_ID: 'client' };
    default:
      return {};
  }
}

function byName(env: string): Setting<unknown> {
  const found = settings.find((s) => s.env === env);
  assert.ok(found, env);
  return found;
}

const accepts = (env: string, value: string) =>
  assert.deepEqual(
    problems({ ...partners(env, value), [env]: value }),
    [],
    `${env}=${value.slice(0, 40)} is fair`,
  );

/** Refused with exactly one short line about the variable itself. */
function refuses(env: string, value: string, line: RegExp): void {
  const found = problems({ ...partners(env, value), [env]: value });
  assert.equal(found.length, 1, `${env}=${value.slice(0, 40)} → ${JSON.stringify(found)}`);
  assert.match(found[0], line, `${env}=${value.slice(0, 40)}`);
  assert.ok(found[0].length < 200, `one short line: ${found[0].slice(0, 300)}`);
}

describe('every duration has a ceiling, checked in whole milliseconds', () => {
  test('every _SECONDS variable is a duration with a floor and a ceiling a timer can wait', () => {
    const named = settings.filter(
      (s) => s.env.endsWith('_SECONDS') && !s.format.startsWith('buckets'),
    );
    assert.deepEqual(
      named.map((s) => s.env),
      durations.filter((s) => s.format.startsWith('seconds')).map((s) => s.env),
    );
    assert.ok(durations.length >= 15, `${durations.length} durations`);
    for (const s of durations) {
      assert.ok(s.limits.min >= 0 && s.limits.min < s.limits.max, s.env);
      assert.ok(s.limits.max <= TIMER_MAX_MS, `${s.env}: ${s.limits.max} ms`);
    }
  });

  test('floor and ceiling are accepted; just below, just above and huge values are refused', () => {
    for (const { env, limits } of durations) {
      const { min, max } = limits;
      accepts(env, seconds(min));
      accepts(env, seconds(max));
      // 0.4 ms over still rounds to the ceiling: the check is on what the program uses.
      accepts(env, seconds(max + 0.4));
      const floor = new RegExp(`^${env}: expected a number of seconds of at least ${min / 1000} `);
      refuses(env, min > 0 ? seconds(min - 0.6) : '-0.001', floor);
      const ceiling = new RegExp(
        `^${env}: expected a number of seconds of at most ${max / 1000}, got `,
      );
      refuses(env, seconds(max + 0.6), ceiling);
      refuses(env, '2147484', ceiling); // 2³¹ ms: Node would wait 1 ms instead
      refuses(env, String(10 * TIMER_MAX_MS), ceiling);
      refuses(
        env,
        '9'.repeat(400),
        /expected a number of seconds of at least .*got "400 characters"$/,
      );
    }
  });

  test('every duration at its ceiling at once: every timer, derived ones too, can still wait that long', () => {
    const env: Record<string, string> = {};
    for (const s of [...durations, ...wholes]) {
      if (s.env === 'METRICS_PORT') continue;
      env[s.env] = s.unit === 'seconds' ? seconds(s.limits.max) : String(s.limits.max);
    }
    env.MISSING_GRACE_SECONDS = '0';
    env.LATENCY_OBJECTIVE_SECONDS = env.MARK_EVENT_LOST_TIMEOUT_SECONDS;
    const config = loadConfig({ ...base, ...env });
    const all = Object.values(config).flatMap((group) => Object.entries(group));
    for (const [field, value] of all) {
      if (field.endsWith('Ms')) assert.ok((value as number) <= TIMER_MAX_MS, field);
    }
    assert.ok(postDeadlineMs(config.posting) <= TIMER_MAX_MS);
    const lastStart = (config.subscription.listeners - 1) * config.subscription.listenerStaggerMs;
    assert.ok(lastStart <= TIMER_MAX_MS);
  });

  test('a duration made of several settings past what a timer waits is refused, naming them', () => {
    const raw = Object.fromEntries(
      settings.map((s) => [s.env, s.default ?? (s.unit === 'seconds' ? 1 : '')]),
    );
    raw.WEBSOCKET_URL = 'wss://subscribe.example/ws';
    assert.deepEqual(ruleProblems({ ...raw, POST_TIMEOUT_SECONDS: 1_000_000 }), [
      'POST_EVENT_RETRIES, POST_TIMEOUT_SECONDS, POST_RETRY_MAX_DELAY_SECONDS: together make the post deadline ((retries + 1) × timeout + retries × max retry delay + 1 s) 4000016 s, expected at most 2147483 s (the longest a timer waits)',
    ]);
    const deadline = (timeout: number) =>
      ruleProblems({ ...raw, POST_EVENT_RETRIES: 0, POST_TIMEOUT_SECONDS: timeout });
    assert.deepEqual(deadline((TIMER_MAX_MS - 1000) / 1000), []);
    assert.equal(deadline((TIMER_MAX_MS - 999) / 1000).length, 1);
    const stagger = ruleProblems({
      ...raw,
      WEBSOCKET_LISTENERS: 16,
      LISTENER_STAGGER_SECONDS: 200_000,
    });
    assert.match(stagger[0], /^WEBSOCKET_LISTENERS, LISTENER_STAGGER_SECONDS: together make/);
  });

  test('the program refuses a rotation past what a timer waits, in one line, before it starts', () => {
    const main = join(__dirname, '..', '..', '..', 'src', 'main.js');
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ...base, WEBSOCKET_MAX_CONNECTION_SECONDS: '2147484' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'config error: WEBSOCKET_MAX_CONNECTION_SECONDS: expected a number of seconds of at most 86400, got "2147484"\n',
    );
  });
});

describe('every count and length has a ceiling', () => {
  test('every text setting: its longest length accepted, one more and 20,000 refused in a short line', () => {
    assert.ok(texts.length >= 10, texts.map((s) => s.env).join());
    for (const { env, limits } of texts) {
      const start = /URL/.test(env)
        ? `${env === 'WEBSOCKET_URL' ? 'wss' : 'https'}://h.example/`
        : '';
      const long = (length: number) => `${start}${'a'.repeat(length - start.length)}`;
      assert.equal(long(limits.max).length, limits.max);
      accepts(env, long(limits.max));
      const tooLong = new RegExp(`^${env}: expected at most ${limits.max} characters`);
      refuses(env, long(limits.max + 1), tooLong);
      refuses(env, long(20_000), tooLong);
      for (const control of ['a\nb', 'a\rb', 'a\u001b[2Jb', 'a\u0085b', 'a\u2028b']) {
        refuses(env, /URL/.test(env) ? `https://h/${control}` : control, new RegExp(`^${env}: `));
      }
    }
  });

  test('every whole number: both ends accepted, one past either end and huge values refused', () => {
    assert.deepEqual(wholes.map((s) => s.env).sort(), [
      'MAX_POSTS_IN_FLIGHT',
      'METRICS_PORT',
      'POST_EVENT_RETRIES',
      'PROBE_SHARDS',
      'PROBE_TARGET_REPLICAS',
      'WEBSOCKET_LISTENERS',
    ]);
    for (const { env, limits } of wholes) {
      accepts(env, String(limits.min));
      accepts(env, String(limits.max));
      const range = new RegExp(
        `^${env}: expected a (whole number|port) from ${limits.min} to ${limits.max}, got "${limits.max + 1}"$`,
      );
      refuses(env, String(limits.max + 1), range);
      if (limits.min > 0)
        refuses(
          env,
          String(limits.min - 1),
          new RegExp(`^${env}: expected a .* from ${limits.min}`),
        );
      refuses(env, '1'.repeat(17), new RegExp(`^${env}: expected a`));
      refuses(
        env,
        '9'.repeat(400),
        new RegExp(`^${env}: expected a (whole number|port).*got "400 characters"$`),
      );
    }
  });

  test('latency buckets: at most 50, and 10,000 refused in a short line', () => {
    const { limits } = byName('LATENCY_BUCKETS_SECONDS');
    assert.equal(limits.max, 50);
    const buckets = (count: number) =>
      Array.from({ length: count }, (_, i) => (i + 1) / 10).join(',');
    accepts('LATENCY_BUCKETS_SECONDS', buckets(50));
    refuses(
      'LATENCY_BUCKETS_SECONDS',
      buckets(51),
      /^LATENCY_BUCKETS_SECONDS: expected at most 50 buckets, each a number such as 0.5, got "51 buckets"$/,
    );
    refuses(
      'LATENCY_BUCKETS_SECONDS',
      buckets(10_000),
      /^LATENCY_BUCKETS_SECONDS: expected at most 50 buckets/,
    );
    refuses(
      'LATENCY_BUCKETS_SECONDS',
      `1,${'9'.repeat(400)}`,
      /^LATENCY_BUCKETS_SECONDS: expected at most 50 buckets, each a number such as 0.5, got "402 characters"$/,
    );
  });

  test('URLs that the settings make together stay within what a server takes', () => {
    // Each within its own limit; encoded, a quote is three characters and a euro sign nine.
    const found = problems({
      PROBE_WEBHOOK_TOKEN: '€'.repeat(1000),
      PROBE_DATASET_ID: '"'.repeat(256),
    });
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.match(
      found[0],
      /^EVENT_COLLECTOR_URL, PROBE_DATASET_ID, PROBE_DATASET_VERSION, PROBE_WEBHOOK_TOKEN: together make a post's URL of \d+ characters \(encoded\), expected at most 8192$/,
    );
    assert.match(
      found[1],
      /^WEBSOCKET_URL, PROBE_DATASET_ID, PROBE_WEBHOOK_TOKEN: together make the subscription's URL/,
    );
    assert.ok(!found.join().includes('€'), 'the token is not shown');
    assert.deepEqual(
      problems({ PROBE_WEBHOOK_TOKEN: 'a'.repeat(2048), PROBE_DATASET_ID: 'a'.repeat(256) }),
      [],
    );
  });

  test('the events a purge timeout keeps at an interval are bounded', () => {
    const interval = 0.001;
    const fits = (EVENTS_REMEMBERED * interval).toFixed(3);
    assert.deepEqual(
      problems({
        POST_EVENT_INTERVAL_SECONDS: String(interval),
        PURGE_EVENT_TIMEOUT_SECONDS: fits,
        MARK_EVENT_LOST_TIMEOUT_SECONDS: '100',
      }),
      [],
    );
    const found = problems({ POST_EVENT_INTERVAL_SECONDS: String(interval) });
    assert.deepEqual(found, [
      `PURGE_EVENT_TIMEOUT_SECONDS, POST_EVENT_INTERVAL_SECONDS: together keep 900000 events in memory (purge timeout ÷ interval), expected at most ${EVENTS_REMEMBERED}: shorten the purge timeout or lengthen the interval`,
    ]);
  });
});
