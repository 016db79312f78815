/**
 * Two executions compared (`GET /compare`), as graph elements and words: pure
 * functions, no DOM. The graph is the head execution's steps and the base's removed
 * ones, with the edges of both definitions, each step classed by its `verdict`
 * (`verdict-<verdict>`, coloured by `verdictLook` in style.ts) and labelled with its
 * name, type, the head's duration and its change, and what changed (the marks).
 */
import type {
  IArgumentChange,
  ICompare,
  INumberChange,
  IStepComparison,
  Verdict
} from './contract';
import {
  edgeElement,
  edgeLabel,
  IElements,
  labelBox,
  SMALL_GRAPH,
  wrapName
} from './elements';
import { formatElapsed } from './format';

/** Every verdict, in legend order (most important first). */
export const VERDICTS: readonly Verdict[] = [
  'newlyFailing',
  'newlyPassing',
  'slower',
  'faster',
  'changed',
  'added',
  'removed',
  'unchanged'
];

/** What each verdict means, in the legend's words. */
export const VERDICT_LABEL: Record<Verdict, string> = {
  newlyFailing: 'newly failing',
  newlyPassing: 'newly passing',
  slower: 'slower',
  faster: 'faster',
  changed: 'changed',
  added: 'added',
  removed: 'removed',
  unchanged: 'unchanged'
};

/** Why a value of a step's definition differs, in words (`cause`). */
export const CAUSE_LABEL: Record<IArgumentChange['cause'], string> = {
  definition: 'the definition changed',
  parameter: 'parameter',
  upstream: 'from step',
  execution: 'execution variable'
};

/** `+12.5 %` / `−32 %` (one decimal under 10 %); empty for null. */
export function percentText(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) {
    return '';
  }
  const magnitude = Math.abs(percent);
  const digits = magnitude < 10 && !Number.isInteger(magnitude) ? 1 : 0;
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  return `${sign}${magnitude.toFixed(digits)} %`;
}

/** A signed number: `+0.032`, `−194`. */
export function signedText(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = Number.isInteger(value)
    ? String(Math.abs(value))
    : Math.abs(value)
        .toPrecision(3)
        .replace(/\.?0+$/, '');
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${text}`;
}

/**
 * A duration change in words: `9 min 8 s → 6 min 11 s (−177 s, −32 %)`; one side when
 * the other is missing, empty when both are.
 */
export function durationChange(change: INumberChange): string {
  const { before, after, delta, percent } = change;
  if (before === null && after === null) {
    return '';
  }
  if (before === null || after === null) {
    return `${formatElapsed(before) || '–'} → ${formatElapsed(after) || '–'}`;
  }
  let text = `${formatElapsed(before)} → ${formatElapsed(after)}`;
  if (delta) {
    const change = [
      `${delta > 0 ? '+' : '−'}${formatElapsed(Math.abs(delta))}`
    ];
    if (percent !== null) {
      change.push(percentText(percent));
    }
    text += ` (${change.join(', ')})`;
  }
  return text;
}

/** The head's duration and its change, short, for a label: `6 min 11 s · −32 %`. */
export function durationLine(change: INumberChange): string {
  if (change.after === null) {
    return change.before === null ? '' : `was ${formatElapsed(change.before)}`;
  }
  const after = formatElapsed(change.after);
  return change.delta && change.percent !== null
    ? `${after} · ${percentText(change.percent)}`
    : after;
}

/**
 * What changed about a step, as short marks in order of interest: the status (when
 * the verdict does not say it), the cache (hit or miss), a parameter, the
 * definition, a metric, the inputs or outputs. A value that differs only through an
 * execution variable (`Execution.PipelineExecutionId` in a path) is no mark: it
 * differs in every run.
 */
export function comparisonMarks(step: IStepComparison): string[] {
  const marks: string[] = [];
  const { before, after } = step.status;
  if (
    before &&
    after &&
    before !== after &&
    step.verdict !== 'newlyFailing' &&
    step.verdict !== 'newlyPassing'
  ) {
    marks.push(`${before} → ${after}`);
  }
  if (step.cache) {
    if (step.cache.after.hit) {
      marks.push('cache hit');
    } else if (step.cache.after.enabled) {
      marks.push('cache miss');
    }
  }
  const causes = new Set(step.arguments.map(a => a.cause));
  if (causes.has('parameter')) {
    marks.push('parameter');
  }
  if (causes.has('definition')) {
    marks.push('definition');
  }
  if (step.metrics.some(m => m.before !== m.after)) {
    marks.push('metrics');
  }
  if (step.inputs.length || step.outputs.length) {
    marks.push('I/O');
  }
  return marks;
}

/** Marks packed into lines of at most `max` characters (`a · b`). */
export function packMarks(marks: string[], max = 16): string[] {
  const lines: string[] = [];
  for (const mark of marks) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 3 + mark.length <= max) {
      lines[last] += ` · ${mark}`;
    } else {
      lines.push(mark);
    }
  }
  return lines;
}

/**
 * A compared step's label: the name (wrapped), its type, the head's duration and
 * its change, and its marks; in a large comparison the name and the duration only.
 */
export function comparisonLabel(step: IStepComparison, small: boolean): string {
  const duration = durationLine(step.durationSec);
  if (!small) {
    return [step.step, duration].filter(Boolean).join('\n');
  }
  return [
    ...wrapName(step.step),
    step.type || '?',
    duration,
    ...packMarks(comparisonMarks(step))
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Graph elements for a comparison: one node per compared step (classes `step
 * verdict-<verdict>`), the edges of both definitions. Node ids are step names, so a
 * step keeps its id between the plain view and the comparison.
 */
export function comparisonElements(compare: ICompare): IElements {
  const small = compare.steps.length <= SMALL_GRAPH;
  const ids = new Set(compare.steps.map(s => s.step));
  const nodes: IElements['nodes'] = compare.steps.map(step => {
    const label = comparisonLabel(step, small);
    const [w, h] = labelBox(label);
    return {
      data: {
        id: step.step,
        kind: 'step',
        label,
        name: small ? wrapName(step.step).join('\n') : step.step,
        status: step.status.after ?? step.status.before ?? 'NotStarted',
        stepType: step.type,
        verdict: step.verdict,
        w,
        h
      },
      classes: `step verdict-${step.verdict}`
    };
  });
  const edges: IElements['edges'] = [];
  const seen = new Set<string>();
  for (const edge of compare.edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to)) {
      continue;
    }
    const element = edgeElement(edge.from, edge.to, edge.via, edgeLabel(edge));
    if (!seen.has(element.data.id)) {
      seen.add(element.data.id);
      edges.push(element);
    }
  }
  return { nodes, edges };
}

/** How many steps have each verdict (verdicts no step has are left out). */
export function verdictCounts(
  compare: ICompare
): Partial<Record<Verdict, number>> {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const step of compare.steps) {
    counts[step.verdict] = (counts[step.verdict] ?? 0) + 1;
  }
  return counts;
}

/** The first step worth looking at: the first whose verdict is not `unchanged`. */
export function firstChanged(compare: ICompare): string | null {
  return compare.steps.find(s => s.verdict !== 'unchanged')?.step ?? null;
}

/** An argument's value as one line: text as it is, anything else as JSON; `–` for none. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) {
    return '–';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
