/** Small lineage answers shaped like the server's, for the unit tests. */
import type {
  IArtifactUse,
  ICompare,
  IEdge,
  IIteration,
  ILineage,
  IPosture,
  IStep,
  IStepComparison,
  RunStatus
} from '../src/contract';

export function step(
  id: string,
  status?: string,
  extra: Partial<IStep> = {}
): IStep {
  return {
    id,
    type: 'Processing',
    displayName: id,
    description: null,
    parent: null,
    inputs: [],
    outputs: [],
    ...(status
      ? {
          run: {
            status: status as RunStatus,
            startTime: '2026-11-26T01:00:00.000Z',
            endTime: status === 'Executing' ? null : '2026-11-26T01:02:00.000Z',
            elapsedSec: 120,
            jobArn: null,
            metrics: {},
            failureReason: null,
            cacheHit: false,
            attempts: 1,
            registry: null
          }
        }
      : {}),
    ...extra
  };
}

export function iteration(index: number, status: RunStatus): IIteration {
  return {
    index,
    status,
    startTime: null,
    endTime: null,
    jobArn: null,
    failureReason: null
  };
}

export function posture(findings: IPosture['findings'] = []): IPosture {
  return {
    encryption: 'AES256',
    versioning: 'Enabled',
    publicAccess: 'Blocked',
    tags: {},
    region: 'eu-west-1',
    findings,
    readAt: null
  };
}

export function lineage(
  nodes: IStep[],
  edges: [string, string, IEdge['via']?][] = [],
  extra: Partial<ILineage> = {}
): ILineage {
  return {
    pipeline: {
      name: 'p',
      arn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p',
      region: 'eu-west-1',
      displayName: 'p',
      status: 'Active',
      creationTime: null,
      lastModifiedTime: null,
      lastRunTime: null,
      description: null,
      tags: {}
    },
    execution: null,
    summary: {
      overallStatus: 'NotExecuted',
      nodeStatus: {},
      elapsedSec: null,
      lastScanned: null,
      stepCount: nodes.length,
      reused: 0,
      failedSteps: []
    },
    graph: {
      nodes,
      edges: edges.map(([from, to, via]) => ({
        from,
        to,
        via: via ?? 'ref:Get'
      })),
      artifacts: [],
      risks: []
    },
    warnings: [],
    ...extra
  };
}

/** A compared step: unchanged and Succeeded in both runs unless `extra` says more. */
export function compared(
  name: string,
  extra: Partial<IStepComparison> = {}
): IStepComparison {
  return {
    step: name,
    type: 'Processing',
    verdict: 'unchanged',
    status: { before: 'Succeeded', after: 'Succeeded' },
    durationSec: { before: 100, after: 100, delta: 0, percent: 0 },
    metrics: [],
    arguments: [],
    inputs: [],
    outputs: [],
    cache: null,
    ...extra
  };
}

const EXECUTION =
  'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p/execution';

/** A `/compare` answer of pipeline `p` over `steps` and edges between them. */
export function comparison(
  steps: IStepComparison[],
  edges: [string, string, IEdge['via']?][] = []
): ICompare {
  const execution = (id: string): ICompare['head'] => ({
    arn: `${EXECUTION}/${id}`,
    displayName: id,
    status: 'Succeeded',
    startTime: null,
    endTime: null,
    elapsedSec: 600,
    failureReason: null,
    parameters: {}
  });
  const pipeline = lineage([]).pipeline!;
  return {
    pipeline,
    base: execution('base'),
    head: execution('head'),
    summary: {
      elapsedSec: { before: 600, after: 600, delta: 0, percent: 0 },
      slower: [],
      faster: [],
      newlyFailing: [],
      newlyPassing: [],
      added: [],
      removed: [],
      changed: [],
      parametersChanged: [],
      definitionChanged: false,
      cacheHits: [],
      cacheMisses: []
    },
    parameters: [],
    steps,
    edges: edges.map(([from, to, via]) => ({
      from,
      to,
      via: via ?? 'ref:Get'
    })),
    warnings: []
  };
}

/** A use of an S3 location by a step of another pipeline (`/artifact`). */
export function use(
  pipeline: string,
  step: string,
  location: string,
  relation: IArtifactUse['relation'] = 'exact'
): IArtifactUse {
  return {
    pipeline,
    arn: `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${pipeline}`,
    step,
    stepType: 'Processing',
    location,
    uri: `s3://b/${location}`,
    resolved: true,
    relation
  };
}
