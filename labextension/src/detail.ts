/**
 * The detail pane: everything the lineage answer says about one step (or, in the
 * artifact view, one S3 artifact), with console links built from ARNs and region.
 */
import type { IArtifact, ILineage, IRisk, IRun, IStep } from './contract';
import { artifactCrossPipelines, ICrossPipelines } from './crossPipeline';
import { badge, externalLink, fields, h, statusBadge } from './dom';
import { ARTIFACT_PREFIX, nodeStatus, postureLevel } from './elements';
import { formatElapsed, formatTime } from './format';
import { arnPartition, jobLinks, s3ConsoleLink } from './links';
import { crossPipelineSection, riskSection } from './reports';

/** What the detail pane adds to the lineage answer's own facts. */
export interface IDetailExtras {
  /** The risk paths through the node (the Risks view), listed first. */
  risks?: IRisk[];
  /** Cross-pipeline lineage: the other pipelines that write or read an artifact. */
  cross?: {
    /** What is known of a URI: the other pipelines, a failed lookup, or one under way. */
    known(uri: string): ICrossPipelines | Error | 'loading' | undefined;
    /** Look the URI up (`GET /artifact`); the pane is drawn again when it answers. */
    lookup(uri: string): void;
    /** Open another pipeline's Lineage tab. */
    open(pipeline: string): void;
  };
}

const POSTURE_VERDICT: Record<string, Record<string, string>> = {
  encryption: {
    'aws:kms': 'ok',
    'aws:kms:dsse': 'ok',
    AES256: 'ok',
    None: 'bad'
  },
  versioning: { Enabled: 'ok', Suspended: 'warn', Disabled: 'warn' },
  publicAccess: { Blocked: 'ok', Partial: 'warn', NotBlocked: 'bad' }
};
const POSTURE_LABEL: Record<string, string> = {
  encryption: 'encryption',
  versioning: 'versioning',
  publicAccess: 'public access'
};

/** The detail pane's content for node `id` of `response` (`region`: the answer's). */
export function renderDetail(
  response: ILineage,
  id: string,
  region: string,
  extras: IDetailExtras = {}
): HTMLElement {
  let pane: HTMLElement;
  if (id.startsWith(ARTIFACT_PREFIX)) {
    const artifact = response.graph.artifacts.find(
      a => `${ARTIFACT_PREFIX}${a.id}` === id
    );
    pane = artifact
      ? artifactDetail(
          artifact,
          region,
          arnPartition(response.pipeline?.arn),
          extras
        )
      : h('p', {}, `${id} is not in this answer`);
  } else {
    const step = response.graph.nodes.find(n => n.id === id);
    pane = step
      ? stepDetail(response, step, region, extras)
      : h('p', {}, `${id} is not in this answer`);
  }
  const risks = riskSection(extras.risks ?? []);
  if (risks) {
    pane.insertBefore(risks, pane.children[2] ?? null);
  }
  return pane;
}

/**
 * The other pipelines that write or read `artifact`: from the answer (read with
 * `includeCrossPipeline`), else from a lookup, else a button that looks it up.
 */
function crossPipelines(
  artifact: IArtifact,
  extras: IDetailExtras
): HTMLElement | null {
  const hooks = extras.cross;
  if (!hooks || !artifact.uri.startsWith('s3://')) {
    return null;
  }
  const known = artifactCrossPipelines(artifact) ?? hooks.known(artifact.uri);
  const section = h('div', {
    class: 'jp-SageMakerLineage-crossHost',
    'data-uri': artifact.uri
  });
  if (known === 'loading') {
    section.append(
      h(
        'div',
        { class: 'jp-SageMakerLineage-muted', 'data-state': 'loading' },
        'Reading the region’s pipelines…'
      )
    );
  } else if (known instanceof Error) {
    section.append(
      h(
        'div',
        { class: 'jp-SageMakerLineage-error' },
        `Other pipelines could not be read: ${known.message}`
      )
    );
  } else if (known) {
    section.append(crossPipelineSection(known, hooks.open));
  } else {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'jp-SageMakerLineage-link',
        'data-lookup': artifact.uri,
        title:
          'Which other pipelines of the region write or read this S3 location (GET /artifact)'
      },
      'Other pipelines that use it…'
    );
    button.addEventListener('click', () => hooks.lookup(artifact.uri));
    section.append(button);
  }
  return section;
}

/** Posture badges of an artifact's bucket: encryption, versioning, public access, tags. */
export function postureBadges(s3: IArtifact['s3']): HTMLElement {
  const row = h('div', { class: 'jp-SageMakerLineage-posture' });
  if (!s3) {
    row.append(badge('posture not read', 'info'));
    return row;
  }
  for (const key of ['encryption', 'versioning', 'publicAccess'] as const) {
    const value = s3[key];
    const level =
      value === 'Unknown' ? 'warn' : (POSTURE_VERDICT[key][value] ?? 'info');
    row.append(
      badge(
        `${POSTURE_LABEL[key]}: ${value}`,
        level,
        value === 'Unknown' ? 'could not be read: see the warnings' : undefined
      )
    );
  }
  if (s3.tags === 'Unknown') {
    row.append(badge('tags: Unknown', 'warn'));
  } else {
    for (const [k, v] of Object.entries(s3.tags ?? {})) {
      row.append(badge(`${k}=${v}`, 'tag'));
    }
  }
  for (const finding of s3.findings ?? []) {
    row.append(
      badge(
        finding,
        postureLevel({ ...s3, findings: [finding] }),
        'posture finding'
      )
    );
  }
  if (s3.readAt) {
    row.append(
      h(
        'span',
        { class: 'jp-SageMakerLineage-muted' },
        ` read ${formatTime(s3.readAt)}`
      )
    );
  }
  return row;
}

function stepDetail(
  response: ILineage,
  step: IStep,
  region: string,
  extras: IDetailExtras
): HTMLElement {
  const run = step.run;
  const status = nodeStatus(step);
  const pane = h(
    'div',
    { class: 'jp-SageMakerLineage-detailBody', 'data-step': step.id },
    h('h3', {}, step.id),
    h(
      'div',
      {},
      h('span', { class: 'jp-SageMakerLineage-muted' }, step.type, ' '),
      statusBadge(status)
    )
  );
  if (step.displayName && step.displayName !== step.id) {
    pane.append(
      h('div', { class: 'jp-SageMakerLineage-muted' }, step.displayName)
    );
  }
  if (step.description) {
    pane.append(h('p', {}, step.description));
  }
  if (step.parent) {
    pane.append(
      h(
        'p',
        { class: 'jp-SageMakerLineage-muted' },
        `in the ${step.parent.branch} branch of ${step.parent.step}`
      )
    );
  }
  if (!run) {
    pane.append(
      h(
        'p',
        { class: 'jp-SageMakerLineage-muted' },
        'No execution read: the definition only.'
      )
    );
  } else {
    pane.append(runSection(run, region, response));
  }
  pane.append(locations('Inputs', step.inputs, response, region, extras));
  pane.append(locations('Outputs', step.outputs, response, region, extras));
  return pane;
}

function runSection(
  run: IRun,
  region: string,
  response: ILineage
): HTMLElement {
  const section = h('section', {}, h('h4', {}, 'Run'));
  const links = jobLinks(run.jobArn, region);
  section.append(
    fields([
      ['status', statusBadge(run.status)],
      ['start', formatTime(run.startTime)],
      ['end', run.endTime ? formatTime(run.endTime) : null],
      ['elapsed', formatElapsed(run.elapsedSec)],
      [
        'attempts',
        run.attempts && run.attempts > 1 ? String(run.attempts) : null
      ],
      ['job', run.jobArn ? h('code', {}, run.jobArn) : null],
      ['job status', run.jobStatus ?? null],
      ['best training job', run.bestTrainingJob ?? null],
      [
        'cache hit',
        run.cacheHit
          ? run.cacheSource
            ? ['yes, from ', h('code', {}, run.cacheSource)]
            : 'yes'
          : null
      ],
      ['reused from', run.reusedFrom ? h('code', {}, run.reusedFrom) : null]
    ])
  );
  if (links.length) {
    section.append(
      h(
        'div',
        { class: 'jp-SageMakerLineage-links' },
        ...links.map(l => externalLink(l.label, l.url))
      )
    );
  }
  if (run.failureReason) {
    section.append(
      h('div', { class: 'jp-SageMakerLineage-error' }, run.failureReason)
    );
  }
  if (run.errorMessage && run.errorMessage !== run.failureReason) {
    section.append(
      h('div', { class: 'jp-SageMakerLineage-error' }, run.errorMessage)
    );
  }
  const metrics = Object.entries(run.metrics ?? {});
  if (metrics.length) {
    section.append(
      h('h4', {}, 'Metrics'),
      h(
        'table',
        { class: 'jp-SageMakerLineage-table' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'metric'), h('th', {}, 'value'))
        ),
        h(
          'tbody',
          {},
          metrics.map(([name, value]) =>
            h(
              'tr',
              {},
              h('td', {}, name),
              h('td', { class: 'jp-SageMakerLineage-num' }, formatNumber(value))
            )
          )
        )
      )
    );
  }
  if (run.registry) {
    const r = run.registry;
    const approval = r.approvalStatus ?? 'unknown';
    section.append(
      h('h4', {}, 'Model registry'),
      fields([
        ['group', r.modelPackageGroup ?? null],
        [
          'version',
          r.version !== null && r.version !== undefined
            ? String(r.version)
            : null
        ],
        [
          'approval',
          badge(
            approval,
            approval === 'Approved'
              ? 'ok'
              : approval === 'Rejected'
                ? 'bad'
                : 'warn'
          )
        ],
        ['package status', r.packageStatus ?? null],
        ['package', h('code', {}, r.modelPackageArn)],
        ['registered', r.creationTime ? formatTime(r.creationTime) : null]
      ])
    );
  }
  if (run.conditionOutcome) {
    section.append(
      h('h4', {}, 'Condition'),
      h(
        'div',
        {},
        'outcome ',
        badge(
          run.conditionOutcome,
          run.conditionOutcome === 'True' ? 'ok' : 'warn'
        ),
        ` → the ${run.conditionOutcome === 'True' ? 'if' : 'else'} branch ran`
      )
    );
    for (const c of run.conditions ?? []) {
      section.append(
        h(
          'div',
          { class: 'jp-SageMakerLineage-mono' },
          `${show(c.left)} ${c.type} ${show(c.right)}`
        )
      );
    }
  }
  for (const [name, report] of Object.entries(run.reports ?? {})) {
    section.append(
      h('h4', {}, `Report ${name}`),
      h(
        'pre',
        { class: 'jp-SageMakerLineage-pre' },
        JSON.stringify(report, null, 1)
      )
    );
  }
  if (run.iterations && run.iterations.length) {
    section.append(
      h('h4', {}, `Iterations (${run.iterations.length})`),
      h(
        'table',
        { class: 'jp-SageMakerLineage-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['#', 'status', 'start', 'end', 'job'].map(t => h('th', {}, t))
          )
        ),
        h(
          'tbody',
          {},
          run.iterations.map(it => {
            const link = jobLinks(it.jobArn, region)[0];
            return h(
              'tr',
              { title: it.failureReason ?? undefined },
              h('td', {}, String(it.index)),
              h('td', {}, statusBadge(it.status)),
              h('td', {}, formatTime(it.startTime)),
              h('td', {}, formatTime(it.endTime)),
              h('td', {}, link ? externalLink('job', link.url) : '')
            );
          })
        )
      )
    );
  }
  void response;
  return section;
}

function locations(
  title: string,
  list: IStep['inputs'],
  response: ILineage,
  region: string,
  extras: IDetailExtras
): HTMLElement {
  const section = h('section', {}, h('h4', {}, `${title} (${list.length})`));
  const partition = arnPartition(response.pipeline?.arn);
  for (const location of list) {
    const artifact = response.graph.artifacts.find(
      a => a.id === location.artifactId
    );
    const s3region = artifact?.s3?.region || region;
    const link = s3ConsoleLink(location.uri, s3region, partition);
    section.append(
      h(
        'div',
        { class: 'jp-SageMakerLineage-location' },
        h('div', {}, h('b', {}, location.name), ' '),
        h(
          'div',
          { class: 'jp-SageMakerLineage-mono' },
          link ? externalLink(location.uri, link.url) : location.uri
        ),
        artifact ? postureBadges(artifact.s3) : null,
        artifact ? crossPipelines(artifact, extras) : null
      )
    );
  }
  return section;
}

function artifactDetail(
  artifact: IArtifact,
  region: string,
  partition: string,
  extras: IDetailExtras
): HTMLElement {
  const link = s3ConsoleLink(
    artifact.uri,
    artifact.s3?.region || region,
    partition
  );
  return h(
    'div',
    {
      class: 'jp-SageMakerLineage-detailBody',
      'data-artifact': String(artifact.id)
    },
    h('h3', {}, 'S3 artifact'),
    h(
      'div',
      { class: 'jp-SageMakerLineage-mono' },
      link ? externalLink(artifact.uri, link.url) : artifact.uri
    ),
    postureBadges(artifact.s3),
    fields([
      ['bucket', artifact.bucket],
      ['key', artifact.key],
      ['written by', artifact.producers.join(', ') || '–'],
      ['read by', artifact.consumers.join(', ') || '–']
    ]),
    crossPipelines(artifact, extras)
  );
}

function formatNumber(value: number | null): string {
  if (value === null || value === undefined) {
    return '–';
  }
  return Number.isInteger(value)
    ? String(value)
    : value.toPrecision(4).replace(/\.?0+$/, '');
}

function show(value: unknown): string {
  if (value === null || value === undefined) {
    return '∅';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
