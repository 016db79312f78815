/**
 * The comparison of two executions (`GET /compare`) in the Lineage tab: the header's
 * summary, the legend of change colours, and a compared step's differences in the
 * detail pane. Values from AWS become text, never markup (dom.ts).
 */
import {
  CAUSE_LABEL,
  durationChange,
  percentText,
  signedText,
  valueText,
  VERDICT_LABEL,
  verdictCounts,
  VERDICTS
} from './compare';
import type { ICompare, IStepComparison, Verdict } from './contract';
import { badge, fields, h, statusBadge } from './dom';

/** A verdict chip: `<span class="jp-SageMakerLineage-verdict" data-verdict="slower">`. */
export function verdictBadge(verdict: Verdict, text?: string): HTMLElement {
  return h(
    'span',
    { class: 'jp-SageMakerLineage-verdict', 'data-verdict': verdict },
    text ?? VERDICT_LABEL[verdict]
  );
}

function executionName(execution: ICompare['head']): string {
  return (
    execution.displayName || execution.arn.split('/').pop() || execution.arn
  );
}

function names(list: string[]): string {
  return list.join(', ');
}

/** How many step names a header line lists before "+N more" (a 200-step comparison). */
export const NAMES_SHOWN = 6;

/**
 * Step names, the first `NAMES_SHOWN` of them, then a "+N more" button that shows the
 * rest in place (so a large comparison's header stays a few lines high).
 */
export function nameList(list: string[]): (HTMLElement | string)[] {
  if (list.length <= NAMES_SHOWN) {
    return [names(list)];
  }
  const rest = h(
    'span',
    { class: 'jp-SageMakerLineage-more', hidden: true },
    `, ${names(list.slice(NAMES_SHOWN))}`
  );
  const more = h(
    'button',
    {
      type: 'button',
      class: 'jp-SageMakerLineage-link',
      title: 'Show every step'
    },
    `+${list.length - NAMES_SHOWN} more`
  );
  more.addEventListener('click', () => {
    rest.hidden = false;
    more.remove();
  });
  return [names(list.slice(0, NAMES_SHOWN)), rest, ' ', more];
}

/**
 * The header rows of a comparison: the two executions, the steps per verdict and
 * the elapsed time's change, what got slower or faster, newly failing or passing,
 * the parameters that changed, a changed definition, cache hits and misses, and the
 * answer's warnings (folded).
 */
export function compareHeader(
  compare: ICompare,
  region: string | undefined
): HTMLElement[] {
  const { base, head, summary, pipeline } = compare;
  const counts = verdictCounts(compare);
  const rows: HTMLElement[] = [
    h(
      'div',
      { class: 'jp-SageMakerLineage-title' },
      h('b', {}, pipeline.name),
      region
        ? h('span', { class: 'jp-SageMakerLineage-muted' }, ` ${region} `)
        : ' ',
      compare.demo
        ? badge(
            'demo account',
            'demo',
            'Read from the embedded demo account, not AWS'
          )
        : '',
      'compared ',
      h('code', { title: base.arn }, executionName(base)),
      ' ',
      statusBadge(base.status),
      ' → ',
      h('code', { title: head.arn }, executionName(head)),
      ' ',
      statusBadge(head.status)
    ),
    h(
      'div',
      { class: 'jp-SageMakerLineage-compareCounts' },
      `${compare.steps.length} steps `,
      ...VERDICTS.filter(v => counts[v]).map(v =>
        h(
          'span',
          { class: 'jp-SageMakerLineage-count' },
          verdictBadge(v),
          ` ${counts[v]}`
        )
      ),
      ' · elapsed ',
      h('b', {}, durationChange(summary.elapsedSec) || '–')
    )
  ];
  const moves: (HTMLElement | string)[] = [];
  for (const [key, label, verdict] of [
    ['newlyFailing', 'newly failing', 'newlyFailing'],
    ['newlyPassing', 'newly passing', 'newlyPassing'],
    ['slower', 'slower', 'slower'],
    ['faster', 'faster', 'faster']
  ] as const) {
    if (summary[key].length) {
      moves.push(
        h(
          'span',
          { class: 'jp-SageMakerLineage-move', 'data-summary': key },
          verdictBadge(verdict, label),
          ' ',
          ...nameList(summary[key])
        )
      );
    }
  }
  rows.push(
    h(
      'div',
      { class: 'jp-SageMakerLineage-compareMoves' },
      ...(moves.length
        ? moves
        : [
            h(
              'span',
              { class: 'jp-SageMakerLineage-muted' },
              'no step got slower or faster, or newly failed or passed'
            )
          ])
    )
  );
  if (compare.parameters.length) {
    rows.push(
      h(
        'div',
        { 'data-summary': 'parameters' },
        'parameters changed: ',
        ...compare.parameters.flatMap((p, i) => [
          i ? ', ' : '',
          h('code', {}, p.name),
          ` ${p.before ?? '–'} → `,
          h('b', {}, p.after ?? '–')
        ])
      )
    );
  }
  const extra: (HTMLElement | string)[] = [];
  if (summary.definitionChanged) {
    extra.push(
      badge(
        'definition changed',
        'warn',
        'The two executions ran different pipeline definitions'
      )
    );
  }
  if (summary.cacheHits.length || summary.cacheMisses.length) {
    extra.push(
      h(
        'span',
        {},
        ' cache hits: ',
        ...(summary.cacheHits.length ? nameList(summary.cacheHits) : ['none']),
        ' · cache misses: ',
        ...(summary.cacheMisses.length
          ? nameList(summary.cacheMisses)
          : ['none'])
      )
    );
  }
  if (extra.length) {
    rows.push(h('div', {}, ...extra));
  }
  if (compare.warnings.length) {
    rows.push(
      h(
        'details',
        { class: 'jp-SageMakerLineage-warnings' },
        h(
          'summary',
          {},
          `${compare.warnings.length} warning${compare.warnings.length > 1 ? 's' : ''}`
        ),
        h(
          'ul',
          {},
          compare.warnings.map(w =>
            h('li', {}, h('code', {}, w.code), ` ${w.target}: ${w.message}`)
          )
        )
      )
    );
  }
  return rows;
}

/** The legend of a comparison: the colour of each verdict, and what labels say. */
export function verdictLegend(): HTMLElement {
  return h(
    'div',
    {
      class: 'jp-SageMakerLineage-legend',
      'aria-label': 'Legend of the comparison',
      'data-mode': 'compare'
    },
    h('b', {}, 'steps'),
    ...VERDICTS.map(v => verdictBadge(v)),
    h(
      'span',
      {},
      'labels: the head execution’s duration and its change, then what changed'
    )
  );
}

/** The detail pane for one compared step: everything that differs, and why. */
export function compareDetail(compare: ICompare, id: string): HTMLElement {
  const step = compare.steps.find(s => s.step === id);
  if (!step) {
    return h('p', {}, `${id} is not in this comparison`);
  }
  const pane = h(
    'div',
    {
      class: 'jp-SageMakerLineage-detailBody',
      'data-step': step.step,
      'data-verdict': step.verdict
    },
    h('h3', {}, step.step),
    h(
      'div',
      {},
      h('span', { class: 'jp-SageMakerLineage-muted' }, step.type, ' '),
      verdictBadge(step.verdict)
    )
  );
  const cache = step.cache;
  pane.append(
    h('h4', {}, 'Base → head'),
    fields([
      [
        'status',
        [
          step.status.before ? statusBadge(step.status.before) : '–',
          ' → ',
          step.status.after ? statusBadge(step.status.after) : '–'
        ]
      ],
      ['duration', durationChange(step.durationSec) || '–'],
      [
        'cache',
        cache
          ? [
              badge(
                cache.after.hit ? 'hit' : 'miss',
                cache.after.hit ? 'ok' : 'warn'
              ),
              ` ${cache.reason}`
            ]
          : null
      ],
      [
        'cache source',
        cache?.after.hit && cache.after.source
          ? h('code', {}, cache.after.source)
          : null
      ],
      [
        'cache key changed',
        cache?.keyChanges.length
          ? cache.keyChanges.map((k, i) => [i ? ', ' : '', h('code', {}, k)])
          : null
      ]
    ])
  );
  if (step.metrics.length) {
    pane.append(
      h('h4', {}, 'Metrics'),
      h(
        'table',
        { class: 'jp-SageMakerLineage-table', 'data-table': 'metrics' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['metric', 'base', 'head', 'change'].map(t => h('th', {}, t))
          )
        ),
        h(
          'tbody',
          {},
          step.metrics.map(m =>
            h(
              'tr',
              {},
              h('td', {}, m.name),
              h('td', { class: 'jp-SageMakerLineage-num' }, number(m.before)),
              h('td', { class: 'jp-SageMakerLineage-num' }, number(m.after)),
              h(
                'td',
                { class: 'jp-SageMakerLineage-num' },
                [signedText(m.delta), percentText(m.percent)]
                  .filter(Boolean)
                  .join(' · ')
              )
            )
          )
        )
      )
    );
  }
  if (step.arguments.length) {
    pane.append(
      h('h4', {}, 'Definition'),
      h(
        'p',
        { class: 'jp-SageMakerLineage-muted' },
        'Values as each execution resolved them.'
      ),
      ...step.arguments.map(a =>
        h(
          'div',
          {
            class: 'jp-SageMakerLineage-change',
            'data-path': a.path,
            'data-cause': a.cause
          },
          h(
            'div',
            {},
            h('code', {}, a.path),
            a.kind !== 'changed'
              ? h(
                  'span',
                  { class: 'jp-SageMakerLineage-muted' },
                  ` (${a.kind})`
                )
              : ''
          ),
          fields([
            ['base', h('code', {}, valueText(a.before))],
            ['head', h('code', {}, valueText(a.after))],
            [
              'why',
              [
                CAUSE_LABEL[a.cause] ?? a.cause,
                a.source ? [' ', h('code', {}, a.source)] : '',
                a.cacheKey
                  ? [
                      ' ',
                      badge(
                        'cache key',
                        'warn',
                        'A change here makes a cached step run again'
                      )
                    ]
                  : ''
              ]
            ]
          ])
        )
      )
    );
  }
  for (const [key, title] of [
    ['inputs', 'Inputs whose URI changed'],
    ['outputs', 'Outputs whose URI changed']
  ] as const) {
    const list = step[key];
    if (list.length) {
      pane.append(
        h('h4', {}, title),
        ...list.map(c =>
          h(
            'div',
            { class: 'jp-SageMakerLineage-change', 'data-location': c.name },
            h('b', {}, c.name),
            fields([
              ['base', h('code', {}, c.before ?? '–')],
              ['head', h('code', {}, c.after ?? '–')]
            ])
          )
        )
      );
    }
  }
  pane.append(verdictNote(step));
  return pane;
}

function verdictNote(step: IStepComparison): HTMLElement | string {
  const note = (text: string) =>
    h('p', { class: 'jp-SageMakerLineage-muted' }, text);
  if (step.verdict === 'added') {
    return note('Only in the head execution’s definition.');
  }
  if (step.verdict === 'removed') {
    return note('Only in the base execution’s definition.');
  }
  if (
    !step.arguments.length &&
    !step.inputs.length &&
    !step.outputs.length &&
    !step.metrics.some(m => m.before !== m.after)
  ) {
    return note('Same definition, inputs, outputs and metrics.');
  }
  return '';
}

function number(value: number | null): string {
  if (value === null || value === undefined) {
    return '–';
  }
  return Number.isInteger(value)
    ? String(value)
    : value.toPrecision(4).replace(/\.?0+$/, '');
}
