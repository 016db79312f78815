/**
 * The drawn lineage graph: one cytoscape.js instance in a container element.
 *
 * Layouts never run on the main thread: positions come from the layout worker
 * (dagre via cytoscape-dagre) and are applied as they are (cytoscape's `preset`).
 * A redraw whose steps and edges are the ones already drawn (a live update)
 * changes labels and status classes in place and keeps the user's zoom; only a
 * new shape is laid out again. Labels follow the level of detail of the zoom.
 */
import cytoscape from 'cytoscape';

import { IElements, INodeData, shapeKey } from './elements';
import { layout, layoutInWorker } from './layoutClient';
import type { Positions } from './layoutCore';
import {
  edgeCurve,
  fitViewport,
  IBox,
  LabelLevel,
  labelLevel,
  readableZoom,
  rendererOptions
} from './lod';
import { Direction, linksWithin, neighbourhood } from './neighbourhood';
import { graphStyle, Palette } from './style';

/** Timings of the last draw (ms), for the benchmark and the browser tests. */
export interface IDrawTiming {
  steps: number;
  edges: number;
  /** Building elements, from the response. */
  elementsMs: number;
  /** Waiting for the layout worker (0 for an in-place update). */
  layoutMs: number;
  /** Adding the elements, a chunk per frame, until the last chunk is added. */
  addMs?: number;
  /** How many frames the elements were added in. */
  chunks?: number;
  /** Whether the layout ran in the Web Worker (false: on the page's thread). */
  worker?: boolean;
  /** Adding and placing the elements, fitting the view. */
  renderMs: number;
  relayout: boolean;
}

export interface IGraphCallbacks {
  /** A node was picked (click, Enter) or unpicked (null). */
  onSelect(id: string | null): void;
}

const PADDING = 24;
/** The longest side of an exported PNG (px): Chromium's canvas limit is 16384. */
const PNG_MAX_PX = 12000;
/** Elements added per frame when a graph is drawn. */
const CHUNK = 150;
/** Classes the view sets on drawn elements; a redraw in place keeps them. */
const TRANSIENT = ['hidden', 'found', 'risk', 'faded'];

type IRendererChoice = ReturnType<typeof rendererOptions> & {
  curve: ReturnType<typeof edgeCurve>;
};

export class LineageGraph {
  constructor(
    readonly container: HTMLElement,
    private _palette: Palette,
    private _callbacks: IGraphCallbacks
  ) {
    this._cy = this._create({ ...rendererOptions(0), curve: edgeCurve(0) });
    container.addEventListener('keydown', this._onKey);
    // cytoscape cancels the mousedown, so a click would leave the keyboard elsewhere
    container.addEventListener('pointerdown', this._onPointerDown);
    // Whatever changes the canvas's size (a tab shown after it was drawn hidden, a
    // resize, the header growing as warnings unfold, the detail pane) fits it again.
    this._sizeObserver = new ResizeObserver(() => this._onContainerResize());
    this._sizeObserver.observe(container);
  }

  /** The cytoscape instance (a new one when a graph of another size class is drawn). */
  get cy(): cytoscape.Core {
    return this._cy;
  }

  /** Set while a focus is shown: the focused step, direction and hops. */
  focused: { id: string; direction: Direction; hops: number } | null = null;
  lastTiming: IDrawTiming | null = null;

  /**
   * Draw `elements` (`steps`: how many of them are steps; `elementsMs`: how long
   * building them took; `variant`: what they show, e.g. the lineage or a comparison:
   * the same steps and edges in another variant are laid out anew, since their
   * labels differ). Resolves once it is on screen. A later call supersedes an earlier
   * one still waiting for its layout (that one resolves without drawing).
   */
  async draw(
    elements: IElements,
    meta: { steps: number; elementsMs?: number; variant?: string }
  ): Promise<void> {
    const ticket = ++this._ticket;
    const t1 = performance.now();
    const key = `${meta.variant ?? ''}\u0002${shapeKey(elements)}`;
    const steps = meta.steps;
    const elementsMs = meta.elementsMs ?? 0;
    if (key === this._shape && this.cy.nodes().length) {
      this._updateInPlace(elements);
      this.lastTiming = {
        steps,
        edges: elements.edges.length,
        elementsMs,
        layoutMs: 0,
        renderMs: performance.now() - t1,
        relayout: false
      };
      return;
    }
    const positions = await this._layout(elements);
    if (ticket !== this._ticket) {
      return;
    }
    const t2 = performance.now();
    const count = elements.nodes.length + elements.edges.length;
    const renderer = { ...rendererOptions(count), curve: edgeCurve(count) };
    if (JSON.stringify(renderer) !== JSON.stringify(this._rendererOptions)) {
      // renderer options are read once, when cytoscape starts
      this._cy.destroy();
      this._cy = this._create(renderer);
    }
    // the level of detail of the fitted view, before any element is styled
    const box = boxOf(elements.nodes, positions);
    this._setLevel(
      box
        ? fitViewport(
            box,
            this.container.clientWidth,
            this.container.clientHeight,
            { padding: PADDING, nodes: elements.nodes.length }
          ).zoom
        : 1
    );
    // Added a chunk per frame: cytoscape styles new elements when it next draws,
    // so one add of a whole 200-step graph made one 200+ ms frame. In chunks, each
    // frame styles a chunk and draws what is there (the graph appears in a few frames).
    const definitions: cytoscape.ElementDefinition[] = [
      ...elements.nodes.map(n => ({
        group: 'nodes' as const,
        data: n.data,
        classes: n.classes,
        position: positions[n.data.id] ?? { x: 0, y: 0 }
      })),
      ...elements.edges.map(e => ({
        group: 'edges' as const,
        data: e.data,
        classes: e.classes
      }))
    ];
    this.cy.elements().remove();
    for (let at = 0; at < definitions.length; at += CHUNK) {
      if (at > 0) {
        await afterNextFrame();
        if (ticket !== this._ticket) {
          return;
        }
      }
      this.cy.batch(() => {
        this.cy.add(definitions.slice(at, at + CHUNK));
      });
      if (at === 0) {
        this.cy.resize();
        this._fitBox(box, PADDING, elements.nodes.length);
      }
    }
    this._fullPositions = positions;
    this._elements = elements;
    this._shape = key;
    this.focused = null;
    const t3 = performance.now();
    await nextFrame();
    this.lastTiming = {
      steps,
      edges: elements.edges.length,
      elementsMs,
      layoutMs: t2 - t1,
      addMs: t3 - t2,
      renderMs: performance.now() - t2,
      relayout: true,
      chunks: Math.ceil(definitions.length / CHUNK),
      worker: layoutInWorker()
    };
  }

  /** The elements drawn (all of them, also while a focus hides some). */
  get elements(): IElements | null {
    return this._elements;
  }

  /** The node ids of the drawn steps (not artifacts). */
  stepIds(): string[] {
    return this.cy.nodes('.step').map(n => n.id());
  }

  /** Center `id` at a zoom where its label reads at 12 px, mark it and pick it. */
  find(id: string): boolean {
    const node = this.cy.getElementById(id);
    if (node.empty()) {
      return false;
    }
    if (node.hasClass('hidden')) {
      this.showAll(false);
    }
    this.cy.nodes('.found').removeClass('found');
    node.addClass('found');
    // picked first: the detail pane it opens narrows the graph before centring
    this._pick(id);
    this.cy.zoom({
      level: Math.max(readableZoom(), this.cy.zoom()),
      position: node.position()
    });
    this.cy.center(node);
    this._applyDetail();
    return true;
  }

  /** Keep only `id`'s neighbourhood (upstream, downstream or both within `hops`), laid out anew. */
  async focus(id: string, direction: Direction, hops: number): Promise<void> {
    if (!this._elements || this.cy.getElementById(id).empty()) {
      return;
    }
    const ticket = ++this._ticket;
    const links = this._elements.edges.map(e => e.data);
    const shown = neighbourhood(links, id, hops, direction);
    const nodes = this._elements.nodes.filter(n => shown.has(n.data.id));
    const edges = linksWithin(links, shown);
    const positions = await layout({
      nodes: nodes.map(n => ({ id: n.data.id, w: n.data.w, h: n.data.h })),
      edges
    });
    if (ticket !== this._ticket) {
      return;
    }
    this.cy.batch(() => {
      this.cy.elements().removeClass('hidden');
      this.cy.nodes().forEach(n => {
        if (!shown.has(n.id())) {
          n.addClass('hidden');
        } else {
          n.position(positions[n.id()]);
        }
      });
    });
    this.focused = { id, direction, hops };
    this._pick(id);
    this.fit();
  }

  /** Back to the whole graph, where it was laid out, fitted (`fit`). */
  showAll(fit = true): void {
    ++this._ticket;
    this.focused = null;
    this.cy.batch(() => {
      this.cy.elements().removeClass('hidden');
      this.cy.nodes().forEach(n => {
        const p = this._fullPositions[n.id()];
        if (p) {
          n.position(p);
        }
      });
    });
    if (fit) {
      this.fit();
    }
  }

  /**
   * Fit the view to the visible steps by the panel's fit rule; a focus is fitted at
   * least at the zoom where labels read at `READABLE_PX` (centred on the focused step
   * when they don't all fit), since a focus is asked for to read its steps.
   */
  fit(): void {
    const visible = this.cy.nodes().not('.hidden');
    if (!this.focused) {
      this._fitNodes(visible, PADDING);
      return;
    }
    this._fitNodes(visible, PADDING * 2);
    const floor = readableZoom();
    const node = this.cy.getElementById(this.focused.id);
    if (this.cy.zoom() < floor && node.nonempty()) {
      this.cy.zoom({ level: floor, position: node.position() });
      this.cy.center(node);
      this._fittedAt = JSON.stringify([this.cy.zoom(), this.cy.pan()]);
      this._applyDetail();
    }
  }

  /**
   * Fit the view to `nodes` from their positions and box sizes, as `cy.fit` would;
   * cytoscape's own fit measures every element's rendered bounds first (edges
   * included), 100–200 ms at 200 steps.
   */
  private _fitNodes(nodes: cytoscape.NodeCollection, padding: number): void {
    const placed: { data: INodeData }[] = [];
    const positions: Positions = {};
    nodes.forEach(n => {
      placed.push({ data: n.data() as INodeData });
      positions[n.id()] = n.position();
    });
    this._fitBox(boxOf(placed, positions), padding, placed.length);
  }

  /** Fit the view to `box` (`nodes` in it) by the panel's fit rule, `fitViewport`. */
  private _fitBox(box: IBox | null, padding: number, nodes: number): void {
    if (!box) {
      return;
    }
    this.cy.viewport(
      fitViewport(box, this.cy.width(), this.cy.height(), {
        padding,
        nodes,
        limits: [this.cy.minZoom(), this.cy.maxZoom()]
      })
    );
    this._fittedAt = JSON.stringify([this.cy.zoom(), this.cy.pan()]);
    this._applyDetail();
  }

  /**
   * After the container changed size (the detail pane opened or closed): a view
   * still as fitted is fitted again; else `keep` (the picked step) stays on screen.
   */
  resized(keep: string | null): void {
    const fitted =
      this._fittedAt === JSON.stringify([this.cy.zoom(), this.cy.pan()]);
    this.cy.resize();
    if (fitted) {
      // a small graph fitted at its readable floor may not show `keep`: centre it then
      this.fit();
    }
    const node = keep ? this.cy.getElementById(keep) : null;
    if (node && node.nonempty() && !isOnScreen(this.cy, node)) {
      this.cy.center(node);
      if (fitted) {
        // still the panel's own view: the next resize fits again
        this._fittedAt = JSON.stringify([this.cy.zoom(), this.cy.pan()]);
      }
    }
  }

  /**
   * Mark `nodes` and `edges` (ids) and fade everything else (the Risks view); null
   * takes the marks away.
   */
  highlight(nodes: Set<string> | null, edges: Set<string> = new Set()): void {
    this.cy.batch(() => {
      this.cy.elements('.risk, .faded').removeClass('risk faded');
      if (!nodes) {
        return;
      }
      this.cy.elements().forEach(element => {
        const id = element.id();
        const on = element.isNode() ? nodes.has(id) : edges.has(id);
        element.addClass(on ? 'risk' : 'faded');
      });
    });
  }

  /** Pick `id` (null: nothing) without a click: selection, keyboard cursor, detail. */
  select(id: string | null): void {
    this._pick(id);
  }

  get selected(): string | null {
    return this._selected;
  }

  setPalette(palette: Palette): void {
    this._palette = palette;
    this._restyle();
  }

  /**
   * The steps shown (all, or the focus) as a PNG: trimmed to the drawing (`full`, not
   * the viewport and its margins), at twice the model's size so 12 px labels print at
   * 24 px, with every label whatever the zoom on screen; the theme's background. At
   * most `PNG_MAX_PX` px a side (a 1000-step graph is scaled down to fit).
   */
  png(): Blob {
    const level = this._level;
    if (level !== 'full') {
      this.cy.style(this._stylesheet('full'));
    }
    try {
      return this.cy.png({
        output: 'blob',
        bg: this._palette.background,
        full: true,
        scale: 2,
        maxWidth: PNG_MAX_PX,
        maxHeight: PNG_MAX_PX
      }) as unknown as Blob;
    } finally {
      if (level !== 'full') {
        this._restyle();
      }
    }
  }

  get level(): LabelLevel {
    return this._level;
  }

  dispose(): void {
    this._sizeObserver.disconnect();
    this.container.removeEventListener('keydown', this._onKey);
    this.container.removeEventListener('pointerdown', this._onPointerDown);
    this.cy.destroy();
  }

  private _onPointerDown = (): void => {
    if (document.activeElement !== this.container) {
      this.container.focus({ preventScroll: true });
    }
  };

  /** The canvas changed size: refit (or keep the picked step on screen), once it has one. */
  private _onContainerResize(): void {
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    const size = `${width}x${height}`;
    if (size === this._size) {
      return;
    }
    this._size = size;
    if (width > 0 && height > 0) {
      this.resized(this._selected);
    }
  }

  private async _layout(elements: IElements): Promise<Positions> {
    return layout({
      nodes: elements.nodes.map(n => ({
        id: n.data.id,
        w: n.data.w,
        h: n.data.h
      })),
      edges: elements.edges.map(e => ({
        source: e.data.source,
        target: e.data.target
      }))
    });
  }

  /**
   * Same steps and edges: new labels, boxes and classes, nothing moves (a box may grow
   * around its centre, as an elapsed time gets longer).
   */
  private _updateInPlace(elements: IElements): void {
    this.cy.batch(() => {
      for (const n of elements.nodes) {
        const node = this.cy.getElementById(n.data.id);
        const data = node.data() as INodeData;
        if (
          data.label !== n.data.label ||
          data.status !== n.data.status ||
          data.w !== n.data.w ||
          data.h !== n.data.h
        ) {
          node.data({ ...n.data });
        }
        const classes = [
          n.classes,
          ...TRANSIENT.filter(c => node.hasClass(c))
        ].join(' ');
        if (node.classes().join(' ') !== classes) {
          node.classes(classes);
        }
      }
    });
    this._elements = elements;
  }

  private _pick(id: string | null): void {
    this.cy.nodes(':selected').unselect();
    this.cy.nodes('.keyboard').removeClass('keyboard');
    if (id) {
      const node = this.cy.getElementById(id);
      node.select();
      node.addClass('keyboard');
    }
    this._selected = id;
    this._callbacks.onSelect(id);
  }

  private _scheduleDetail(): void {
    if (this._detailFrame) {
      return;
    }
    this._detailFrame = requestAnimationFrame(() => {
      this._detailFrame = 0;
      this._applyDetail();
    });
  }

  /** Labels by level of detail: restyle only when the level changes. */
  private _applyDetail(): void {
    this._setLevel(this.cy.zoom());
  }

  private _setLevel(zoom: number): void {
    const level = labelLevel(zoom);
    if (level === this._level) {
      return;
    }
    this._level = level;
    this.container.dataset.labels = level;
    this._restyle();
  }

  private _restyle(): void {
    this.cy.style(this._stylesheet(this._level));
  }

  private _stylesheet(level: LabelLevel): cytoscape.StylesheetJson {
    return graphStyle(
      this._palette,
      level,
      this._rendererOptions?.curve
    ) as unknown as cytoscape.StylesheetJson;
  }

  private _create(options: IRendererChoice): cytoscape.Core {
    this._rendererOptions = options;
    const { curve, ...renderer } = options;
    this._level = 'full';
    this.container.dataset.labels = 'full';
    const cy = cytoscape({
      container: this.container,
      elements: [],
      style: graphStyle(
        this._palette,
        'full',
        curve
      ) as unknown as cytoscape.StylesheetJson,
      layout: { name: 'preset' },
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      ...renderer
    });
    cy.on('tap', 'node', event => this._pick(event.target.id()));
    cy.on('tap', event => {
      if (event.target === cy) {
        this._pick(null);
      }
      // after JupyterLab's own handling of the click (activating the tab moves focus)
      this._onPointerDown();
    });
    cy.on('zoom', () => this._scheduleDetail());
    return cy;
  }

  /** Keyboard access: arrows walk the graph, Enter picks, Escape unpicks, +/- zoom, 0 fits. */
  private _onKey = (event: KeyboardEvent): void => {
    const current = this._selected
      ? this.cy.getElementById(this._selected)
      : null;
    const visible = this.cy.nodes().not('.hidden');
    let next: cytoscape.NodeSingular | null = null;
    switch (event.key) {
      case 'ArrowRight':
        next = current
          ? pickNearest(current, current.outgoers('node').not('.hidden'))
          : null;
        break;
      case 'ArrowLeft':
        next = current
          ? pickNearest(current, current.incomers('node').not('.hidden'))
          : null;
        break;
      case 'ArrowDown':
      case 'ArrowUp': {
        const order = visible
          .toArray()
          .map(n => n as cytoscape.NodeSingular)
          .sort(
            (a, b) =>
              a.position('x') - b.position('x') ||
              a.position('y') - b.position('y')
          );
        const at = current ? order.findIndex(n => n.id() === current.id()) : -1;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        next =
          order[Math.min(order.length - 1, Math.max(0, at + step))] ?? null;
        break;
      }
      case 'Escape':
        this._pick(null);
        event.preventDefault();
        return;
      case '+':
      case '=':
        this.cy.zoom({
          level: this.cy.zoom() * 1.25,
          renderedPosition: center(this.cy)
        });
        this._applyDetail();
        event.preventDefault();
        return;
      case '-':
        this.cy.zoom({
          level: this.cy.zoom() / 1.25,
          renderedPosition: center(this.cy)
        });
        this._applyDetail();
        event.preventDefault();
        return;
      case '0':
        this.fit();
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (!next && !current && visible.length) {
      next = visible[0] as cytoscape.NodeSingular;
    }
    if (next) {
      this._pick(next.id());
      if (!isOnScreen(this.cy, next)) {
        this.cy.center(next);
      }
    }
  };

  private _cy: cytoscape.Core;
  private _sizeObserver: ResizeObserver;
  /** The canvas size last seen by the resize observer ("WxH"). */
  private _size = '';
  /** The viewport a fit left (zoom and pan), to tell whether the user moved it since. */
  private _fittedAt = '';
  private _rendererOptions: IRendererChoice | null = null;
  private _ticket = 0;
  private _shape = '';
  private _elements: IElements | null = null;
  private _fullPositions: Positions = {};
  private _selected: string | null = null;
  private _level: LabelLevel = 'full';
  private _detailFrame = 0;
}

function pickNearest(
  from: cytoscape.NodeSingular,
  candidates: cytoscape.NodeCollection
): cytoscape.NodeSingular | null {
  let best: cytoscape.NodeSingular | null = null;
  let bestDistance = Infinity;
  candidates.forEach(n => {
    const d = Math.abs(n.position('y') - from.position('y'));
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  });
  return best;
}

function center(cy: cytoscape.Core): { x: number; y: number } {
  return { x: cy.width() / 2, y: cy.height() / 2 };
}

function isOnScreen(cy: cytoscape.Core, node: cytoscape.NodeSingular): boolean {
  const p = node.renderedPosition();
  return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height();
}

/** The box around nodes (model coordinates), from their positions and box sizes. */
function boxOf(
  nodes: { data: INodeData }[],
  positions: Positions
): IBox | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const { data } of nodes) {
    const p = positions[data.id];
    if (!p) {
      continue;
    }
    x1 = Math.min(x1, p.x - data.w / 2);
    x2 = Math.max(x2, p.x + data.w / 2);
    y1 = Math.min(y1, p.y - data.h / 2);
    y2 = Math.max(y2, p.y + data.h / 2);
  }
  return isFinite(x1) ? { x1, y1, x2, y2 } : null;
}

/** Resolves in a new task after the next frame was drawn. */
function afterNextFrame(): Promise<void> {
  return new Promise(resolve =>
    requestAnimationFrame(() => setTimeout(resolve, 0))
  );
}

function nextFrame(): Promise<void> {
  return new Promise(resolve => requestAnimationFrame(() => resolve()));
}
