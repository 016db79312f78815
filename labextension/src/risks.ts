/**
 * The Risks view (`graph.risks`): which drawn elements lie on a path from a flagged S3
 * artifact (its bucket's posture has findings) to a step that registers a model
 * package. Pure functions over the drawn elements.
 */
import type { IRisk } from './contract';
import { artifactNodeId, IElements } from './elements';

/**
 * The node and edge ids to mark for `risks` among `elements`: each risk's steps, and
 * the edges between consecutive steps of its path; in the artifact view (the
 * elements hold artifact nodes) also its artifacts and their edges to and from the
 * path's steps. Ids not drawn are left out.
 */
export function riskHighlight(
  elements: IElements,
  risks: IRisk[]
): { nodes: Set<string>; edges: Set<string> } {
  const drawn = new Set(elements.nodes.map(n => n.data.id));
  const nodes = new Set<string>();
  const pairs = new Set<string>();
  for (const risk of risks) {
    const steps = risk.steps;
    const artifacts = risk.artifacts.map(a => artifactNodeId(a));
    for (const id of [...steps, ...artifacts]) {
      if (drawn.has(id)) {
        nodes.add(id);
      }
    }
    for (let i = 1; i < steps.length; i++) {
      pairs.add(`${steps[i - 1]}\n${steps[i]}`);
    }
    for (const artifact of artifacts) {
      for (const step of steps) {
        pairs.add(`${artifact}\n${step}`);
        pairs.add(`${step}\n${artifact}`);
      }
    }
  }
  const edges = new Set(
    elements.edges
      .filter(e => pairs.has(`${e.data.source}\n${e.data.target}`))
      .map(e => e.data.id)
  );
  return { nodes, edges };
}

/** The risks whose path holds node `id` (a step name, or `artifact:<id>`). */
export function risksThrough(risks: IRisk[], id: string): IRisk[] {
  return risks.filter(
    r => r.steps.includes(id) || r.artifacts.some(a => artifactNodeId(a) === id)
  );
}
