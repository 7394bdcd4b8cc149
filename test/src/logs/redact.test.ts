import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/loadConfig';
import { secretValues, secretValuesInEnv, userinfoSecrets } from '../../../src/config/secrets';
import { allSettings } from '../../../src/config/settings';
import { escapeControls } from '../../../src/logs/controlChars';
import { createLogger } from '../../../src/logs/logger';
import { redactor } from '../../../src/logs/redact';
import { createSecretBook } from '../../../src/logs/secretBook';

/**
 * Secrets with the characters that encoders change: quote, space, %, +, &, /, \, é, emoji, ESC,
 * and the ones HTML escapes; the second round's token with a backslash and a quote.
 */
const SECRETS = [
  'plain-secret-value',
  'pa"ss word%20+&/\\é😀',
  "it's a \u001b[2J sec\nret",
  'tok\\SECRET"x',
  "<a href='x'>&amp;</a>",
];

const NAMED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const html = (text: string, entity: (c: string) => string) => text.replace(/[&<>"']/g, entity);

const json = (s: string) => JSON.stringify(s).slice(1, -1);

/** Every form a far side or our own encoders give a secret. */
function formsOf(secret: string): Record<string, string> {
  const percent = encodeURIComponent(secret);
  return {
    raw: secret,
    encodeURIComponent: percent,
    'lower-case hex': percent.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    encodeURI: encodeURI(secret),
    form: new URLSearchParams({ v: secret }).toString().slice(2),
    json: json(secret),
    'json of encoded': json(percent),
    'json, every character \\u': [...secret]
      .flatMap((c) => [...Array(c.length).keys()].map((i) => c.charCodeAt(i)))
      .map((code) => `\\u${code.toString(16).padStart(4, '0')}`)
      .join(''),
    'terminal escape': escapeControls(secret),
    'json then terminal': escapeControls(JSON.stringify(secret).slice(1, -1), true),
    // An echo of an echo: a hub that puts the token in a JSON reason, which a JSON line or
    // page writes again, and again.
    'json twice': json(json(secret)),
    'json three times': json(json(json(secret))),
    'json twice of every character \\u': json(
      [...secret]
        .flatMap((c) => [...Array(c.length).keys()].map((i) => c.charCodeAt(i)))
        .map((code) => `\\u${code.toString(16).padStart(4, '0')}`)
        .join(''),
    ),
    'json twice then terminal': escapeControls(json(json(secret)), true),
    'percent twice': encodeURIComponent(percent),
    'json of form': json(new URLSearchParams({ v: secret }).toString().slice(2)),
    'backslash before punctuation': secret.replace(/[!-/:-@[-`{-~]/g, '\\$&'),
    'html by number': html(secret, (c) => `&#${c.charCodeAt(0)};`),
    'html by name': html(secret, (c) => NAMED[c]),
    'html in hex': html(secret, (c) => `&#x${c.charCodeAt(0).toString(16)};`),
    'json of html': json(html(secret, (c) => `&#${c.charCodeAt(0)};`)),
  };
}

describe('the redactor masks a secret in every form', () => {
  test('each form of each secret, alone and inside text', () => {
    const redact = redactor(SECRETS);
    for (const secret of SECRETS) {
      for (const [name, form] of Object.entries(formsOf(secret))) {
        assert.equal(redact(form), '***', `${name} of ${JSON.stringify(secret)}: ${form}`);
        assert.equal(
          redact(`closed 1008 "bad token ${form}" at 12:00`),
          'closed 1008 "bad token ***" at 12:00',
          `${name} of ${JSON.stringify(secret)} in text`,
        );
      }
    }
  });

  test('a JSON line stays JSON once a secret in any spelling is masked', () => {
    const redact = redactor(SECRETS);
    for (const secret of SECRETS) {
      for (const [name, form] of Object.entries(formsOf(secret))) {
        const line = JSON.stringify({ message: 'closed', reason: `bad token "${form}"!` });
        const masked = redact(line);
        assert.deepEqual(
          JSON.parse(masked),
          { message: 'closed', reason: 'bad token "***"!' },
          `${name}: ${masked}`,
        );
      }
    }
  });

  test('thousands of secrets: each masked, in each spelling, beside the others', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `tok-${i}-${(i * 7919).toString(36)}"/x`);
    const redact = redactor(many);
    for (const secret of [many[0], many[2500], many[4999]]) {
      for (const [name, form] of Object.entries(formsOf(secret))) {
        assert.equal(redact(`a ${form} b`), 'a *** b', `${name} of ${secret}`);
      }
    }
    assert.equal(redact('tok-1-x and tok-12'), 'tok-1-x and tok-12');
  });

  test('token query parameters, bearer tokens and URL userinfo of any characters', () => {
    const redact = redactor([]);
    assert.equal(
      redact(
        'GET https://x/webhook/event/d/1?token=abc&x=1 ws://h/?dataset_id=d&webhook_token=zzz',
      ),
      'GET https://x/webhook/event/d/1?token=***&x=1 ws://h/?dataset_id=d&webhook_token=***',
    );
    assert.equal(redact('Authorization: Bearer eyJhbGciOi.J9x-y_z'), 'Authorization: Bearer ***');
    for (const url of [
      'wss://u:pa%20ss@host/',
      "wss://u:pa'ss@host/",
      'wss://u:pa"ss@host/',
      'wss://u:pa\\"ss@host/', // as a JSON line writes a quote
      'wss://token-as-user@host/',
    ]) {
      assert.equal(redact(url), 'wss://***@host/', url);
    }
    assert.equal(redact('see https://host/a@b'), 'see https://host/a@b');
  });

  test('short secrets are not masked word by word, the longest secret first', () => {
    const redact = redactor(['cs', 'abcd', 'abcdefgh']);
    assert.equal(redact('css'), 'css');
    assert.equal(redact('x abcdefgh y abcd'), 'x *** y ***');
  });
});

describe('the secrets come from the table', () => {
  const base = {
    PROBE_DATASET_ID: 'ds',
    PROBE_WEBHOOK_TOKEN: 'hook-secret-1',
    OKDATA_CLIENT_ID: 'client',
    OKDATA_CLIENT_SECRET: 'client-secret-2',
    WEBSOCKET_URL: 'wss://user:ws-pass"%20word@hub.example/ws',
    EVENT_COLLECTOR_URL: "https://probe:coll'pass word@collector.example/",
    KEYCLOAK_SERVER_URL: 'https://kc-user-token@kc.example/auth',
  };

  test('every secret setting and every URL password, from the configuration and the environment', () => {
    const marked = allSettings().filter(({ setting }) => setting.secret || setting.userinfoSecret);
    assert.deepEqual(
      marked.map(({ setting }) => setting.env).sort(),
      Object.keys(base)
        .filter((k) => k !== 'PROBE_DATASET_ID' && k !== 'OKDATA_CLIENT_ID')
        .sort(),
    );
    const expected = [
      'hook-secret-1',
      'client-secret-2',
      'ws-pass" word',
      "coll'pass word",
      'kc-user-token',
    ];
    for (const values of [secretValues(loadConfig(base)), secretValuesInEnv(base)]) {
      for (const secret of expected)
        assert.ok(values.includes(secret), `${secret} in ${JSON.stringify(values)}`);
      assert.ok(!values.some((v) => v.includes('example')), 'hosts are not secrets');
    }
  });

  test("a URL's password in any characters, as written, decoded and as the parser writes it", () => {
    assert.deepEqual(userinfoSecrets('wss://host/path'), []);
    assert.deepEqual(userinfoSecrets('https://host/a@b'), []);
    assert.ok(userinfoSecrets('wss://u:p%20q@h/').includes('p q'));
    assert.ok(userinfoSecrets('wss://u:p%20q@h/').includes('p%20q'));
    assert.ok(userinfoSecrets('wss://u:p q"r@h/').includes('p q"r'));
    assert.ok(userinfoSecrets('wss://u:p@q@h/').includes('p@q'));
    // Not a URL the parser takes (a / in the password), yet the password is known.
    assert.ok(userinfoSecrets('wss://u:pa/ss@h/').includes('pa/ss'));
    assert.ok(userinfoSecrets('wss://u:12/34@h/').includes('12/34'));
  });
});

describe('the secret book: every secret of the process, in one place', () => {
  test('the targets loaded now, and every one that left, newest kept up to the cap', () => {
    const book = createSecretBook(['own-process-secret'], 2);
    book.loaded(['target-a-token', 'target-b-token']);
    const all = 'own-process-secret target-a-token target-b-token';
    assert.equal(book.redact(all), '*** *** ***');
    book.loaded(['target-b-token', 'target-c-token']); // a left
    assert.equal(book.redact(`${all} target-c-token`), '*** *** *** ***');
    book.loaded(['target-d-token']); // b and c left: a, b, c retired, two kept
    assert.equal(
      book.redact(`${all} target-c-token target-d-token`),
      '*** target-a-token *** *** ***',
    );
    book.loaded([]); // the process's own never leave
    assert.equal(book.redact('own-process-secret'), '***');
  });

  test("every logger shares it: one target's line masks another target's secret", () => {
    for (const human of [false, true]) {
      const lines: string[] = [];
      const root = createLogger('info', {
        human,
        secrets: ['own-process-secret'],
        write: (line) => lines.push(line),
      });
      const a = root.child({ target: 'a' }, ['tok\\SECRET"a']);
      const b = root.child({ target: 'b' }, ['token-of-b-123']);
      root.secrets.loaded(['tok\\SECRET"a', 'token-of-b-123']);
      b.info('closed', { reason: 'bad tok\\\\SECRET\\"a' }); // A's, JSON-escaped by a hub
      a.info('closed', { reason: `bad ${encodeURIComponent('token-of-b-123')}` });
      root.secrets.loaded(['token-of-b-123']); // a left the file
      b.info('closed', { reason: 'tok\\SECRET"a again' });
      for (const line of lines) assert.ok(!/SECRET|token-of/.test(line), line);
      assert.equal(lines.length, 3);
    }
  });
});
