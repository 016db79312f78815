/**
 * Lists the Lineage tab shows in its side pane: the risk paths (`graph.risks`), the
 * posture check's findings (`GET /check`), and the other pipelines that write or read
 * an artifact (cross-pipeline lineage). Values from AWS become text, never markup.
 */
import { brokenRules, checkFindings, outcomeLevel } from './check';
import type { ICheck, IRisk } from './contract';
import type { ICrossPipelines, IPipelineUse } from './crossPipeline';
import { badge, h } from './dom';

/** What the panel does when a listed item is picked. */
export interface IListActions<T> {
  onPick(item: T): void;
}

/** A button that lists one item (keyboard: Tab to it, Enter or Space picks it). */
function itemButton(
  attrs: Record<string, string | boolean | undefined>,
  onClick: () => void,
  ...children: (HTMLElement | string)[]
): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'jp-SageMakerLineage-item', ...attrs },
    ...children
  );
  button.addEventListener('click', onClick);
  return button;
}

function approval(risk: IRisk): HTMLElement | string {
  if (!risk.approvalStatus) {
    return '';
  }
  return badge(
    risk.approvalStatus,
    risk.approvalStatus === 'Approved' ? 'bad' : 'warn',
    'The model package’s approval status'
  );
}

/**
 * The Risks view's list: one item per path, its sentence, the findings that flag its
 * artifact and the model package's approval. Picking an item shows that path alone
 * (`active`: the index shown alone, null: every path).
 */
export function riskList(
  risks: IRisk[],
  active: number | null,
  actions: IListActions<number | null>
): HTMLElement {
  const list = h(
    'div',
    { class: 'jp-SageMakerLineage-report', 'data-report': 'risks' },
    h('h3', {}, `Risk paths (${risks.length})`),
    h(
      'p',
      { class: 'jp-SageMakerLineage-muted' },
      'Flagged S3 data (its bucket’s posture has findings) upstream of a registered model package. Pick a path to show it alone.'
    )
  );
  risks.forEach((risk, index) => {
    list.append(
      itemButton(
        {
          'data-risk': String(index),
          'aria-pressed': String(active === index)
        },
        () => actions.onPick(active === index ? null : index),
        h('span', { class: 'jp-SageMakerLineage-itemText' }, risk.message),
        h(
          'span',
          {},
          ...risk.findings.map(f => badge(f, 'bad')),
          approval(risk)
        )
      )
    );
  });
  if (active !== null) {
    const all = h(
      'button',
      { type: 'button', class: 'jp-SageMakerLineage-button' },
      'Show every path'
    );
    all.addEventListener('click', () => actions.onPick(null));
    list.append(all);
  }
  return list;
}

/** The risk paths through one step or artifact, for its detail pane. */
export function riskSection(risks: IRisk[]): HTMLElement | null {
  if (!risks.length) {
    return null;
  }
  return h(
    'section',
    { class: 'jp-SageMakerLineage-risks', 'data-report': 'node-risks' },
    h('h4', {}, `On ${risks.length} risk path${risks.length > 1 ? 's' : ''}`),
    h(
      'ul',
      {},
      risks.map(r =>
        h('li', {}, r.message, ' ', ...r.findings.map(f => badge(f, 'bad')))
      )
    )
  );
}

/**
 * The posture check's report: passed or not, the policy, the counts, and one item
 * per artifact that did not pass (failures first) with the rules it breaks. Picking
 * one selects the artifact in the graph.
 */
export function checkReport(
  check: ICheck,
  actions: IListActions<number>
): HTMLElement {
  const { counts } = check;
  const findings = checkFindings(check);
  const report = h(
    'div',
    {
      class: 'jp-SageMakerLineage-report',
      'data-report': 'check',
      'data-passed': String(check.passed)
    },
    h(
      'h3',
      {},
      'Posture check ',
      badge(
        check.passed ? 'passed' : 'failed',
        check.passed ? 'ok' : 'bad',
        'The default policy: every rule on, Unknown fails'
      )
    ),
    h(
      'p',
      { class: 'jp-SageMakerLineage-muted' },
      `Policy ${check.policy.source}: ${check.policy.rules.join(', ')}; unknown ${check.policy.unknown === 'fail' ? 'fails' : 'allowed'}. `,
      `${counts.artifacts} artifacts: ${counts.passed} passed, ${counts.failed} failed, ${counts.unknown} unknown, ${counts.excepted} excepted.`
    )
  );
  if (!findings.length) {
    report.append(
      h(
        'p',
        {},
        'Every S3 artifact of this execution passes the policy: default encryption, public access blocked, versioning on.'
      )
    );
  }
  for (const result of findings) {
    report.append(
      itemButton(
        {
          'data-artifact': String(result.artifactId),
          'data-outcome': result.outcome,
          title: `Show ${result.uri} in the graph`
        },
        () => actions.onPick(result.artifactId),
        h(
          'span',
          {},
          badge(result.outcome, outcomeLevel(result.outcome)),
          h('code', { class: 'jp-SageMakerLineage-itemText' }, result.uri)
        ),
        h(
          'span',
          { class: 'jp-SageMakerLineage-itemRules' },
          ...brokenRules(result).map(rule =>
            h(
              'span',
              { 'data-rule': rule.rule },
              `${rule.message}${rule.reason ? ` (excepted: ${rule.reason})` : ''}`
            )
          )
        ),
        h(
          'span',
          { class: 'jp-SageMakerLineage-muted' },
          [
            result.producers.length
              ? `written by ${result.producers.join(', ')}`
              : '',
            result.consumers.length
              ? `read by ${result.consumers.join(', ')}`
              : ''
          ]
            .filter(Boolean)
            .join(' · ')
        )
      )
    );
  }
  if (check.risks.length) {
    report.append(
      h(
        'p',
        { class: 'jp-SageMakerLineage-error' },
        `${check.risks.length} of them reach a registered model package (the Risks view shows the paths).`
      )
    );
  }
  return report;
}

function pipelineUses(
  verb: string,
  uses: IPipelineUse[],
  open: (pipeline: string) => void
): HTMLElement | null {
  if (!uses.length) {
    return null;
  }
  return h(
    'div',
    { class: 'jp-SageMakerLineage-crossList', 'data-cross': verb },
    h(
      'div',
      { class: 'jp-SageMakerLineage-muted' },
      `${verb} other pipelines:`
    ),
    ...uses.map(use => {
      const link = h(
        'button',
        {
          type: 'button',
          class: 'jp-SageMakerLineage-link',
          'data-open-pipeline': use.pipeline,
          title: `Open the lineage of ${use.pipeline}`
        },
        use.pipeline
      );
      link.addEventListener('click', () => open(use.pipeline));
      return h(
        'div',
        { class: 'jp-SageMakerLineage-crossPipeline' },
        link,
        ' · ',
        ...use.steps.flatMap((step, i) => [
          i ? '; ' : '',
          h('b', {}, step.step),
          h(
            'span',
            { class: 'jp-SageMakerLineage-muted' },
            ` (${step.stepType}: ${step.locations
              .map((l, j) =>
                step.relations[j] === 'exact'
                  ? l
                  : `${l}, ${step.relations[j] === 'contains' ? 'a folder of it' : 'inside it'}`
              )
              .join(', ')})`
          )
        ])
      );
    })
  );
}

/** The other pipelines that write and read an artifact; a button opens each one's tab. */
export function crossPipelineSection(
  cross: ICrossPipelines,
  open: (pipeline: string) => void
): HTMLElement {
  const written = pipelineUses('written by', cross.upstream, open);
  const read = pipelineUses('read by', cross.downstream, open);
  return h(
    'div',
    { class: 'jp-SageMakerLineage-cross' },
    written,
    read,
    written || read
      ? null
      : h(
          'div',
          { class: 'jp-SageMakerLineage-muted' },
          'no other pipeline of the region writes or reads it'
        )
  );
}
