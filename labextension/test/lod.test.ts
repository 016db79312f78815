import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  edgeCurve,
  FIT_MAX_ZOOM,
  FIT_MIN_PX,
  fitViewport,
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

test('lod: a fit never blows a small graph up past FIT_MAX_ZOOM', () => {
  // two steps, 300 x 60 px, in a 1100 x 630 canvas: cytoscape's fit would be 3.5
  const view = fitViewport({ x1: 0, y1: 0, x2: 300, y2: 60 }, 1100, 630, {
    padding: 24,
    nodes: 2
  });
  assert.equal(view.zoom, FIT_MAX_ZOOM);
  assert.ok(FIT_MAX_ZOOM * 12 <= 16.5, 'labels at most 16 px');
  // centred
  assert.equal(view.pan.x, (1100 - view.zoom * 300) / 2);
  assert.equal(view.pan.y, (630 - view.zoom * 60) / 2);
});

test('lod: a small graph wider than the canvas is drawn readable from its start', () => {
  const box = { x1: -10, y1: 0, x2: 1190, y2: 240 };
  const view = fitViewport(box, 750, 600, { padding: 24, nodes: 7 });
  assert.equal(view.zoom * 12, FIT_MIN_PX, 'labels at the readable floor');
  assert.equal(view.pan.x, 24 - view.zoom * box.x1, 'its first step on screen');
  assert.equal(view.pan.y, (600 - view.zoom * 240) / 2, 'centred vertically');
});

test('lod: a large graph is fitted whole, an overview below the floor', () => {
  const box = { x1: 0, y1: 0, x2: 5400, y2: 3000 };
  const view = fitViewport(box, 1100, 630, { padding: 24, nodes: 200 });
  assert.ok(Math.abs(view.zoom - (630 - 48) / 3000) < 1e-9);
  assert.equal(labelLevel(view.zoom), 'none');
});

test("lod: a fit stays inside the viewer's own zoom range", () => {
  const view = fitViewport({ x1: 0, y1: 0, x2: 10, y2: 10 }, 1000, 600, {
    padding: 24,
    nodes: 1,
    limits: [0.02, 1]
  });
  assert.equal(view.zoom, 1);
});
