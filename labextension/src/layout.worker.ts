/**
 * The layout worker: `{id, input}` in, `{id, positions}` (or `{id, error}`) out.
 * dagre takes up to seconds on 1000 steps; here it never blocks the page.
 */
import { computeLayout, ILayoutInput } from './layoutCore';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (
  event: MessageEvent<{ id: number; input: ILayoutInput }>
) => {
  const { id, input } = event.data;
  try {
    scope.postMessage({ id, positions: computeLayout(input) });
  } catch (error) {
    scope.postMessage({ id, error: String(error) });
  }
};
