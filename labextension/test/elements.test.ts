import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  edgeLabel,
  labelBox,
  lineageElements,
  nodeStatus,
  postureLevel,
  searchSteps,
  shapeKey,
  SMALL_GRAPH,
  stepDetailLine,
  stepLabel,
  wrapName
} from '../src/elements';
import { iteration, lineage, posture, step } from './fixtures';

test('elements: one node per step, coloured by run.status, NoRun without a run', () => {
  const response = lineage(
    [step('A', 'Succeeded'), step('B', 'Starting'), step('C')],
    [['A', 'B']]
  );
  const { nodes, edges } = lineageElements(response);
  assert.deepEqual(
    nodes.map(n => [n.data.id, n.classes]),
    [
      ['A', 'step status-Succeeded'],
      ['B', 'step status-Starting'],
      ['C', 'step status-NoRun']
    ]
  );
  assert.equal(edges.length, 1);
  assert.equal(edges[0].classes, 'via-ref-Get');
});

test('elements: a status the panel does not know is drawn as Unknown', () => {
  assert.equal(nodeStatus(step('A', 'Paused')), 'Unknown');
  assert.equal(nodeStatus(step('A', 'Stopping')), 'Stopping');
});

test('elements: edges naming a step that is not drawn are left out, duplicates once', () => {
  const response = lineage(
    [step('A'), step('B')],
    [
      ['A', 'B', 'dependsOn'],
      ['A', 'B', 'dependsOn'],
      ['A', 'Ghost']
    ]
  );
  assert.deepEqual(
    lineageElements(response).edges.map(e => e.data.id),
    ['A->B#dependsOn']
  );
});

test('elements: condition branches and forEach edges are labelled', () => {
  assert.equal(edgeLabel({ from: 'a', to: 'b', via: 'condition:if' }), 'if');
  assert.equal(
    edgeLabel({ from: 'a', to: 'b', via: 'condition:else' }),
    'else'
  );
  assert.equal(
    edgeLabel({ from: 'a', to: 'b', via: 'forEach' }, 12),
    'for each (12)'
  );
  assert.equal(edgeLabel({ from: 'a', to: 'b', via: 'forEach' }), 'for each');
  // the item count is the body step's iterations
  const body = step('b', 'Succeeded');
  body.run!.iterations = [iteration(0, 'Succeeded'), iteration(1, 'Succeeded')];
  const { edges } = lineageElements(
    lineage([step('a'), body], [['a', 'b', 'forEach']])
  );
  assert.equal(edges[0].classes, 'via-forEach');
  assert.equal(edges[0].data.label, 'for each (2)');
});

test('elements: the second label line has the type, elapsed time and iterations', () => {
  assert.equal(stepDetailLine(step('A', 'Succeeded')), 'Processing · 2 min');
  assert.equal(
    stepDetailLine(step('A', 'Executing')),
    'Processing · running 2 min'
  );
  const withIterations = step('A', 'Failed');
  withIterations.run!.iterations = [
    iteration(0, 'Succeeded'),
    iteration(1, 'Failed')
  ];
  assert.equal(stepDetailLine(withIterations), 'Processing · 2 min · ×2');
  assert.equal(stepDetailLine(step('A')), 'Processing');
});

test('elements: a label box grows with its longest line', () => {
  const [w1, h1] = labelBox('short');
  const [w2, h2] = labelBox('a much longer step name\nType');
  assert.ok(w2 > w1 && h2 > h1);
});

test('elements: the artifact view puts S3 artifacts between producers and consumers', () => {
  const response = lineage([step('Pre'), step('Train')], [['Pre', 'Train']]);
  response.graph.artifacts = [
    {
      id: 3,
      uri: 's3://b/data/train/',
      bucket: 'b',
      key: 'data/train/',
      resolved: true,
      producers: ['Pre'],
      consumers: ['Train'],
      s3: { ...posture(['NotEncrypted']), encryption: 'None' }
    }
  ];
  const plain = lineageElements(response);
  const data = lineageElements(response, { artifacts: true });
  assert.equal(plain.nodes.length, 2);
  const artifact = data.nodes.find(n => n.data.kind === 'artifact')!;
  assert.equal(artifact.data.id, 'artifact:3');
  assert.equal(artifact.data.label, 'train');
  assert.equal(artifact.classes, 'artifact posture-bad');
  // the ref:Get drawn through the artifact is not drawn twice
  assert.deepEqual(data.edges.map(e => e.data.id).sort(), [
    'Pre->artifact:3#produces',
    'artifact:3->Train#consumes'
  ]);
});

test('elements: posture levels from findings', () => {
  assert.equal(postureLevel(null), 'none');
  assert.equal(postureLevel(posture([])), 'ok');
  assert.equal(postureLevel(posture(['VersioningOff'])), 'warn');
  assert.equal(
    postureLevel(posture(['VersioningOff', 'PublicAccessNotBlocked'])),
    'bad'
  );
});

test('elements: the shape key ignores statuses and changes when a step appears', () => {
  const before = lineage(
    [step('A', 'Executing'), step('B', 'NotStarted')],
    [['A', 'B']]
  );
  const after = lineage(
    [step('A', 'Succeeded'), step('B', 'Executing')],
    [['A', 'B']]
  );
  const grown = lineage([step('A'), step('B'), step('C')], [['A', 'B']]);
  assert.equal(
    shapeKey(lineageElements(before)),
    shapeKey(lineageElements(after))
  );
  assert.notEqual(
    shapeKey(lineageElements(before)),
    shapeKey(lineageElements(grown))
  );
});

test('elements: find ranks exact, then prefix, then substring matches', () => {
  const response = lineage([
    step('TrainModel'),
    step('Train'),
    step('PreTrain'),
    step('Eval')
  ]);
  assert.deepEqual(searchSteps(response, 'train'), [
    'Train',
    'TrainModel',
    'PreTrain'
  ]);
  assert.deepEqual(searchSteps(response, '  '), []);
});

test('elements: long step names wrap at separators, then case changes, then anywhere', () => {
  assert.deepEqual(wrapName('Train'), ['Train']);
  assert.deepEqual(wrapName('RegisterAbalone-RegisterModel'), [
    'RegisterAbalone-',
    'RegisterModel'
  ]);
  assert.deepEqual(wrapName('CreateAbaloneModel-CreateModel'), [
    'CreateAbaloneModel-',
    'CreateModel'
  ]);
  assert.deepEqual(wrapName('PreprocessTheCustomerFeatures'), [
    'PreprocessThe',
    'CustomerFeatures'
  ]);
  assert.deepEqual(wrapName('x'.repeat(45)), [
    'x'.repeat(20),
    'x'.repeat(20),
    'x'.repeat(5)
  ]);
  const long = wrapName('a-'.repeat(60));
  assert.equal(long.length, 3);
  assert.ok(long[2].endsWith('…') && long.every(l => l.length <= 20));
});

test('elements: a small graph gets narrow boxes, a large one short labels', () => {
  const train = step('RegisterAbalone-RegisterModel', 'Executing');
  assert.equal(
    stepLabel(train, true),
    'RegisterAbalone-\nRegisterModel\nProcessing\nrunning 2 min'
  );
  assert.equal(
    stepLabel(train, false),
    'RegisterAbalone-RegisterModel\nProcessing · running 2 min'
  );
  const small = lineageElements(lineage([train]));
  assert.equal(small.nodes[0].data.label, stepLabel(train, true));
  const many = Array.from({ length: SMALL_GRAPH + 1 }, (_, i) =>
    step(`Step-${i}`)
  );
  assert.equal(
    lineageElements(lineage(many)).nodes[0].data.label,
    'Step-0\nProcessing'
  );
});
