import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { IPipelines } from '../src/contract';
import {
  isLive,
  LiveBackoff,
  liveFingerprint,
  runningPipelines
} from '../src/live';
import { lineage, step } from './fixtures';

test('live: each unchanged read waits longer, up to the maximum', () => {
  const backoff = new LiveBackoff({ baseMs: 2000, maxMs: 10000, factor: 2 });
  assert.equal(backoff.delay, 2000);
  assert.deepEqual(
    [
      backoff.next(false),
      backoff.next(false),
      backoff.next(false),
      backoff.next(false)
    ],
    [4000, 8000, 10000, 10000]
  );
});

test('live: a change brings the pace back', () => {
  const backoff = new LiveBackoff({ baseMs: 3000, maxMs: 30000, factor: 1.5 });
  backoff.next(false);
  backoff.next(false);
  assert.equal(backoff.next(true), 3000);
  backoff.next(false);
  backoff.reset();
  assert.equal(backoff.delay, 3000);
});

function executing(status: string) {
  return lineage([step('A', status)], [], {
    execution: {
      arn: 'arn:aws:sagemaker:eu-west-1:1:pipeline/p/execution/e',
      displayName: 'e',
      status: status as 'Executing',
      startTime: null,
      endTime: null,
      elapsedSec: null,
      failureReason: null,
      parameters: {}
    }
  });
}

test('live: only a running execution is read again', () => {
  assert.equal(isLive(executing('Executing')), true);
  assert.equal(isLive(executing('Stopping')), true);
  assert.equal(isLive(executing('Succeeded')), false);
  assert.equal(isLive(lineage([step('A')])), false);
});

test("live: a running step's growing duration is not a change; a new status is", () => {
  const a = executing('Executing');
  const b = executing('Executing');
  b.graph.nodes[0].run!.elapsedSec = 999;
  assert.equal(liveFingerprint(a), liveFingerprint(b));
  const c = executing('Executing');
  c.graph.nodes[0].run!.status = 'Succeeded';
  assert.notEqual(liveFingerprint(a), liveFingerprint(c));
});

function pipelines(statuses: (string | null)[]): IPipelines {
  return {
    region: 'eu-west-1',
    warnings: [],
    pipelines: statuses.map((status, i) => ({
      name: `p${i}`,
      arn: `arn:aws:sagemaker:eu-west-1:1:pipeline/p${i}`,
      displayName: `p${i}`,
      description: null,
      creationTime: null,
      lastModifiedTime: null,
      lastExecutionTime: null,
      latestExecution:
        status === null
          ? null
          : {
              arn: `arn:aws:sagemaker:eu-west-1:1:pipeline/p${i}/execution/e`,
              status: status as 'Executing',
              startTime: null
            }
    }))
  };
}

test('live: the sidebar watches the pipelines whose latest execution runs', () => {
  assert.deepEqual(
    runningPipelines(
      pipelines(['Succeeded', 'Executing', null, 'Stopping', 'Failed'])
    ),
    ['p1', 'p3']
  );
  assert.deepEqual(
    runningPipelines(pipelines(['Succeeded', 'Stopped', null])),
    []
  );
});
