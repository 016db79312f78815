import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  comparisonElements,
  comparisonLabel,
  comparisonMarks,
  durationChange,
  durationLine,
  firstChanged,
  packMarks,
  percentText,
  signedText,
  valueText,
  verdictCounts,
  VERDICTS
} from '../src/compare';
import { graphStyle, Palette, PALETTE_VARIABLES } from '../src/style';
import { compared, comparison } from './fixtures';

const palette = Object.fromEntries(
  Object.keys(PALETTE_VARIABLES).map((k, i) => [
    k,
    k === 'font' ? 'sans-serif' : `rgb(${i}, ${i}, ${i})`
  ])
) as Palette;

const cacheMiss = {
  before: { enabled: true, expireAfter: 'P30D', hit: false, source: null },
  after: { enabled: true, expireAfter: 'P30D', hit: false, source: null },
  reason: 'cache miss: its cache key changed',
  keyChanges: ['Arguments.HyperParameters.max_depth']
};

test('compare: one node per compared step, classed by its verdict', () => {
  const answer = comparison(
    [
      compared('Pre', { verdict: 'faster' }),
      compared('Train', { verdict: 'newlyFailing' }),
      compared('Old', {
        verdict: 'removed',
        status: { before: 'Succeeded', after: null }
      })
    ],
    [
      ['Pre', 'Train'],
      ['Pre', 'Train'],
      ['Pre', 'Ghost']
    ]
  );
  const { nodes, edges } = comparisonElements(answer);
  assert.deepEqual(
    nodes.map(n => [n.data.id, n.classes, n.data.verdict, n.data.status]),
    [
      ['Pre', 'step verdict-faster', 'faster', 'Succeeded'],
      ['Train', 'step verdict-newlyFailing', 'newlyFailing', 'Succeeded'],
      ['Old', 'step verdict-removed', 'removed', 'Succeeded']
    ]
  );
  // duplicates once, an edge to a step not compared left out
  assert.deepEqual(
    edges.map(e => e.data.id),
    ['Pre->Train#ref:Get']
  );
});

test('compare: every verdict has its colour rule in the graph stylesheet', () => {
  const selectors = graphStyle(palette).map(r => r.selector);
  for (const verdict of VERDICTS) {
    assert.ok(selectors.includes(`node.verdict-${verdict}`), verdict);
  }
  const rule = (v: string) =>
    graphStyle(palette).find(r => r.selector === `node.verdict-${v}`)!.style;
  assert.equal(rule('newlyFailing')['border-color'], palette.error);
  assert.equal(rule('slower')['border-color'], palette.warn);
  assert.equal(rule('faster')['border-color'], palette.info);
  assert.equal(rule('changed')['border-color'], palette.changed);
  assert.equal(rule('removed')['border-style'], 'dashed');
  assert.equal(rule('added')['border-style'], 'double');
});

test('compare: durations in words, with the absolute and relative change', () => {
  assert.equal(
    durationChange({ before: 548, after: 371, delta: -177, percent: -32.3 }),
    '9 min 8 s → 6 min 11 s (−2 min 57 s, −32 %)'
  );
  assert.equal(
    durationChange({ before: 176, after: 232, delta: 56, percent: 31.8 }),
    '2 min 56 s → 3 min 52 s (+56 s, +32 %)'
  );
  assert.equal(
    durationChange({ before: 1, after: 1, delta: 0, percent: 0 }),
    '1 s → 1 s'
  );
  assert.equal(
    durationChange({ before: null, after: 30, delta: null, percent: null }),
    '– → 30 s'
  );
  assert.equal(
    durationChange({ before: null, after: null, delta: null, percent: null }),
    ''
  );
  assert.equal(
    durationLine({ before: 548, after: 371, delta: -177, percent: -32.3 }),
    '6 min 11 s · −32 %'
  );
  assert.equal(
    durationLine({ before: 20, after: null, delta: null, percent: null }),
    'was 20 s'
  );
});

test('compare: signed numbers and percentages', () => {
  assert.equal(percentText(-1.84), '−1.8 %');
  assert.equal(percentText(42.9), '+43 %');
  assert.equal(percentText(0), '±0 %');
  assert.equal(percentText(null), '');
  assert.equal(signedText(-0.032), '−0.032');
  assert.equal(signedText(56), '+56');
  assert.equal(signedText(null), '');
});

test('compare: marks say what changed, most telling first', () => {
  const train = compared('Train', {
    verdict: 'faster',
    cache: cacheMiss,
    arguments: [
      {
        path: 'Arguments.ResourceConfig.InstanceType',
        kind: 'changed',
        before: 'ml.m5.xlarge' as never,
        after: 'ml.m5.2xlarge' as never,
        cause: 'parameter',
        source: 'TrainingInstanceType',
        cacheKey: false
      },
      {
        path: 'Arguments.HyperParameters.max_depth',
        kind: 'changed',
        before: '5' as never,
        after: '6' as never,
        cause: 'definition',
        source: null,
        cacheKey: true
      }
    ],
    metrics: [
      {
        name: 'rmse',
        before: 1.744,
        after: 1.712,
        delta: -0.032,
        percent: -1.8
      }
    ],
    outputs: [{ name: 'model', before: 's3://b/1', after: 's3://b/2' }]
  });
  assert.deepEqual(comparisonMarks(train), [
    'cache miss',
    'parameter',
    'definition',
    'metrics',
    'I/O'
  ]);
  // a value that differs only through the execution's id is no change worth a mark
  const pre = compared('Pre', {
    cache: {
      ...cacheMiss,
      after: { ...cacheMiss.after, hit: true, source: 'arn:base' }
    },
    arguments: [
      {
        path: 'Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri',
        kind: 'changed',
        before: 's3://b/x1' as never,
        after: 's3://b/x2' as never,
        cause: 'execution',
        source: 'PipelineExecutionId',
        cacheKey: false
      }
    ]
  });
  assert.deepEqual(comparisonMarks(pre), ['cache hit']);
  // a status change the verdict does not already say
  const stopped = compared('S', {
    verdict: 'changed',
    status: { before: 'Succeeded', after: 'Stopped' }
  });
  assert.deepEqual(comparisonMarks(stopped), ['Succeeded → Stopped']);
  const failing = compared('F', {
    verdict: 'newlyFailing',
    status: { before: 'Succeeded', after: 'Failed' }
  });
  assert.deepEqual(comparisonMarks(failing), []);
  assert.deepEqual(comparisonMarks(compared('U')), []);
});

test('compare: labels carry the name, type, duration change and marks', () => {
  const step = compared('CreateAbaloneModel-CreateModel', {
    type: 'Model',
    verdict: 'changed',
    durationSec: { before: 7, after: 10, delta: 3, percent: 42.9 },
    inputs: [{ name: 'model_data', before: 's3://b/1', after: 's3://b/2' }]
  });
  assert.equal(
    comparisonLabel(step, true),
    'CreateAbaloneModel-\nCreateModel\nModel\n10 s · +43 %\nI/O'
  );
  // a large comparison keeps its boxes short
  assert.equal(
    comparisonLabel(step, false),
    'CreateAbaloneModel-CreateModel\n10 s · +43 %'
  );
  assert.deepEqual(
    packMarks(['cache miss', 'parameter', 'definition', 'metrics', 'I/O']),
    ['cache miss', 'parameter', 'definition', 'metrics · I/O']
  );
});

test('compare: counts per verdict and the first step worth a look', () => {
  const answer = comparison([
    compared('A'),
    compared('B', { verdict: 'slower' }),
    compared('C', { verdict: 'slower' })
  ]);
  assert.deepEqual(verdictCounts(answer), { unchanged: 1, slower: 2 });
  assert.equal(firstChanged(answer), 'B');
  assert.equal(firstChanged(comparison([compared('A')])), null);
});

test('compare: argument values as one line of text', () => {
  assert.equal(valueText('ml.m5.xlarge'), 'ml.m5.xlarge');
  assert.equal(
    valueText({ Enabled: true, ExpireAfter: 'P30D' }),
    '{"Enabled":true,"ExpireAfter":"P30D"}'
  );
  assert.equal(valueText(6), '6');
  assert.equal(valueText(null), '–');
});
