/**
 * The Lineage tab's header for a lineage answer: the pipeline, its region, the demo
 * badge, the overall status and the execution; the steps per status, the elapsed time
 * and when it was last scanned; each failed step with its reason; the warnings folded.
 * Values from AWS become text, never markup (dom.ts).
 */
import type { ILineage } from './contract';
import { badge, h, statusBadge } from './dom';
import { nodeStatus, STATUSES } from './elements';
import { formatElapsed, formatTime } from './format';

/** The header's rows; `fallback` names the pipeline and region the tab was opened for. */
export function lineageHeader(
  response: ILineage,
  fallback: { pipeline: string; region?: string }
): (HTMLElement | string)[] {
  const { summary, execution, pipeline } = response;
  const region = pipeline?.region ?? fallback.region;
  const counts = STATUSES.filter(s => summary.nodeStatus[s]).map(s =>
    h(
      'span',
      { class: 'jp-SageMakerLineage-count' },
      statusBadge(s),
      ` ${summary.nodeStatus[s]}`
    )
  );
  for (const [status, n] of Object.entries(summary.nodeStatus)) {
    if (!(STATUSES as readonly string[]).includes(status)) {
      counts.push(
        h(
          'span',
          { class: 'jp-SageMakerLineage-count' },
          statusBadge(status),
          ` ${n}`
        )
      );
    }
  }
  const failed = response.graph.nodes.filter(n => nodeStatus(n) === 'Failed');
  const rows: (HTMLElement | string)[] = [
    h(
      'div',
      { class: 'jp-SageMakerLineage-title' },
      h('b', {}, pipeline?.name ?? fallback.pipeline),
      region
        ? h('span', { class: 'jp-SageMakerLineage-muted' }, ` ${region} `)
        : '',
      response.demo
        ? badge(
            'demo account',
            'demo',
            'Read from the embedded demo account, not AWS'
          )
        : '',
      statusBadge(summary.overallStatus),
      execution
        ? h(
            'span',
            {},
            ' execution ',
            h(
              'code',
              { title: execution.arn },
              execution.displayName || execution.arn
            )
          )
        : h(
            'span',
            { class: 'jp-SageMakerLineage-muted' },
            ' no execution read'
          )
    ),
    h(
      'div',
      {},
      `${summary.stepCount ?? response.graph.nodes.length} steps `,
      ...counts,
      ` · elapsed `,
      h('b', {}, formatElapsed(summary.elapsedSec) || '–'),
      ' · last scanned ',
      h(
        'b',
        {
          title:
            'The latest step end time, else when the pipeline was last modified'
        },
        formatTime(summary.lastScanned)
      )
    )
  ];
  for (const step of failed) {
    rows.push(
      h(
        'div',
        { class: 'jp-SageMakerLineage-error' },
        `Failed at ${step.id}: `,
        step.run?.failureReason || execution?.failureReason || 'no reason given'
      )
    );
  }
  if (!failed.length && execution?.failureReason) {
    rows.push(
      h('div', { class: 'jp-SageMakerLineage-error' }, execution.failureReason)
    );
  }
  if (response.warnings.length) {
    const targets = new Set(
      response.warnings.map(w => w.target).filter(t => t && t !== 'request')
    );
    rows.push(
      h(
        'details',
        { class: 'jp-SageMakerLineage-warnings' },
        h(
          'summary',
          {},
          `${response.warnings.length} warning${response.warnings.length > 1 ? 's' : ''}` +
            (targets.size === 1
              ? ` about ${[...targets][0]}`
              : targets.size
                ? ` about ${targets.size} resources`
                : '')
        ),
        h(
          'ul',
          {},
          response.warnings.map(w =>
            h('li', {}, h('code', {}, w.code), ` ${w.target}: ${w.message}`)
          )
        )
      )
    );
  }
  return rows;
}
