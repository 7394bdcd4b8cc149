import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadTargets } from '../../../src/targets/loadTargets';
import { problemLine } from '../../../src/targets/problem';
import { MAX_FILE_BYTES } from '../../../src/targets/readSources';
import { MAX_SECRET_FILE_BYTES } from '../../../src/targets/secretRef';
import { tempDir, writeFiles } from '../../helpers/files';

const LITERAL = 'hunter2-literal-token';
const env = { TOKEN: 'env-token-1', WEBSOCKET_URL: 'wss://hub.example/ws' };

/** Every problem line of `path`, checking that a bad load yields no targets. */
async function problemsOf(path: string, environment: NodeJS.ProcessEnv = env): Promise<string[]> {
  const load = await loadTargets(path, environment);
  assert.ok(load.problems.length > 0, 'a problem is found');
  assert.deepEqual(load.targets, [], 'a bad load yields no targets');
  const lines = load.problems.map(problemLine);
  for (const line of lines) assert.ok(!line.includes(LITERAL), `no secret in: ${line}`);
  return lines;
}

describe('problems in a targets file', () => {
  test('every kind of problem in one file, each named by line, entry and key, all at once', async () => {
    const dir = tempDir();
    const file = join(dir, 'targets.yaml');
    writeFiles(dir, {
      'empty-token': ' \n',
      'targets.yaml': [
        'defaults:', // 1
        '  webhookToken: {env: TOKEN}',
        '  metricsPort: 9000',
        '  postEventIntervalSeconds: 0.0001',
        'targets:', // 5
        '  - id: good',
        '    datasetId: ds',
        '  - id: typo',
        '    datasetId: ds',
        '    postEventIntervalSecond: 5', // 10
        '    POST_EVENT_RETRIES: 2',
        '  - id: types',
        '    datasetId: 12',
        '    websocketListeners: 2.5',
        '    okdataEnvironment: staging', // 15
        '  - id: secrets',
        '    datasetId: ds',
        `    webhookToken: ${LITERAL}`,
        '    okdataClientId: me',
        '    okdataClientSecret: {env: UNSET_VARIABLE}', // 20
        '  - datasetId: no-id',
        '    webhookToken: {file: missing-token}',
        '  - id: bad id!',
        '    datasetId: ds',
        '    webhookToken: {file: empty-token}', // 25
        '    labels: {team: a, __meta: b, target: c}',
        '  - id: rules',
        '    datasetId: ds',
        '    markEventLostTimeoutSeconds: 60',
        '    purgeEventTimeoutSeconds: 30', // 30
        '    websocketUrl: https://not-a-socket.example',
        '    postEventIntervalSeconds: 1',
        '  - id: good',
        '    datasetId: ".."',
        '  - just a string', // 35
      ].join('\n'),
    });
    assert.deepEqual(await problemsOf(file), [
      `${file}:3: defaults: metricsPort: is one value for the whole process: set METRICS_PORT in the environment instead`,
      `${file}:4: defaults: postEventIntervalSeconds: expected a number of seconds of at least 0.001 (used in whole milliseconds), such as 10 or 0.5, got "0.0001"`,
      `${file}:10: target "typo": postEventIntervalSecond: unknown key; did you mean postEventIntervalSeconds?`,
      `${file}:11: target "typo": POST_EVENT_RETRIES: unknown key; did you mean postEventRetries?`,
      `${file}:13: target "types": datasetId: expected text, got a number (quote it)`,
      `${file}:14: target "types": websocketListeners: expected a whole number, got a number`,
      `${file}:15: target "types": okdataEnvironment: expected one of dev, prod`,
      `${file}:18: target "secrets": webhookToken: a secret is never written in the file: write {env: VARIABLE} or {file: PATH}`,
      `${file}:20: target "secrets": okdataClientSecret: reads UNSET_VARIABLE, which is not set`,
      `${file}:21: targets[4]: id: is required`,
      `${file}:22: targets[4]: webhookToken: cannot read ${join(dir, 'missing-token')} (ENOENT)`,
      `${file}:23: targets[5]: id: expected 1 to 63 of the characters A-Z a-z 0-9 . _ -`,
      `${file}:25: targets[5]: webhookToken: reads ${join(dir, 'empty-token')}, which is empty`,
      `${file}:26: targets[5]: labels.__meta: expected a Prometheus label name: up to 63 of A-Z a-z 0-9 _, not first a digit or __`,
      `${file}:26: targets[5]: labels.target: is the label every series of the target has, from its id`,
      `${file}:30: target "rules": purgeEventTimeoutSeconds: expected at least markEventLostTimeoutSeconds (60), got 30`,
      `${file}:31: target "rules": websocketUrl: expected a ws:// or wss:// URL, got "https://not-a-socket.example"`,
      `${file}:33: target "good": id: is also the id at ${file}:6`,
      `${file}:34: target "good": datasetId: expected a name other than . or .. (it is one segment of a URL path), got ".."`,
      `${file}:35: targets[8]: expected a map of keys, got text`,
    ]);
  });

  test('YAML syntax errors name their line; a file with one yields nothing', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'a.yaml': 'targets:\n  - id: a\n    datasetId: x\n    datasetId: y\n',
      'b.yaml': 'targets:\n  - id: b\n    labels: {team: [unclosed\n',
      'c.yaml': 'targets: []\n---\ntargets: []\n',
      'd.json': '{"targets": [\n  {"id": "d", "datasetId": "x"}\n',
      'e.yaml': 'targets: [{id: e, datasetId: x, webhookToken: !secret abc}]\n',
    });
    const lines = await problemsOf(dir);
    const at = (name: string) => lines.filter((l) => l.startsWith(join(dir, name)));
    assert.deepEqual(at('a.yaml'), [`${join(dir, 'a.yaml')}:4: Map keys must be unique`]);
    assert.ok(at('b.yaml').length > 0);
    for (const line of at('b.yaml')) assert.match(line, /b\.yaml:[34]: /);
    assert.deepEqual(at('c.yaml'), [
      `${join(dir, 'c.yaml')}:2: expected one YAML document, not several`,
    ]);
    assert.ok(at('d.json').length > 0);
    for (const line of at('d.json')) assert.match(line, /d\.json:[23]: /);
    assert.deepEqual(at('e.yaml'), [`${join(dir, 'e.yaml')}:1: Unresolved tag: !secret`]);
    assert.equal(lines.length, at('b.yaml').length + at('d.json').length + 3, lines.join('\n'));
  });

  test('the shape: no list, an empty one, an unknown top key, not a map at all', async () => {
    const dir = tempDir();
    const cases: Record<string, string[]> = {
      'empty.yaml': [': expected a map of keys, got nothing'],
      'list.yaml': [':1: expected a map of keys, got a list'],
      'none.yaml': [':1: targets: is required: a list of targets'],
      'zero.yaml': [':1: targets: expected at least one target'],
      'typo.yaml': [
        ':1: targets: is required: a list of targets',
        ':1: target: unknown key; did you mean targets?',
      ],
      'map.yaml': [':1: targets: expected a list, got a map of keys'],
    };
    writeFiles(dir, {
      'empty.yaml': '',
      'list.yaml': '- id: a\n',
      'none.yaml': 'defaults: {}\n',
      'zero.yaml': 'targets: []\n',
      'typo.yaml': 'target: [{id: a}]\n',
      'map.yaml': 'targets: {id: a}\n',
    });
    for (const [name, expected] of Object.entries(cases)) {
      assert.deepEqual(
        await problemsOf(join(dir, name)),
        expected.map((rest) => `${join(dir, name)}${rest}`),
        name,
      );
    }
  });

  test('an id used twice across the files of a directory names both places', async () => {
    const dir = writeFiles(tempDir(), {
      'a.yaml': 'targets:\n  - {id: shared, datasetId: d, webhookToken: {env: TOKEN}}\n',
      'b.yaml':
        'targets:\n  - {id: own, datasetId: d, webhookToken: {env: TOKEN}}\n  - {id: shared, datasetId: d, webhookToken: {env: TOKEN}}\n',
    });
    assert.deepEqual(await problemsOf(dir), [
      `${join(dir, 'b.yaml')}:3: target "shared": id: is also the id at ${join(dir, 'a.yaml')}:2`,
    ]);
  });

  test('a default or a variable that breaks a rule is told once, where it is set', async () => {
    const dir = writeFiles(tempDir(), {
      't.yaml': [
        'defaults: {webhookToken: {env: TOKEN}, reconnectMinSeconds: 9}',
        'targets:',
        ...['a', 'b', 'c'].map((id) => `  - {id: ${id}, datasetId: d}`),
        '  - {id: own, datasetId: d, reconnectMaxSeconds: 1}',
      ].join('\n'),
    });
    assert.deepEqual(
      await problemsOf(join(dir, 't.yaml'), { ...env, RECONNECT_MAX_SECONDS: '2' }),
      [
        // The rule joins a default and a variable: told at the defaults, once for a, b and c.
        `${join(dir, 't.yaml')}:1: defaults: reconnectMaxSeconds: expected at least reconnectMinSeconds (9), got 2`,
        `${join(dir, 't.yaml')}:6: target "own": reconnectMaxSeconds: expected at least reconnectMinSeconds (9), got 1`,
      ],
    );
    // A default against a built-in default: the defaults are where to mend it.
    assert.deepEqual(await problemsOf(join(dir, 't.yaml')), [
      `${join(dir, 't.yaml')}:1: defaults: reconnectMaxSeconds: expected at least reconnectMinSeconds (9), got 5`,
      `${join(dir, 't.yaml')}:6: target "own": reconnectMaxSeconds: expected at least reconnectMinSeconds (9), got 1`,
    ]);
    // A variable against a built-in default: the environment is.
    const fine = join(dir, 'fine.yaml');
    writeFiles(dir, {
      'fine.yaml':
        'targets: [{id: a, datasetId: d, webhookToken: {env: TOKEN}}, {id: b, datasetId: d, webhookToken: {env: TOKEN}}]',
    });
    assert.deepEqual(await problemsOf(fine, { ...env, RECONNECT_MIN_SECONDS: '9' }), [
      'environment: RECONNECT_MAX_SECONDS: expected at least RECONNECT_MIN_SECONDS (9), got 5',
    ]);
    assert.deepEqual(await problemsOf(fine, { ...env, WEBSOCKET_LISTENERS: '99' }), [
      'environment: WEBSOCKET_LISTENERS: expected a whole number from 1 to 16, got "99"',
    ]);
  });

  test("a default the schema refuses is told once; a target's own value is still checked", async () => {
    const file = join(
      writeFiles(tempDir(), {
        't.yaml': [
          'defaults: {webhookToken: {env: TOKEN}, websocketListeners: two}',
          'targets:',
          '  - {id: a, datasetId: d}',
          '  - {id: b, datasetId: d, websocketListeners: 99}',
        ].join('\n'),
      }),
      't.yaml',
    );
    assert.deepEqual(await problemsOf(file), [
      `${file}:1: defaults: websocketListeners: expected a whole number, got text`,
      `${file}:4: target "b": websocketListeners: expected a whole number from 1 to 16, got "99"`,
    ]);
  });

  test('files that cannot be read, or are too big to be a targets file or a secret', async () => {
    const dir = tempDir();
    assert.deepEqual(await problemsOf(join(dir, 'absent.yaml')), [
      `${join(dir, 'absent.yaml')}: cannot read it (ENOENT)`,
    ]);
    writeFiles(dir, { 'empty/notes.txt': 'x' });
    assert.deepEqual(await problemsOf(join(dir, 'empty')), [
      `${join(dir, 'empty')}: holds no *.yaml, *.yml or *.json file`,
    ]);
    writeFiles(dir, { 'big/t.yaml': `# ${'x'.repeat(MAX_FILE_BYTES)}\ntargets: []\n` });
    assert.deepEqual(await problemsOf(join(dir, 'big')), [
      `${join(dir, 'big', 't.yaml')}: is ${MAX_FILE_BYTES + 15} bytes, more than ${MAX_FILE_BYTES} (a ConfigMap's most)`,
    ]);
    writeFiles(dir, {
      'secrets/huge': 'y'.repeat(MAX_SECRET_FILE_BYTES + 1),
      'secrets/folder/x': 'z',
      'secrets/t.yaml':
        'targets:\n  - {id: a, datasetId: d, webhookToken: {file: huge}}\n  - {id: b, datasetId: d, webhookToken: {file: folder}}\n',
    });
    assert.deepEqual(await problemsOf(join(dir, 'secrets', 't.yaml')), [
      `${join(dir, 'secrets', 't.yaml')}:2: target "a": webhookToken: reads ${join(dir, 'secrets', 'huge')}, of ${MAX_SECRET_FILE_BYTES + 1} bytes: more than ${MAX_SECRET_FILE_BYTES}`,
      `${join(dir, 'secrets', 't.yaml')}:3: target "b": webhookToken: reads ${join(dir, 'secrets', 'folder')}, which is a directory, not a regular file`,
    ]);
  });

  test("a URL's user or password is a secret too: refused in the file, never shown", async () => {
    const file = join(
      writeFiles(tempDir(), {
        't.yaml': [
          'targets:',
          '  - id: a',
          '    datasetId: d',
          '    webhookToken: {env: TOKEN}',
          `    websocketUrl: "wss://probe:${LITERAL}@hub.example/ws"`,
          `    eventCollectorUrl: "https://${LITERAL}@collector.example"`,
          '    keycloakServerUrl: "https://login.example/auth"',
        ].join('\n'),
      }),
      't.yaml',
    );
    const refused =
      "a URL's user and password are secret, never written in the file: set the variable";
    assert.deepEqual(await problemsOf(file), [
      `${file}:5: target "a": websocketUrl: ${refused}`,
      `${file}:6: target "a": eventCollectorUrl: ${refused}`,
    ]);
  });

  test('labels: at most five, short values, no control characters', async () => {
    const dir = writeFiles(tempDir(), {
      't.yaml': [
        'targets:',
        '  - id: a',
        '    datasetId: d',
        '    webhookToken: {env: TOKEN}',
        '    labels: {a: "1", b: "2", c: "3", d: "4", e: "5", f: "6"}',
        '  - id: b',
        '    datasetId: d',
        '    webhookToken: {env: TOKEN}',
        `    labels: {long: "${'v'.repeat(129)}", bell: "\\a", fine: "${'v'.repeat(128)}", num: 5}`,
      ].join('\n'),
    });
    const file = join(dir, 't.yaml');
    assert.deepEqual(await problemsOf(file), [
      `${file}:5: target "a": labels: expected at most 5 labels`,
      `${file}:9: target "b": labels.long: expected at most 128 characters`,
      `${file}:9: target "b": labels.bell: expected no control characters (a line break, a direction mark)`,
      `${file}:9: target "b": labels.num: expected text, got a number (quote it)`,
    ]);
  });

  test('labels: no character that turns text around or hides (Unicode Cc, Cf, Zl, Zp)', async () => {
    // The bidirectional overrides, embeddings, isolates and marks (U+202A–202E, U+2066–2069,
    // U+200E/200F, U+061C), and the other invisible format characters: zero-width space and
    // joiner, byte order mark, soft hyphen, a tag character beyond U+FFFF, the line separator.
    const hostile = [
      '\\u202e',
      '\\u202a',
      '\\u2067',
      '\\u200f',
      '\\u061c',
      '\\u200b',
      '\\u200d',
      '\\ufeff',
      '\\u00ad',
      '\\U000E0041',
      '\\u2028',
    ];
    const labels = hostile.map((c, i) => `l${i}: "ab${c}cd"`).join(', ');
    const dir = writeFiles(tempDir(), {
      't.yaml': [
        'targets:',
        '  - id: a',
        '    datasetId: d',
        '    webhookToken: {env: TOKEN}',
        '    labels: {fine: "team-α · 東京 ✓"}',
        '  - id: b',
        '    datasetId: d',
        '    webhookToken: {env: TOKEN}',
        `    labels: {${labels}}`,
        '  - id: c',
        '    datasetId: "d\\u202ex"',
        '    webhookToken: {env: TOKEN}',
      ].join('\n'),
    });
    const file = join(dir, 't.yaml');
    const problems = await problemsOf(file);
    assert.deepEqual(
      problems.filter((p) => p.includes('labels.')),
      hostile.map(
        (_, i) =>
          `${file}:9: target "b": labels.l${i}: expected no control characters (a line break, a direction mark)`,
      ),
    );
    assert.ok(
      problems.some((p) =>
        p.startsWith(`${file}:11: target "c": datasetId: expected no control characters`),
      ),
      problems.join('\n'),
    );
    // The one more: target b has more than five labels.
    assert.equal(problems.length, hostile.length + 2, problems.join('\n'));
  });

  test('every unknown key is a problem line, never a crash: underscores, prototype names, empty, unicode', async () => {
    const odd = [
      'dataset__id',
      '__proto__',
      'id_',
      '_',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      'ø',
      'a\tb',
      'a\u202eb',
    ];
    const dir = tempDir();
    const entry = (indent: string) => odd.map((key) => `${indent}${JSON.stringify(key)}: 1`);
    writeFiles(dir, {
      't.yaml': [
        'defaults:',
        ...entry('  '),
        'targets:',
        '  - id: a',
        '    datasetId: ds',
        '    webhookToken: {env: TOKEN, __proto__: x}',
        ...entry('    '),
      ].join('\n'),
    });
    const lines = await problemsOf(join(dir, 't.yaml'));
    for (const where of ['defaults', 'target "a"']) {
      for (const key of odd) {
        const shown = /^[A-Za-z0-9_-]+$/.test(key)
          ? key
          : JSON.stringify(key).replace(
              /[^\x20-\x7e]/g,
              (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
            );
        assert.ok(
          lines.some((line) => line.includes(`: ${where}: ${shown}: unknown key`)),
          `${where} ${shown}: ${lines.join('\n')}`,
        );
      }
    }
    assert.ok(lines.some((line) => /target "a": webhookToken\.__proto__: unknown key/.test(line)));
    for (const line of lines) assert.doesNotMatch(line, /[\t\u202e]/);
    assert.ok(
      lines.some((line) => /dataset__id: unknown key; did you mean datasetId\?$/.test(line)),
    );
  });

  test('.nan, .inf, -.inf and 1e400 say what is wrong with the number', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      't.yaml': [
        'targets:',
        '  - id: a',
        '    datasetId: ds',
        '    webhookToken: {env: TOKEN}',
        '    postEventIntervalSeconds: .nan',
        '    postTimeoutSeconds: .inf',
        '    reconnectMinSeconds: -.inf',
        '    listenerStaggerSeconds: 1e400',
        '    websocketListeners: .nan',
      ].join('\n'),
    });
    const lines = await problemsOf(join(dir, 't.yaml'));
    assert.deepEqual(
      lines.map((line) => line.replace(/^.*target "a": /, '')),
      [
        'postEventIntervalSeconds: expected a finite number, got not a number (.nan)',
        'postTimeoutSeconds: expected a finite number, got infinity (.inf, or a number too large)',
        'reconnectMinSeconds: expected a finite number, got minus infinity (-.inf, or a number too large)',
        'listenerStaggerSeconds: expected a finite number, got infinity (.inf, or a number too large)',
        'websocketListeners: expected a finite whole number, got not a number (.nan)',
      ],
    );
  });
});
