/**
 * Layouts off the main thread: one Web Worker per page runs `computeLayout`.
 * Where a worker cannot be started, the layout runs here instead (the page then
 * waits for it, as it would with cytoscape-dagre alone).
 */
import { computeLayout, ILayoutInput, Positions } from './layoutCore';

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<
  number,
  { resolve: (p: Positions) => void; reject: (e: Error) => void }
>();

function layoutWorker(): Worker | null {
  if (worker === undefined) {
    try {
      worker = new Worker(new URL('./layout.worker.js', import.meta.url));
      worker.onmessage = (event: MessageEvent) => {
        const { id, positions, error } = event.data;
        const waiting = pending.get(id);
        pending.delete(id);
        if (waiting) {
          if (error) {
            waiting.reject(new Error(error));
          } else {
            waiting.resolve(positions);
          }
        }
      };
      worker.onerror = () => {
        // a worker that cannot load (blocked by a policy): lay out here from now on
        worker = null;
        for (const [id, waiting] of pending) {
          pending.delete(id);
          waiting.reject(new Error('layout worker failed'));
        }
      };
    } catch {
      worker = null;
    }
  }
  return worker;
}

/** Whether layouts run in a worker (false: on the main thread). */
export function layoutInWorker(): boolean {
  return layoutWorker() !== null;
}

/** Positions for `input`, computed in the worker (or here when there is none). */
export async function layout(input: ILayoutInput): Promise<Positions> {
  const w = layoutWorker();
  if (!w) {
    return computeLayout(input);
  }
  const id = nextId++;
  const result = new Promise<Positions>((resolve, reject) => {
    pending.set(id, { resolve, reject });
  });
  w.postMessage({ id, input });
  try {
    return await result;
  } catch {
    return computeLayout(input);
  }
}
