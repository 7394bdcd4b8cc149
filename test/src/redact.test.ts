import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/loadConfig';
import { secretValues, secretValuesInEnv, userinfoSecrets } from '../../src/config/secrets';
import { allSettings } from '../../src/config/settings';
import { escapeControls } from '../../src/logs/controlChars';
import { redactor } from '../../src/logs/redact';

/** Secrets with the characters that encoders change: quote, space, %, +, &, /, \, é, emoji, ESC. */
const SECRETS = ['plain-secret-value', 'pa"ss word%20+&/\\é😀', "it's a \u001b[2J sec\nret"];

/** Every form a far side or our own encoders give a secret. */
function formsOf(secret: string): Record<string, string> {
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
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
