import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { IArtifact, IArtifactUses } from '../src/contract';
import {
  answerCrossPipelines,
  artifactCrossPipelines,
  groupUses
} from '../src/crossPipeline';
import { use } from './fixtures';

test('cross-pipeline: uses grouped by pipeline, then step, each location once', () => {
  const grouped = groupUses([
    use('live', 'Train', 'model_artifacts'),
    use('features', 'Build', 'train', 'contains'),
    use('live', 'Train', 'debug_hook', 'contains'),
    use('live', 'Train', 'model_artifacts'),
    use('live', 'Evaluate', 'input-1')
  ]);
  assert.deepEqual(
    grouped.map(p => [p.pipeline, p.steps.map(s => [s.step, s.locations])]),
    [
      ['features', [['Build', ['train']]]],
      [
        'live',
        [
          ['Train', ['model_artifacts', 'debug_hook']],
          ['Evaluate', ['input-1']]
        ]
      ]
    ]
  );
  assert.deepEqual(grouped[1].steps[0].relations, ['exact', 'contains']);
});

test('cross-pipeline: an artifact read without includeCrossPipeline says nothing', () => {
  const artifact: IArtifact = {
    id: 1,
    uri: 's3://b/k',
    bucket: 'b',
    key: 'k',
    resolved: true,
    producers: [],
    consumers: ['Train'],
    s3: null
  };
  assert.equal(artifactCrossPipelines(artifact), null);
  const read = artifactCrossPipelines({
    ...artifact,
    upstreamPipelines: [use('features', 'Build', 'train')],
    downstreamPipelines: []
  })!;
  assert.deepEqual(
    read.upstream.map(p => p.pipeline),
    ['features']
  );
  assert.deepEqual(read.downstream, []);
});

test('cross-pipeline: an /artifact answer without the pipeline shown', () => {
  const answer: IArtifactUses = {
    region: 'eu-west-1',
    uri: 's3://b/features',
    producers: [use('features', 'Build', 'train', 'within')],
    consumers: [use('ltv', 'TrainLtv', 'train', 'within')],
    pipelines: [],
    scanned: 3,
    warnings: []
  };
  const cross = answerCrossPipelines(answer, 'ltv');
  assert.deepEqual(
    cross.upstream.map(p => p.pipeline),
    ['features']
  );
  assert.deepEqual(cross.downstream, [], 'the pipeline shown is not "other"');
});
