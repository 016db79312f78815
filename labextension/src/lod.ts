/**
 * Level of detail: what is worth drawing at a zoom level. A 200-step pipeline
 * fitted into a panel is drawn at a zoom near 0.2, where a 12 px label is 2 px
 * high: drawing it costs time and shows grey noise. Labels appear once they
 * would be readable. Pure functions.
 */
import { FONT_SIZE } from './elements';

/** `none`: shape and colour only; `name`: the step name; `full`: name, type and elapsed time. */
export type LabelLevel = 'none' | 'name' | 'full';

/** On-screen font size (px) from which a step name is drawn. */
export const NAME_PX = 5;
/** On-screen font size (px) from which the second label line is drawn too. */
export const FULL_PX = 7.5;
/** The on-screen font size (px) Find zooms to. */
export const READABLE_PX = 12;

/** The label level at `zoom` for labels of `fontSize` px. */
export function labelLevel(
  zoom: number,
  fontSize: number = FONT_SIZE
): LabelLevel {
  const px = zoom * fontSize;
  if (px < NAME_PX) {
    return 'none';
  }
  return px < FULL_PX ? 'name' : 'full';
}

/** The zoom at which labels of `fontSize` px read at `READABLE_PX`. */
export function readableZoom(fontSize: number = FONT_SIZE): number {
  return READABLE_PX / fontSize;
}

/**
 * cytoscape renderer options by graph size: while panning or zooming a large graph,
 * draw a cached texture (and above 600 elements, no edges) instead of every element.
 */
export function rendererOptions(elements: number): {
  textureOnViewport: boolean;
  hideEdgesOnViewport: boolean;
  hideLabelsOnViewport: boolean;
} {
  return {
    textureOnViewport: elements > 400,
    hideEdgesOnViewport: elements > 1200,
    hideLabelsOnViewport: elements > 400
  };
}

/**
 * How edges are drawn by graph size. Bezier curves keep parallel edges apart but
 * cost the most to lay out (measured in Chromium: 200 steps, 404 edges, first
 * frame 80–170 ms bezier, 28 ms straight); a large graph draws straight lines,
 * and a very large one cytoscape's cheapest edges (no arrowheads).
 */
export function edgeCurve(
  elements: number
): 'bezier' | 'straight' | 'haystack' {
  if (elements > 2400) {
    return 'haystack';
  }
  return elements > 300 ? 'straight' : 'bezier';
}
