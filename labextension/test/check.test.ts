import { test } from 'node:test';
import assert from 'node:assert/strict';

import { brokenRules, checkFindings, outcomeLevel } from '../src/check';
import type { IArtifactCheck, ICheck } from '../src/contract';
import { lineage } from './fixtures';

function result(
  id: number,
  outcome: IArtifactCheck['outcome']
): IArtifactCheck {
  return {
    artifactId: id,
    uri: `s3://b/${id}`,
    bucket: 'b',
    key: String(id),
    producers: [],
    consumers: [],
    outcome,
    checks: [
      {
        rule: 'encryption',
        outcome: 'pass',
        value: 'AES256',
        message: 'encrypted',
        reason: null
      },
      {
        rule: 'versioning',
        outcome,
        value: 'Suspended',
        message: 'versioning is not enabled',
        reason: null
      }
    ]
  };
}

function check(results: IArtifactCheck[]): ICheck {
  return {
    pipeline: lineage([]).pipeline!,
    execution: null,
    passed: false,
    policy: {
      source: 'default',
      rules: ['encryption', 'public-access', 'versioning'],
      unknown: 'fail',
      exceptions: []
    },
    counts: { artifacts: 0, passed: 0, failed: 0, unknown: 0, excepted: 0 },
    results,
    risks: [],
    warnings: []
  };
}

test('check: findings are what did not pass, failures first', () => {
  const findings = checkFindings(
    check([
      result(1, 'pass'),
      result(2, 'excepted'),
      result(3, 'unknown'),
      result(4, 'fail'),
      result(5, 'fail')
    ])
  );
  assert.deepEqual(
    findings.map(f => [f.artifactId, f.outcome]),
    [
      [4, 'fail'],
      [5, 'fail'],
      [3, 'unknown'],
      [2, 'excepted']
    ]
  );
});

test('check: the rules an artifact breaks, and badge levels', () => {
  assert.deepEqual(
    brokenRules(result(1, 'fail')).map(r => r.rule),
    ['versioning']
  );
  assert.deepEqual(brokenRules(result(1, 'pass')), []);
  assert.equal(outcomeLevel('fail'), 'bad');
  assert.equal(outcomeLevel('unknown'), 'warn');
  assert.equal(outcomeLevel('excepted'), 'info');
});
