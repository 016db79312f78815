/**
 * The posture gate's findings (`GET /check`, the default policy), as the panel lists
 * them: pure functions.
 */
import type { IArtifactCheck, ICheck, IRuleCheck } from './contract';

const ORDER: Record<IArtifactCheck['outcome'], number> = {
  fail: 0,
  unknown: 1,
  excepted: 2,
  pass: 3
};

/** The artifacts that did not pass, failures first, then unknown, then excepted. */
export function checkFindings(check: ICheck): IArtifactCheck[] {
  return check.results
    .filter(r => r.outcome !== 'pass')
    .map((r, index) => ({ r, index }))
    .sort(
      (a, b) => ORDER[a.r.outcome] - ORDER[b.r.outcome] || a.index - b.index
    )
    .map(({ r }) => r);
}

/** The rules an artifact did not pass (its checks other than `pass`). */
export function brokenRules(result: IArtifactCheck): IRuleCheck[] {
  return result.checks.filter(c => c.outcome !== 'pass');
}

/** The badge level of an outcome: fail `bad`, unknown `warn`, excepted `info`, pass `ok`. */
export function outcomeLevel(outcome: IArtifactCheck['outcome']): string {
  return { fail: 'bad', unknown: 'warn', excepted: 'info', pass: 'ok' }[
    outcome
  ];
}
