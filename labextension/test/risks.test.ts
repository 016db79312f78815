import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { IRisk } from '../src/contract';
import { lineageElements } from '../src/elements';
import { riskHighlight, risksThrough } from '../src/risks';
import { lineage, posture, step } from './fixtures';

function risk(steps: string[], artifacts: number[]): IRisk {
  return {
    artifactId: artifacts[0],
    uri: `s3://b/${artifacts[0]}`,
    findings: ['VersioningOff'],
    modelStep: steps[steps.length - 1],
    modelPackageArn: null,
    approvalStatus: 'Approved',
    steps: steps as IRisk['steps'],
    artifacts: artifacts as IRisk['artifacts'],
    message: `unversioned input upstream of ${steps[steps.length - 1]}`
  };
}

/** Pre -> Train -> Register, Pre -> Eval; artifact 1 read by Pre, 2 written by Train. */
function answer() {
  const response = lineage(
    [step('Pre'), step('Train'), step('Register'), step('Eval')],
    [
      ['Pre', 'Train'],
      ['Train', 'Register'],
      ['Pre', 'Eval']
    ]
  );
  response.graph.artifacts = [1, 2].map(id => ({
    id,
    uri: `s3://b/${id}`,
    bucket: 'b',
    key: String(id),
    resolved: true,
    producers: id === 2 ? ['Train'] : [],
    consumers: id === 1 ? ['Pre'] : ['Register'],
    s3: posture(['VersioningOff'])
  }));
  response.graph.risks = [risk(['Pre', 'Train', 'Register'], [1])];
  return response;
}

test('risks: the steps of a path and the edges between them are marked', () => {
  const response = answer();
  const { nodes, edges } = riskHighlight(
    lineageElements(response),
    response.graph.risks
  );
  assert.deepEqual([...nodes].sort(), ['Pre', 'Register', 'Train']);
  assert.deepEqual([...edges].sort(), [
    'Pre->Train#ref:Get',
    'Train->Register#ref:Get'
  ]);
});

test('risks: in the artifact view the flagged artifact and its edges are marked too', () => {
  const response = answer();
  const { nodes, edges } = riskHighlight(
    lineageElements(response, { artifacts: true }),
    response.graph.risks
  );
  assert.ok(nodes.has('artifact:1'));
  assert.ok(!nodes.has('artifact:2'), 'not on the path');
  assert.ok(edges.has('artifact:1->Pre#consumes'));
  assert.ok(!edges.has('Pre->Eval#ref:Get'));
});

test('risks: nothing is marked without risks', () => {
  const response = answer();
  const { nodes, edges } = riskHighlight(lineageElements(response), []);
  assert.equal(nodes.size + edges.size, 0);
});

test('risks: the paths through a step or an artifact', () => {
  const risks = [
    risk(['Pre', 'Train', 'Register'], [1]),
    risk(['Register'], [2])
  ];
  assert.equal(risksThrough(risks, 'Train').length, 1);
  assert.equal(risksThrough(risks, 'Register').length, 2);
  assert.equal(risksThrough(risks, 'artifact:2').length, 1);
  assert.equal(risksThrough(risks, 'Eval').length, 0);
});
