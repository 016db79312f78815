/** Small lineage answers shaped like the server's, for the unit tests. */
import type { IEdge, ILineage, IStep } from '../src/contract';

export function step(
  id: string,
  status?: string,
  extra: Partial<IStep> = {}
): IStep {
  return {
    id,
    type: 'Processing',
    inputs: [],
    outputs: [],
    ...(status
      ? {
          run: {
            status: status as NonNullable<IStep['run']>['status'],
            startTime: '2026-11-26T01:00:00.000Z',
            endTime: status === 'Executing' ? null : '2026-11-26T01:02:00.000Z',
            elapsedSec: 120,
            jobArn: null,
            metrics: {},
            failureReason: null,
            cacheHit: false,
            registry: null
          }
        }
      : {}),
    ...extra
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
      lastModifiedTime: null,
      description: null,
      tags: {}
    },
    execution: null,
    summary: {
      overallStatus: 'NotExecuted',
      nodeStatus: {},
      elapsedSec: null,
      lastScanned: null
    },
    graph: {
      nodes,
      edges: edges.map(([from, to, via]) => ({
        from,
        to,
        via: via ?? 'ref:Get'
      })),
      artifacts: []
    },
    warnings: [],
    ...extra
  };
}
