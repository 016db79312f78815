import { test } from 'node:test';
import assert from 'node:assert/strict';

import { STATUSES } from '../src/elements';
import { computeLayout } from '../src/layoutCore';
import {
  graphStyle,
  labelField,
  Palette,
  PALETTE_VARIABLES,
  splitAlpha
} from '../src/style';

const palette = Object.fromEntries(
  Object.keys(PALETTE_VARIABLES).map(k => [
    k,
    k === 'font' ? 'sans-serif' : 'rgba(0, 0, 0, 0.54)'
  ])
) as Palette;

test('style: CSS colours split into an opaque colour and its alpha', () => {
  assert.deepEqual(splitAlpha('rgba(0, 0, 0, 0.87)'), {
    rgb: 'rgb(0, 0, 0)',
    alpha: 0.87
  });
  assert.deepEqual(splitAlpha('rgb(25, 118, 210)'), {
    rgb: 'rgb(25, 118, 210)',
    alpha: 1
  });
  assert.deepEqual(splitAlpha('rgb(25 118 210 / 50%)'), {
    rgb: 'rgb(25, 118, 210)',
    alpha: 0.5
  });
});

test('style: a rule per status and per edge kind, and labels by level of detail', () => {
  const selectors = graphStyle(palette).map(r => r.selector);
  for (const status of STATUSES) {
    assert.ok(selectors.includes(`node.status-${status}`), status);
  }
  for (const via of [
    'ref-Get',
    'dependsOn',
    'condition-if',
    'condition-else',
    'forEach'
  ]) {
    assert.ok(selectors.includes(`edge.via-${via}`), via);
  }
  const forEach = graphStyle(palette).find(
    r => r.selector === 'edge.via-forEach'
  )!;
  assert.equal(forEach.style['line-style'], 'dotted');
  assert.equal(labelField('none'), '');
  assert.equal(labelField('name'), 'data(name)');
});

test("style: a translucent theme colour keeps its alpha on borders (NotStarted's faint grey, not black)", () => {
  const rule = graphStyle(palette, 'full').find(
    r => r.selector === 'node.status-NotStarted'
  )!;
  assert.equal(rule.style['border-color'], 'rgb(0, 0, 0)');
  assert.equal(rule.style['border-opacity'], 0.54);
  assert.equal(rule.style['border-style'], 'dashed');
});

test('style: zoomed far out, fills are stronger and nothing is dashed', () => {
  const near = graphStyle(palette, 'full').find(
    r => r.selector === 'node.status-NotStarted'
  )!;
  const far = graphStyle(palette, 'none').find(
    r => r.selector === 'node.status-NotStarted'
  )!;
  assert.equal(near.style['border-style'], 'dashed');
  assert.equal(far.style['border-style'], 'solid');
  assert.ok(
    (far.style['background-opacity'] as number) >
      (near.style['background-opacity'] as number)
  );
  const edge = (level: 'full' | 'name') =>
    graphStyle(palette, level).find(r => r.selector === 'edge')!;
  assert.equal(edge('full').style.label, 'data(label)');
  assert.equal(
    edge('name').style.label,
    '',
    'edge labels only with full labels'
  );
});

test('layout: dagre lays a DAG out left to right, every node placed, none overlapping', () => {
  const nodes = ['a', 'b', 'c', 'd'].map(id => ({ id, w: 80, h: 30 }));
  const edges = [
    { source: 'a', target: 'b' },
    { source: 'a', target: 'c' },
    { source: 'b', target: 'd' },
    { source: 'c', target: 'd' }
  ];
  const p = computeLayout({ nodes, edges });
  assert.deepEqual(Object.keys(p).sort(), ['a', 'b', 'c', 'd']);
  assert.ok(p.a.x < p.b.x && p.b.x < p.d.x && p.a.x < p.c.x, JSON.stringify(p));
  assert.ok(
    Math.abs(p.b.y - p.c.y) >= 30,
    'b and c share a layer without overlapping'
  );
});
