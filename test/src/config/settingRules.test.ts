import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleProblems, SETTING_RULES } from '../../../src/config/settingRules';
import { allSettings } from '../../../src/config/settings';

const variables = new Set(allSettings().map(({ setting }) => setting.env));
/** Values that break the rules about the lost timeout and the reconnect delays. */
const broken = {
  MARK_EVENT_LOST_TIMEOUT_SECONDS: 300,
  PURGE_EVENT_TIMEOUT_SECONDS: 10,
  RECONNECT_MIN_SECONDS: 5,
  RECONNECT_MAX_SECONDS: 1,
};
const only = (names: string[]) =>
  SETTING_RULES.filter((rule) => rule.names.every((name) => names.includes(name)));

test('every rule between settings names variables of the table, and its line names them first', () => {
  for (const rule of SETTING_RULES) {
    assert.ok(rule.names.length > 0);
    for (const name of rule.names) assert.ok(variables.has(name), name);
  }
  const lines = ruleProblems(broken, new Set(), () => true, only(Object.keys(broken)));
  assert.deepEqual(lines, [
    'PURGE_EVENT_TIMEOUT_SECONDS: expected at least MARK_EVENT_LOST_TIMEOUT_SECONDS (300), got 10',
    'RECONNECT_MAX_SECONDS: expected at least RECONNECT_MIN_SECONDS (5), got 1',
  ]);
});

test('a rule is checked only when each of its variables is read and good', () => {
  const rules = only(Object.keys(broken));
  assert.equal(
    ruleProblems(broken, new Set(['RECONNECT_MIN_SECONDS']), () => true, rules).length,
    1,
  );
  const notRead = (name: string) => name !== 'MARK_EVENT_LOST_TIMEOUT_SECONDS';
  assert.deepEqual(
    ruleProblems(broken, new Set(), notRead, rules).map((line) => line.split(':')[0]),
    ['RECONNECT_MAX_SECONDS'],
  );
});
