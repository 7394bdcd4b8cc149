import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookalikeWarnings } from '../../../src/config/lookalikes';
import { isNearMiss, nearestMiss } from '../../../src/config/nearMiss';
import { nearest } from '../../../src/targets/didYouMean';
import { keyOf } from '../../../src/targets/keys';

test('one rule: one edit per four characters of the known word, at least one, at most two', () => {
  assert.ok(isNearMiss('ix', 'id'));
  assert.ok(!isNearMiss('xy', 'id'));
  assert.ok(isNearMiss('realn', 'realm'));
  assert.ok(!isNearMiss('reaxx', 'realm'));
  assert.ok(isNearMiss('datasetxxId', 'datasetId'));
  assert.ok(!isNearMiss('postxxxIntervalSeconds', 'postEventIntervalSeconds'));
  assert.equal(nearestMiss('retrie', ['retries', 'realm']), 'retries');
  assert.equal(nearestMiss('zzz', ['retries', 'realm']), undefined);
});

test('the variables and the file keys take the same rule', () => {
  // Two edits from a long name: both say what was meant; three: neither.
  const known = ['latencyObjectiveSeconds', 'id'];
  assert.equal(nearest('latenxyObjectiveSecondz', known, keyOf), 'latencyObjectiveSeconds');
  assert.equal(nearest('latenxyObjectixeSecondz', known, keyOf), undefined);
  assert.equal(lookalikeWarnings({ LATENXY_OBJECTIVE_SECONDZ: '1' }).length, 1);
  assert.equal(lookalikeWarnings({ LATENXY_OBJECTIXE_SECONDZ: '1' }).length, 0);
});
