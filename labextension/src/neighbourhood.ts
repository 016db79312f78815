/**
 * Neighbourhoods of a step in the lineage graph: what fed it (upstream) and what it
 * fed (downstream), within N hops. Pure functions over `{source, target}` pairs.
 */

export type Direction = 'upstream' | 'downstream' | 'both';

export interface ILink {
  source: string;
  target: string;
}

/** Downstream and upstream neighbour sets per node. */
export function adjacency(links: Iterable<ILink>): {
  down: Map<string, Set<string>>;
  up: Map<string, Set<string>>;
} {
  const down = new Map<string, Set<string>>();
  const up = new Map<string, Set<string>>();
  for (const { source, target } of links) {
    if (!down.has(source)) {
      down.set(source, new Set());
    }
    down.get(source)!.add(target);
    if (!up.has(target)) {
      up.set(target, new Set());
    }
    up.get(target)!.add(source);
  }
  return { down, up };
}

/**
 * Node ids within `hops` of `start` upstream, downstream or both (`hops` null: any
 * distance). "both" walks ancestors and descendants separately: the step's lineage,
 * not every node reachable by going down then up again.
 */
export function neighbourhood(
  links: Iterable<ILink>,
  start: string,
  hops: number | null = 2,
  direction: Direction = 'both'
): Set<string> {
  const { down, up } = adjacency(links);
  const walks =
    direction === 'both'
      ? [down, up]
      : direction === 'downstream'
        ? [down]
        : [up];
  const found = new Set([start]);
  for (const next of walks) {
    const depth = new Map([[start, 0]]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const current = queue[i];
      const d = depth.get(current)!;
      if (hops !== null && d >= hops) {
        continue;
      }
      for (const n of next.get(current) ?? []) {
        if (!depth.has(n)) {
          depth.set(n, d + 1);
          found.add(n);
          queue.push(n);
        }
      }
    }
  }
  return found;
}

/** The links whose both ends are in `shown`. */
export function linksWithin<T extends ILink>(
  links: Iterable<T>,
  shown: Set<string>
): T[] {
  const inside: T[] = [];
  for (const link of links) {
    if (shown.has(link.source) && shown.has(link.target)) {
      inside.push(link);
    }
  }
  return inside;
}
