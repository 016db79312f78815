import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  edgeCurve,
  labelLevel,
  readableZoom,
  READABLE_PX,
  rendererOptions
} from '../src/lod';

test('lod: a 200-step pipeline fitted at zoom 0.2 draws no labels', () => {
  assert.equal(labelLevel(0.2), 'none');
});

test('lod: names first, then the full label, as the zoom grows', () => {
  assert.equal(labelLevel(0.5), 'name');
  assert.equal(labelLevel(0.7), 'full');
  assert.equal(labelLevel(1), 'full');
});

test('lod: a bigger font reads at a lower zoom', () => {
  assert.equal(labelLevel(0.4, 12), 'none');
  assert.equal(labelLevel(0.4, 24), 'full');
});

test('lod: Find zooms to where labels read at READABLE_PX', () => {
  assert.equal(readableZoom(12) * 12, READABLE_PX);
  assert.equal(labelLevel(readableZoom()), 'full');
});

test('lod: large graphs draw a texture while panning', () => {
  assert.equal(rendererOptions(20).textureOnViewport, false);
  assert.equal(rendererOptions(600).textureOnViewport, true);
  assert.equal(rendererOptions(3000).hideEdgesOnViewport, true);
});

test('lod: bezier edges on small graphs, cheaper ones as graphs grow', () => {
  assert.equal(edgeCurve(17), 'bezier');
  assert.equal(edgeCurve(604), 'straight');
  assert.equal(edgeCurve(3106), 'haystack');
});
