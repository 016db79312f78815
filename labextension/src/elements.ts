/**
 * A lineage response as graph elements: pure functions, no DOM, no cytoscape instance.
 *
 * Conventions (the README's "Rendering conventions"): node colour by `run.status`
 * (every status SageMaker reports, plus `NotStarted` and `NoRun` for a definition
 * read without an execution), edge style by `via` (`dependsOn` dashed, `ref:Get`
 * solid, condition branches labelled `if` / `else`, `forEach` dotted with the item
 * count). Element ids: the step name for a step, `artifact:<id>` for an artifact.
 */
import type { IArtifact, IEdge, ILineage, IStep, Verdict } from './contract';
import { formatElapsed } from './format';

/** Every status a step can be coloured by, in legend order. */
export const STATUSES = [
  'Succeeded',
  'Executing',
  'Starting',
  'Failed',
  'Stopping',
  'Stopped',
  'NotStarted',
  'Unknown',
  'NoRun'
] as const;
export type NodeStatus = (typeof STATUSES)[number];

/** Every edge kind, in legend order (`produces`/`consumes` only in the artifact view). */
export const VIAS = [
  'ref:Get',
  'dependsOn',
  'condition:if',
  'condition:else',
  'forEach',
  'produces',
  'consumes'
] as const;

/** Statuses during which a step is still moving: an execution showing one is live. */
export const ACTIVE_STATUSES = new Set(['Starting', 'Executing', 'Stopping']);

export const ARTIFACT_PREFIX = 'artifact:';
/** Step label font size (px); artifact and edge labels are one smaller. */
export const FONT_SIZE = 12;
/**
 * Up to this many steps a graph is "small": drawn with narrow boxes (the name wrapped,
 * type and elapsed time on lines of their own), so a left-to-right pipeline of a few
 * steps fits the tab's width at a readable size and uses more of its height.
 */
export const SMALL_GRAPH = 60;
/** The longest line of a wrapped step name (characters). */
export const NAME_WRAP = 20;
/** At most this many lines of a wrapped name; the rest is cut with an ellipsis. */
const NAME_LINES = 3;

/** Data on a step or artifact node; what the stylesheet and the views read. */
export interface INodeData {
  id: string;
  kind: 'step' | 'artifact';
  /** Full label: name, then type and elapsed time. */
  label: string;
  /** The name alone, for the middle level of detail. */
  name: string;
  status: NodeStatus | 'artifact';
  stepType?: string;
  posture?: PostureLevel;
  artifactId?: number;
  /** In a comparison: what changed most about the step (`/compare`). */
  verdict?: Verdict;
  /** Box size in px, from the full label (known before anything is drawn). */
  w: number;
  h: number;
}

export interface IEdgeData {
  id: string;
  source: string;
  target: string;
  via: string;
  label: string;
}

export interface IElements {
  nodes: { data: INodeData; classes: string }[];
  edges: { data: IEdgeData; classes: string }[];
}

export type PostureLevel = 'ok' | 'warn' | 'bad' | 'none';

const BAD_FINDINGS = new Set(['NotEncrypted', 'PublicAccessNotBlocked']);
const WARN_FINDINGS = new Set([
  'VersioningOff',
  'PublicAccessPartiallyBlocked',
  'PostureUnknown'
]);

/** The status a step is coloured by: `run.status`, or `NoRun` without a run. */
export function nodeStatus(step: IStep): NodeStatus {
  const status = step.run?.status;
  if (!status) {
    return 'NoRun';
  }
  return (STATUSES as readonly string[]).includes(status)
    ? (status as NodeStatus)
    : 'Unknown';
}

/** `bad`, `warn` or `ok` for a bucket's posture findings; `none` when not read. */
export function postureLevel(s3: IArtifact['s3'] | undefined): PostureLevel {
  if (!s3) {
    return 'none';
  }
  const findings = s3.findings ?? [];
  if (findings.some(f => BAD_FINDINGS.has(f))) {
    return 'bad';
  }
  if (findings.some(f => WARN_FINDINGS.has(f))) {
    return 'warn';
  }
  return 'ok';
}

/** Second label line: the step type and, once it ran, its elapsed time (or iterations). */
export function stepDetailLine(step: IStep): string {
  const run = step.run;
  let line = step.type || '?';
  if (run) {
    let elapsed = formatElapsed(run.elapsedSec);
    if (ACTIVE_STATUSES.has(run.status)) {
      elapsed =
        `${run.status === 'Executing' ? 'running' : run.status.toLowerCase()} ${elapsed}`.trim();
    }
    if (elapsed) {
      line += ` · ${elapsed}`;
    }
    if (run.iterations && run.iterations.length) {
      line += ` · ×${run.iterations.length}`;
    }
  }
  return line;
}

/**
 * `name` as lines of at most `max` characters: broken after a separator (`-`, `_`, `.`,
 * `/`, space), a part still too long at a lower-to-upper case change, and only then
 * anywhere; at most three lines, the last one cut with an ellipsis.
 */
export function wrapName(name: string, max: number = NAME_WRAP): string[] {
  if (name.length <= max) {
    return [name];
  }
  const parts: string[] = [];
  for (const part of name.split(/(?<=[-_./ ])/)) {
    if (part.length <= max) {
      parts.push(part);
      continue;
    }
    for (const piece of part.split(/(?<=[a-z0-9])(?=[A-Z])/)) {
      for (let at = 0; at < piece.length; at += max) {
        parts.push(piece.slice(at, at + max));
      }
    }
  }
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + part.length <= max) {
      lines[last] += part;
    } else {
      lines.push(part);
    }
  }
  if (lines.length > NAME_LINES) {
    lines.length = NAME_LINES;
    lines[NAME_LINES - 1] = lines[NAME_LINES - 1].slice(0, max - 1) + '…';
  }
  return lines;
}

/**
 * A step's label: in a small graph the name wrapped, its type, then (once it ran) its
 * elapsed time and iterations, each on a line of its own; in a large graph the name,
 * then `stepDetailLine` (the boxes of a large graph stay short: its fitted view is
 * an overview where only colours read).
 */
export function stepLabel(step: IStep, small: boolean): string {
  if (!small) {
    return `${step.id}\n${stepDetailLine(step)}`;
  }
  const lines = [...wrapName(step.id), step.type || '?'];
  const run = step.run;
  if (run) {
    let elapsed = formatElapsed(run.elapsedSec);
    if (ACTIVE_STATUSES.has(run.status)) {
      elapsed =
        `${run.status === 'Executing' ? 'running' : run.status.toLowerCase()} ${elapsed}`.trim();
    }
    const iterations = run.iterations?.length
      ? `×${run.iterations.length}`
      : '';
    const line = [elapsed, iterations].filter(Boolean).join(' · ');
    if (line) {
      lines.push(line);
    }
  }
  return lines.join('\n');
}

/** A box (width, height) in px that holds a label, estimated from its characters. */
export function labelBox(
  label: string,
  fontSize: number = FONT_SIZE
): [number, number] {
  const lines = label.split('\n');
  const longest = Math.max(...lines.map(l => l.length));
  return [
    Math.round(longest * fontSize * 0.58 + 18),
    Math.round(lines.length * fontSize * 1.25 + 10)
  ];
}

function shorten(text: string, limit = 40): string {
  return text.length <= limit ? text : text.slice(0, limit - 1) + '…';
}

/** An artifact's label: the object's last path segment, shortened, wrapped like a step name. */
export function artifactLabel(artifact: IArtifact): string {
  const key = (artifact.key ?? '').replace(/\/+$/, '');
  return wrapName(
    shorten(key ? key.split('/').pop() || key : artifact.uri)
  ).join('\n');
}

export function artifactNodeId(id: number | string): string {
  return `${ARTIFACT_PREFIX}${id}`;
}

export function edgeId(source: string, target: string, via: string): string {
  return `${source}->${target}#${via}`;
}

/**
 * The label drawn on an edge: condition branches, and for a ForEach edge the item
 * count (`items`: the iterations its body step ran, `run.iterations`, when known).
 */
export function edgeLabel(edge: IEdge, items?: number): string {
  if (edge.via === 'condition:if') {
    return 'if';
  }
  if (edge.via === 'condition:else') {
    return 'else';
  }
  if (edge.via === 'forEach') {
    return items ? `for each (${items})` : 'for each';
  }
  return '';
}

function viaClass(via: string): string {
  return `via-${via.replace(':', '-')}`;
}

/** An edge element from `source` to `target`, classed by `via`. */
export function edgeElement(
  source: string,
  target: string,
  via: string,
  label = ''
): IElements['edges'][number] {
  return {
    data: { id: edgeId(source, target, via), source, target, via, label },
    classes: viaClass(via)
  };
}

/**
 * Graph elements for a lineage response. With `artifacts` (the data view) every
 * S3 artifact becomes a node between its producers and consumers, and a `ref:Get`
 * edge already drawn through an artifact is left out.
 */
export function lineageElements(
  response: ILineage,
  options: { artifacts?: boolean } = {}
): IElements {
  const graph = response.graph ?? { nodes: [], edges: [], artifacts: [] };
  const nodes: IElements['nodes'] = [];
  const edges: IElements['edges'] = [];
  const stepIds = new Set<string>();
  const small = graph.nodes.length <= SMALL_GRAPH;
  for (const step of graph.nodes) {
    const status = nodeStatus(step);
    const label = stepLabel(step, small);
    const [w, h] = labelBox(label);
    stepIds.add(step.id);
    nodes.push({
      data: {
        id: step.id,
        kind: 'step',
        label,
        name: small ? wrapName(step.id).join('\n') : step.id,
        status,
        stepType: step.type,
        w,
        h
      },
      classes: `step status-${status}`
    });
  }
  const throughArtifact = new Set<string>();
  if (options.artifacts) {
    for (const artifact of graph.artifacts) {
      const id = artifactNodeId(artifact.id);
      const label = artifactLabel(artifact);
      const [w, h] = labelBox(label, FONT_SIZE - 1);
      const level = postureLevel(artifact.s3);
      nodes.push({
        data: {
          id,
          kind: 'artifact',
          label,
          name: label,
          status: 'artifact',
          posture: level,
          artifactId: artifact.id,
          w,
          h
        },
        classes: `artifact posture-${level}`
      });
      for (const producer of artifact.producers.filter(p => stepIds.has(p))) {
        edges.push(edgeElement(producer, id, 'produces'));
      }
      for (const consumer of artifact.consumers.filter(c => stepIds.has(c))) {
        edges.push(edgeElement(id, consumer, 'consumes'));
      }
      for (const producer of artifact.producers) {
        for (const consumer of artifact.consumers) {
          throughArtifact.add(`${producer}\n${consumer}`);
        }
      }
    }
  }
  const seen = new Set<string>();
  const iterations = new Map(
    graph.nodes.map(n => [n.id, n.run?.iterations?.length ?? 0] as const)
  );
  for (const edge of graph.edges) {
    if (!stepIds.has(edge.from) || !stepIds.has(edge.to)) {
      continue;
    }
    if (
      options.artifacts &&
      edge.via === 'ref:Get' &&
      throughArtifact.has(`${edge.from}\n${edge.to}`)
    ) {
      continue;
    }
    const items = iterations.get(edge.to);
    const element = edgeElement(
      edge.from,
      edge.to,
      edge.via,
      edgeLabel(edge, items)
    );
    if (!seen.has(element.data.id)) {
      seen.add(element.data.id);
      edges.push(element);
    }
  }
  return { nodes, edges };
}

/** The set of step ids and edge ids: when it changes, the graph needs a new layout. */
export function shapeKey(elements: IElements): string {
  const ids = elements.nodes.map(n => n.data.id).sort();
  const links = elements.edges.map(e => e.data.id).sort();
  return `${ids.join('\u0000')}\u0001${links.join('\u0000')}`;
}

/** Steps whose name matches `text`: exact first, then prefix, then substring (case-insensitive). */
export function searchSteps(response: ILineage, text: string): string[] {
  return searchIds(
    response.graph.nodes.map(n => n.id),
    text
  );
}

/** Ids that match `text`: exact first, then prefix, then substring (case-insensitive). */
export function searchIds(ids: string[], text: string): string[] {
  const needle = text.trim().toLowerCase();
  if (!needle) {
    return [];
  }
  const exact = ids.filter(i => i.toLowerCase() === needle);
  const prefix = ids.filter(
    i => i.toLowerCase().startsWith(needle) && !exact.includes(i)
  );
  const inner = ids.filter(
    i =>
      i.toLowerCase().includes(needle) &&
      !exact.includes(i) &&
      !prefix.includes(i)
  );
  return [...exact, ...prefix, ...inner];
}
