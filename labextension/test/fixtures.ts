/** Small lineage answers shaped like the server's, for the unit tests. */
import type {
  IEdge,
  IIteration,
  ILineage,
  IPosture,
  IStep,
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
