/**
 * Level of detail: what is worth drawing at a zoom level. A 200-step pipeline
 * fitted into a panel is drawn at a zoom near 0.2, where a 12 px label is 2 px
 * high: drawing it costs time and shows grey noise. Labels appear once they
 * would be readable. Pure functions.
 */
import { FONT_SIZE, SMALL_GRAPH } from './elements';

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
 * The largest zoom a fit uses: a graph of two steps is drawn with labels of about
 * 16 px, not blown up to the viewer's maximum (36 px).
 */
export const FIT_MAX_ZOOM = 4 / 3;
/**
 * A small graph (up to `SMALL_GRAPH` steps) is never fitted with labels smaller than
 * this (px on screen): narrower than that, it is drawn at this size from its first
 * steps (left) and the rest is a pan away. A large graph is fitted whole (an overview;
 * labels come with the zoom, see `labelLevel`).
 */
export const FIT_MIN_PX = 10.5;

/** A box in model coordinates. */
export interface IBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A cytoscape viewport: zoom, and where the model's origin is drawn (px). */
export interface IViewport {
  zoom: number;
  pan: { x: number; y: number };
}

/**
 * The view that fits `box` into a `width` × `height` px canvas with `padding` px
 * around it: cytoscape's fit, then the zoom capped at `FIT_MAX_ZOOM`, and for a graph
 * of at most `SMALL_GRAPH` nodes (`nodes`) raised to where labels of `fontSize` px
 * read at `FIT_MIN_PX` (the graph's start on screen, centred vertically when it fits).
 * `limits`: the viewer's own zoom range.
 */
export function fitViewport(
  box: IBox,
  width: number,
  height: number,
  options: {
    padding: number;
    nodes: number;
    fontSize?: number;
    limits?: [number, number];
  }
): IViewport {
  const { padding, nodes } = options;
  const [minZoom, maxZoom] = options.limits ?? [0.02, 3];
  const fontSize = options.fontSize ?? FONT_SIZE;
  const bw = Math.max(box.x2 - box.x1, 1);
  const bh = Math.max(box.y2 - box.y1, 1);
  const fit = Math.min((width - 2 * padding) / bw, (height - 2 * padding) / bh);
  let zoom = Math.min(
    maxZoom,
    FIT_MAX_ZOOM,
    Math.max(minZoom, isFinite(fit) && fit > 0 ? fit : minZoom)
  );
  const floor = FIT_MIN_PX / fontSize;
  if (nodes <= SMALL_GRAPH && zoom < floor) {
    zoom = Math.min(maxZoom, floor);
    const x =
      bw * zoom <= width - 2 * padding
        ? (width - zoom * (box.x1 + box.x2)) / 2
        : padding - zoom * box.x1;
    const y =
      bh * zoom <= height - 2 * padding
        ? (height - zoom * (box.y1 + box.y2)) / 2
        : padding - zoom * box.y1;
    return { zoom, pan: { x, y } };
  }
  return {
    zoom,
    pan: {
      x: (width - zoom * (box.x1 + box.x2)) / 2,
      y: (height - zoom * (box.y1 + box.y2)) / 2
    }
  };
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
