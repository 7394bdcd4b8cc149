import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/loadConfig';
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

describe('configuration', () => {
  test('defaults follow the contract', () => {
    const config = loadConfig(base);
    assert.equal(config.posting.intervalMs, 10_000);
    assert.equal(config.posting.retries, 3);
    assert.equal(config.tracker.lostTimeoutMs, 300_000);
    assert.equal(config.tracker.purgeTimeoutMs, 900_000);
    assert.equal(config.tracker.cleanIntervalMs, 30_000);
    assert.equal(config.tracker.missingGraceMs, 10_000);
    assert.equal(config.subscription.listeners, 2);
    assert.equal(config.server.port, 8000);
    assert.equal(config.dataset.version, '1');
    // The prod environment's services.
    assert.equal(config.posting.collectorUrl, 'https://api.data.oslo.systems/event-collector');
    assert.equal(config.auth.keycloakUrl, 'https://login.oslo.kommune.no/auth');
    assert.equal(config.auth.realm, 'api-catalog');
    assert.equal(config.run.local, false);
    assert.equal(config.run.logLevel, 'info');
  });

  test('fractions of seconds are accepted everywhere', () => {
    const config = loadConfig({
      ...base,
      POST_EVENT_INTERVAL_SECONDS: '0.05',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '1.5',
      PURGE_EVENT_TIMEOUT_SECONDS: '2',
      CLEAN_EVENTS_INTERVAL_SECONDS: '.25',
      MISSING_GRACE_SECONDS: '0',
    });
    assert.deepEqual(
      [
        config.posting.intervalMs,
        config.tracker.lostTimeoutMs,
        config.tracker.purgeTimeoutMs,
        config.tracker.cleanIntervalMs,
        config.tracker.missingGraceMs,
      ],
      [50, 1_500, 2_000, 250, 0],
    );
  });

  test('dev environment, overrides and local services', () => {
    const dev = loadConfig({ ...base, OKDATA_ENVIRONMENT: 'dev' });
    assert.equal(dev.posting.collectorUrl, 'https://api.data-dev.oslo.systems/event-collector');
    assert.equal(dev.auth.keycloakUrl, 'https://login-test.oslo.kommune.no/auth');
    const overridden = loadConfig({
      ...base,
      EVENT_COLLECTOR_URL: 'http://collector.local:9000/',
      KEYCLOAK_SERVER_URL: 'http://kc.local/auth',
      KEYCLOAK_REALM: 'other',
    });
    assert.equal(overridden.posting.collectorUrl, 'http://collector.local:9000');
    assert.equal(overridden.auth.keycloakUrl, 'http://kc.local/auth');
    assert.equal(overridden.auth.realm, 'other');
    const local = loadConfig({
      PROBE_WEBHOOK_TOKEN: 't0k3n',
      PROBE_DATASET_ID: 'ds',
      LOCAL_SERVICES_ONLY: 'true',
    });
    assert.equal(local.posting.collectorUrl, 'http://localhost:8081');
    assert.equal(local.subscription.url, 'ws://localhost:8765');
  });

  test('every bad value is refused with one line naming the variable and the expected form', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { POST_EVENT_INTERVAL_SECONDS: 'abc' },
        /^POST_EVENT_INTERVAL_SECONDS: expected a number of seconds of at least 0.001.*got "abc"$/,
      ],
      [
        { POST_EVENT_INTERVAL_SECONDS: '0' },
        /^POST_EVENT_INTERVAL_SECONDS: expected a number of seconds of at least 0.001/,
      ],
      [{ POST_EVENT_INTERVAL_SECONDS: '-1' }, /^POST_EVENT_INTERVAL_SECONDS: expected/],
      [{ POST_EVENT_INTERVAL_SECONDS: 'NaN' }, /^POST_EVENT_INTERVAL_SECONDS: expected/],
      [{ POST_EVENT_INTERVAL_SECONDS: 'Infinity' }, /^POST_EVENT_INTERVAL_SECONDS: expected/],
      [{ POST_EVENT_RETRIES: '2.5' }, /^POST_EVENT_RETRIES: expected a whole number/],
      [
        { POST_EVENT_RETRIES: '11' },
        /^POST_EVENT_RETRIES: expected a whole number from 0 to 10, got "11"$/,
      ],
      [{ METRICS_PORT: '91x' }, /^METRICS_PORT: expected a port from 0 to 65535, got "91x"$/],
      [{ METRICS_PORT: '70000' }, /^METRICS_PORT: expected a port from 0 to 65535/],
      [{ RUN_LOCAL: 'maybe' }, /^RUN_LOCAL: expected true or false, got "maybe"$/],
      [{ LOCAL_SERVICES_ONLY: 'yes please' }, /^LOCAL_SERVICES_ONLY: expected true or false/],
      [
        { OKDATA_ENVIRONMENT: 'staging' },
        /^OKDATA_ENVIRONMENT: expected one of dev, prod \(any case\), got "staging"$/,
      ],
      [
        { PURGE_EVENT_TIMEOUT_SECONDS: '10' },
        /^PURGE_EVENT_TIMEOUT_SECONDS: expected at least MARK_EVENT_LOST_TIMEOUT_SECONDS \(300\), got 10$/,
      ],
      [{ WEBSOCKET_URL: 'http://x' }, /^WEBSOCKET_URL: expected a ws:\/\/ or wss:\/\/ URL/],
      [{ WEBSOCKET_URL: 'not a url' }, /^WEBSOCKET_URL: expected an absolute URL/],
      [{ EVENT_COLLECTOR_URL: '/relative' }, /^EVENT_COLLECTOR_URL: expected an absolute URL/],
      [
        { WEBSOCKET_LISTENERS: '0' },
        /^WEBSOCKET_LISTENERS: expected a whole number from 1 to 16, got "0"$/,
      ],
      [{ PROBE_DATASET_ID: '' }, /^PROBE_DATASET_ID: is required/],
      [{ OKDATA_CLIENT_ID: 'client' }, /^OKDATA_CLIENT_ID and OKDATA_CLIENT_SECRET: expected both/],
      [
        { LATENCY_BUCKETS_SECONDS: '1,0.5' },
        /^LATENCY_BUCKETS_SECONDS: expected increasing positive seconds/,
      ],
      [
        { LOG_LEVEL: 'loud' },
        /^LOG_LEVEL: expected one of debug, info, warn, error, auto \(any case\), got "loud"$/,
      ],
    ];
    for (const [env, line] of cases) {
      const found = problems(env);
      assert.equal(found.length, 1, `${JSON.stringify(env)} → ${JSON.stringify(found)}`);
      assert.match(found[0], line);
    }
  });

  test('required values are named when missing', () => {
    const found = (() => {
      try {
        loadConfig({});
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    assert.ok(found.some((line) => line.startsWith('PROBE_WEBHOOK_TOKEN: is required')));
    assert.ok(found.some((line) => line.startsWith('PROBE_DATASET_ID: is required')));
  });

  test('every problem in one round: missing and invalid together, in the order of the table', () => {
    const found = (() => {
      try {
        loadConfig({
          POST_EVENT_INTERVAL_SECONDS: 'soon',
          PURGE_EVENT_TIMEOUT_SECONDS: '10',
          OKDATA_ENVIRONMENT: 'staging',
        });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    assert.deepEqual(
      found.map((line) => line.split(':')[0]),
      [
        'PROBE_DATASET_ID',
        'PROBE_WEBHOOK_TOKEN',
        'POST_EVENT_INTERVAL_SECONDS',
        'OKDATA_ENVIRONMENT',
        'WEBSOCKET_URL',
        'PURGE_EVENT_TIMEOUT_SECONDS',
      ],
      found.join('\n'),
    );
    // A missing value says what the variable is for.
    const doc = allSettings().find(({ setting }) => setting.env === 'PROBE_DATASET_ID')?.setting
      .doc;
    assert.ok(found[0].endsWith(`: expected the ${doc}`), found[0]);
  });

  test('one mistake is one line: no rule between variables is checked on a bad value', () => {
    assert.deepEqual(
      problems({ MARK_EVENT_LOST_TIMEOUT_SECONDS: 'soon' }).map((line) => line.split(':')[0]),
      ['MARK_EVENT_LOST_TIMEOUT_SECONDS'],
    );
    assert.deepEqual(
      problems({ RECONNECT_MIN_SECONDS: '-1', RECONNECT_MAX_SECONDS: '0.1' }).map(
        (line) => line.split(':')[0],
      ),
      ['RECONNECT_MIN_SECONDS'],
    );
    // Nor a limit several variables make together: the purge timeout past its own ceiling
    // would also keep too many events in memory.
    const purge = problems({ PURGE_EVENT_TIMEOUT_SECONDS: '99999999' });
    assert.equal(purge.length, 1, purge.join('\n'));
    assert.match(purge[0], /^PURGE_EVENT_TIMEOUT_SECONDS: expected .* at most/);
    // A default that follows a bad value is not computed from it (an unknown environment).
    assert.equal(problems({ OKDATA_ENVIRONMENT: 'staging' }).length, 1);
    // Unless the rule is about being set at all: without LOCAL_SERVICES_ONLY, a URL is missing.
    const { WEBSOCKET_URL: _, ...withoutUrl } = base;
    assert.throws(
      () => loadConfig({ ...withoutUrl, LOCAL_SERVICES_ONLY: 'maybe' }),
      (error: ConfigError) => {
        assert.deepEqual(
          error.problems.map((line) => line.split(':')[0]),
          ['WEBSOCKET_URL', 'LOCAL_SERVICES_ONLY'],
        );
        return true;
      },
    );
  });

  test('every duration is checked as the program will use it: whole milliseconds, above its floor', () => {
    for (const { setting } of allSettings()) {
      if (setting.unit !== 'seconds') continue;
      const floorMs = Number(/>=(\d+)ms/.exec(String(setting.format))?.[1]);
      assert.ok(Number.isFinite(floorMs), `${setting.env} has a floor`);
      const below = floorMs > 0 ? ['0', '0.0004', String((floorMs - 0.6) / 1000), '-1'] : ['-1'];
      for (const value of [...below, 'NaN', 'Infinity', '1e3', 'soon', '']) {
        const found = problems({ [setting.env]: value });
        assert.ok(
          found.some((line) => line.startsWith(`${setting.env}: expected`)),
          `${setting.env}=${value} → ${JSON.stringify(found)}`,
        );
      }
    }
    // Zero is a fair value where it means "none": no grace, no stagger, no wait between retries.
    const zero = loadConfig({
      ...base,
      MISSING_GRACE_SECONDS: '0',
      LISTENER_STAGGER_SECONDS: '0',
      POST_RETRY_MAX_DELAY_SECONDS: '0',
    });
    assert.equal(zero.tracker.missingGraceMs, 0);
  });

  test('a dataset id, version or realm of . or .. is refused: it would re-path the request', () => {
    for (const name of ['PROBE_DATASET_ID', 'PROBE_DATASET_VERSION', 'KEYCLOAK_REALM']) {
      for (const value of ['.', '..']) {
        const found = problems({ [name]: value });
        assert.deepEqual(found.length, 1, `${name}=${value}`);
        assert.match(found[0], new RegExp(`^${name}: expected a name other than \\. or \\.\\.`));
      }
    }
    assert.equal(loadConfig({ ...base, PROBE_DATASET_ID: '...' }).dataset.id, '...');
  });

  test('the default grace follows a short lost timeout instead of refusing it', () => {
    const short = loadConfig({ ...base, MARK_EVENT_LOST_TIMEOUT_SECONDS: '1' });
    assert.equal(short.tracker.lostTimeoutMs, 1_000);
    assert.equal(short.tracker.missingGraceMs, 500);
    assert.equal(loadConfig(base).tracker.missingGraceMs, 10_000);
    assert.match(
      problems({ MARK_EVENT_LOST_TIMEOUT_SECONDS: '1', MISSING_GRACE_SECONDS: '2' })[0],
      /^MISSING_GRACE_SECONDS: expected less than/,
    );
  });

  test('a secret is never echoed in a config error', () => {
    const secret = 'super-secret-client-value';
    const found = problems({ OKDATA_CLIENT_SECRET: secret, PROBE_WEBHOOK_TOKEN: 'tok-secret-2' });
    assert.ok(found.length > 0);
    for (const line of found) {
      assert.ok(!line.includes(secret) && !line.includes('tok-secret-2'), line);
    }
  });
});

describe('every problem in one voice', () => {
  // Values no setting of the table takes all of: each setting refuses at least one.
  const ABSURD = ['zzz', '', '0', '-1', 'a\tb', '1e400', 'NaN'];

  test('each setting refuses an absurd value in one line: NAME: expected …, got "<as given>"', () => {
    for (const { setting } of allSettings()) {
      let refused = 0;
      for (const value of ABSURD) {
        const own = problems({ [setting.env]: value }).filter((line) =>
          line.startsWith(`${setting.env}: `),
        );
        assert.ok(own.length <= 1, `${setting.env}=${JSON.stringify(value)}: ${own.join(' | ')}`);
        if (own.length === 0) continue;
        refused++;
        const got = setting.secret ? '' : `, got ${JSON.stringify(value)}`;
        const form = /^[A-Z0-9_]+: (is required but not set \(or empty\): )?expected [^"]+/;
        assert.match(own[0], form, own[0]);
        // A value too long to quote is shown by its size.
        const sized = /, got "\d+ characters"$/.test(own[0]);
        assert.ok(own[0].endsWith(got) || sized, `${own[0]} ends with ${got}`);
        if (setting.secret) assert.doesNotMatch(own[0], /, got /);
      }
      assert.ok(refused > 0, `${setting.env} refuses one of the absurd values`);
    }
  });

  test('a variable set empty says the form it expects, not a sample number', () => {
    assert.deepEqual(problems({ METRICS_PORT: '' }), [
      'METRICS_PORT: expected a port from 0 to 65535, got ""',
    ]);
    assert.deepEqual(problems({ LOG_LEVEL: 'verbose' }), [
      'LOG_LEVEL: expected one of debug, info, warn, error, auto (any case), got "verbose"',
    ]);
    assert.match(problems({ POST_EVENT_INTERVAL_SECONDS: '0' })[0], /, got "0"$/);
  });
});

describe('the program refuses bad configuration before it starts', () => {
  const main = join(__dirname, '..', '..', '..', 'src', 'main.js');
  const run = (env: Record<string, string>, args: string[] = []) =>
    spawnSync(process.execPath, [main, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  test('one line per problem on stderr, exit code 2, no stack trace', () => {
    const result = run({ ...base, POST_EVENT_INTERVAL_SECONDS: 'soon' });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'config error: POST_EVENT_INTERVAL_SECONDS: expected a number of seconds of at least 0.001 (used in whole milliseconds), such as 10 or 0.5, got "soon"\n',
    );
  });

  test('--check-config validates and exits', () => {
    const ok = run(base, ['--check-config']);
    assert.equal(ok.status, 0);
    const lines = ok.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), 'config ok');
    assert.ok(lines.includes('POST_EVENT_INTERVAL_SECONDS=10'), ok.stdout);
    assert.ok(lines.includes('PROBE_WEBHOOK_TOKEN=***'), ok.stdout);
    assert.ok(!ok.stdout.includes(base.PROBE_WEBHOOK_TOKEN));
    // Values that carry a secret in a URL are masked, in the listing and in errors.
    const carrying = run(
      {
        ...base,
        WEBSOCKET_URL: 'wss://subscribe.example/ws?webhook_token=url-secret-77',
        EVENT_COLLECTOR_URL: 'https://probe:password-99@collector.example/',
      },
      ['--check-config'],
    );
    assert.equal(carrying.status, 0);
    assert.ok(!/url-secret-77|password-99/.test(carrying.stdout), carrying.stdout);
    const refused = run({ ...base, WEBSOCKET_URL: `http://x/?token=${base.PROBE_WEBHOOK_TOKEN}` });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^config error: WEBSOCKET_URL: /);
    assert.ok(!refused.stderr.includes(base.PROBE_WEBHOOK_TOKEN), refused.stderr);
    const bad = run({ ...base, METRICS_PORT: '-1' }, ['--check-config']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^config error: METRICS_PORT: /);
    assert.ok(!bad.stderr.includes('    at '));
  });

  test('--check-config prints the warnings of lookalike variables too, and still says ok', () => {
    const result = run({ ...base, POST_EVENT_INTERVAL: '5', WEBSOCKET_LISTENER: '3' }, [
      '--check-config',
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stderr,
      [
        'config warning: POST_EVENT_INTERVAL is not a variable of the probe and is ignored; did you mean POST_EVENT_INTERVAL_SECONDS?',
        'config warning: WEBSOCKET_LISTENER is not a variable of the probe and is ignored; did you mean WEBSOCKET_LISTENERS?',
        '',
      ].join('\n'),
    );
    assert.match(result.stdout, /\nconfig ok\n$/);
  });

  test('a lookalike is told beside the problem it may explain, before it', () => {
    const { PROBE_DATASET_ID: _, ...missing } = base;
    const result = run({ ...missing, PROBE_DATASETID: 'orders' });
    assert.equal(result.status, 2);
    const lines = result.stderr.trim().split('\n');
    assert.match(lines[0], /^config warning: PROBE_DATASETID .* did you mean PROBE_DATASET_ID\?$/);
    assert.match(lines[1], /^config error: PROBE_DATASET_ID: /);
  });
});

describe('the command line', () => {
  const main = join(__dirname, '..', '..', '..', 'src', 'main.js');
  // A valid configuration: whatever is asked, nothing may start (the timeout would end it).
  const run = (args: string[], env: Record<string, string> = base) =>
    spawnSync(process.execPath, [main, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env, METRICS_PORT: '0' },
      encoding: 'utf8',
      timeout: 10_000,
    });

  test('--help lists every variable with its default and meaning, and needs no configuration', () => {
    const envs: Record<string, string>[] = [{}, base, { METRICS_PORT: 'nonsense' }];
    for (const env of envs) {
      const result = run(['--help'], env);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^Usage: /);
      const lines = result.stdout.split('\n');
      for (const { setting } of allSettings()) {
        const at = lines.findIndex((line) => line.trim().startsWith(`${setting.env} `));
        assert.ok(at >= 0, `${setting.env} is listed`);
        const shown = Array.isArray(setting.default) ? setting.default.join(',') : setting.default;
        if (shown !== undefined && shown !== '') {
          assert.ok(lines[at].includes(`default: ${shown}`), lines[at]);
        }
        assert.ok(lines[at + 1].includes(setting.doc), lines[at + 1]);
        const { min, max } = setting.limits;
        if (setting.unit === 'seconds') {
          assert.ok(lines[at + 1].includes(`(seconds, from ${min / 1000} to ${max / 1000})`));
        }
      }
    }
    // Defaults that follow other variables are shown as they follow, and say from what.
    const help = run(['-h']).stdout;
    assert.match(
      help,
      /MISSING_GRACE_SECONDS {2}\(default: 10, derived from MARK_EVENT_LOST_TIMEOUT_SECONDS\)/,
    );
    assert.match(help, /WEBSOCKET_URL {2}\(required, or derived from LOCAL_SERVICES_ONLY\)/);
    assert.match(help, /PROBE_DATASET_ID {2}\(required\)/);
  });

  test('--version prints the version of the package', () => {
    const { version } = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'),
    );
    for (const env of [{}, base]) {
      const result = run(['--version'], env);
      assert.equal(result.status, 0);
      assert.equal(result.stdout, `${version}\n`);
      assert.equal(result.stderr, '');
    }
  });

  test('an unknown argument is refused with exit code 2 and a hint to --help', () => {
    for (const args of [['--chek-config'], ['--check-config', 'extra'], ['-x'], ['toString']]) {
      const result = run(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^unknown arguments?: .*\(see --help for what is accepted\)\n$/);
    }
  });
});
