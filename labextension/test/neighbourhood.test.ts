import { test } from 'node:test';
import assert from 'node:assert/strict';

import { linksWithin, neighbourhood } from '../src/neighbourhood';

// a -> b -> c -> d, and x -> c (x is c's other parent)
const links = [
  { source: 'a', target: 'b' },
  { source: 'b', target: 'c' },
  { source: 'c', target: 'd' },
  { source: 'x', target: 'c' }
];

test('neighbourhood: downstream within N hops', () => {
  assert.deepEqual([...neighbourhood(links, 'a', 2, 'downstream')].sort(), [
    'a',
    'b',
    'c'
  ]);
  assert.deepEqual([...neighbourhood(links, 'a', 1, 'downstream')].sort(), [
    'a',
    'b'
  ]);
});

test('neighbourhood: upstream within N hops', () => {
  assert.deepEqual([...neighbourhood(links, 'd', 1, 'upstream')].sort(), [
    'c',
    'd'
  ]);
  assert.deepEqual([...neighbourhood(links, 'd', 2, 'upstream')].sort(), [
    'b',
    'c',
    'd',
    'x'
  ]);
});

test('neighbourhood: both is lineage, not every node reachable by zig-zag', () => {
  // from b: ancestors a, descendants c, d; x is c's parent, not b's lineage
  assert.deepEqual([...neighbourhood(links, 'b', null, 'both')].sort(), [
    'a',
    'b',
    'c',
    'd'
  ]);
});

test('neighbourhood: null hops walks any distance', () => {
  assert.deepEqual([...neighbourhood(links, 'a', null, 'downstream')].sort(), [
    'a',
    'b',
    'c',
    'd'
  ]);
});

test('neighbourhood: links within a set keep both ends inside', () => {
  assert.deepEqual(
    linksWithin(links, new Set(['a', 'b', 'c'])),
    links.slice(0, 2)
  );
});
