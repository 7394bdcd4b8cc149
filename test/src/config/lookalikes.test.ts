import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookalikeWarnings, prefixesOf } from '../../../src/config/lookalikes';
import { distance } from '../../../src/config/nearMiss';
import { allSettings } from '../../../src/config/settings';

const NAMES = allSettings().map(({ setting }) => setting.env);

/** The variable each warning says the name resembles. */
const suggested = (env: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    lookalikeWarnings(env).map((line) => {
      const match =
        /^(\S+) is not a variable of the probe and is ignored; did you mean (\S+)\?$/.exec(line);
      assert.ok(match, line);
      return [match[1], match[2]];
    }),
  );

describe('variables that look like ours but are not', () => {
  test('the examples from the issue, a lower-case one and near misses name the one they resemble', () => {
    assert.deepEqual(
      suggested({
        POST_EVENT_INTERVAL: '5',
        WEBSOCKET_LISTENER: '3',
        post_event_retries: '2',
        METRIC_PORT: '8000',
        WEBSOKET_URL: 'wss://x',
        LOG_LVEL: 'debug',
        POST_TIMEOUT_MS: '500',
        MAX_POSTS: '9',
      }),
      {
        POST_EVENT_INTERVAL: 'POST_EVENT_INTERVAL_SECONDS',
        WEBSOCKET_LISTENER: 'WEBSOCKET_LISTENERS',
        post_event_retries: 'POST_EVENT_RETRIES',
        METRIC_PORT: 'METRICS_PORT',
        WEBSOKET_URL: 'WEBSOCKET_URL',
        LOG_LVEL: 'LOG_LEVEL',
        POST_TIMEOUT_MS: 'POST_TIMEOUT_SECONDS',
        MAX_POSTS: 'MAX_POSTS_IN_FLIGHT',
      },
    );
  });

  test('every variable of the table, misspelt in the usual ways, is caught and named', () => {
    for (const name of NAMES) {
      const misspelt = [
        name.slice(0, -1), // a letter short
        `${name}S`, // a letter too many
        name.toLowerCase(),
        name.replace(/_SECONDS$/, ''), // the unit left off
        `${name.slice(0, 2)}${name[3]}${name[2]}${name.slice(4)}`, // two letters swapped
      ].filter((m) => m !== name);
      for (const m of misspelt) {
        assert.equal(suggested({ [m]: 'x' })[m], name, `${m} should point at ${name}`);
      }
    }
  });

  test("the prefixes come from the table's names, two words where the first is a common one", () => {
    const prefixes = prefixesOf(NAMES);
    for (const p of [
      'PROBE',
      'POST',
      'WEBSOCKET',
      'OKDATA',
      'KEYCLOAK',
      'EVENT',
      'MARK',
      'PURGE',
    ]) {
      assert.ok(prefixes.includes(p), p);
    }
    assert.ok(prefixes.includes('MAX_POSTS'));
    assert.ok(!prefixes.includes('MAX') && !prefixes.includes('LOG') && !prefixes.includes('RUN'));
    for (const name of NAMES)
      assert.ok(
        prefixes.some((p) => name.startsWith(p)),
        name,
      );
    // A new variable brings its prefix along.
    assert.ok(prefixesOf([...NAMES, 'QUEUE_DEPTH']).includes('QUEUE'));
  });

  test("ours, the system's, other software's and Kubernetes' service links are left alone", () => {
    const env: Record<string, string> = {
      PATH: '/usr/bin',
      HOME: '/home/node',
      HOSTNAME: 'probe-7d9f',
      NODE_ENV: 'production',
      NODE_VERSION: '20.20.2',
      YARN_VERSION: '1.22.22',
      LOG_FORMAT: 'json',
      MAX_WORKERS: '4',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_PORT_443_TCP_ADDR: '10.0.0.1',
      // A Service named "probe" in the namespace
      PROBE_SERVICE_HOST: '10.0.0.7',
      PROBE_SERVICE_PORT: '8000',
      PROBE_SERVICE_PORT_METRICS: '8000',
      PROBE_PORT: 'tcp://10.0.0.7:8000',
      PROBE_PORT_8000_TCP: 'tcp://10.0.0.7:8000',
      PROBE_PORT_8000_TCP_PROTO: 'tcp',
    };
    for (const name of NAMES) env[name] = 'set';
    assert.deepEqual(lookalikeWarnings(env), []);
    // Variables read other than through the table (a targets file's secrets) are ours too.
    assert.deepEqual(lookalikeWarnings({ PROBE_TOKEN_PARKING: 't' }, ['PROBE_TOKEN_PARKING']), []);
    assert.equal(lookalikeWarnings({ PROBE_TOKEN_PARKING: 't' }).length, 1);
    // Without the Service's host variable, PROBE_PORT is a lookalike again.
    assert.deepEqual(Object.keys(suggested({ PROBE_PORT: '1' })), ['PROBE_PORT']);
  });

  test('a name is shown on one line whatever it holds, and never its value', () => {
    const secret = 'hunter2-value';
    const lines = lookalikeWarnings({ 'POST_EVENT\nINTERVAL': secret, PROBE_WEBHOOK_TOKN: secret });
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.ok(!line.includes('\n') && !line.includes(secret), line);
    }
    assert.match(lines[0], /^"POST_EVENT\\nINTERVAL" is not/);
  });

  test('edits are counted as Levenshtein counts them: a swap of neighbours is two, still a near miss', () => {
    assert.equal(distance('METRICS_PORT', 'METRICS_PORT'), 0);
    assert.equal(distance('METRCIS_PORT', 'METRICS_PORT'), 2);
    assert.equal(distance('METRIC_PORT', 'METRICS_PORT'), 1);
    assert.equal(distance('', 'ABC'), 3);
    assert.equal(distance('KITTEN', 'SITTING'), 3);
    assert.deepEqual(lookalikeWarnings({ METRCIS_PORT: '1' }), [
      'METRCIS_PORT is not a variable of the probe and is ignored; did you mean METRICS_PORT?',
    ]);
  });
});
