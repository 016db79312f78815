/* Generated from sagemaker_lineage_ext/core/schema/lineage-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

export type Time = string | null;

/**
 * What every front door returns for GET /lineage (SPEC.md, Response).
 */
export interface LineageResponse {
  /**
   * null only for a definition previewed without AWS (sagemaker-lineage graph).
   */
  pipeline: null | Pipeline;
  execution: null | Execution;
  summary: Summary;
  graph: Graph;
  warnings: Warning[];
}
export interface Pipeline {
  name: string;
  arn: string;
  displayName?: string | null;
  description: string | null;
  status?: string | null;
  creationTime?: Time;
  lastModifiedTime: Time;
  lastRunTime?: Time;
  tags: {
    [k: string]: string;
  };
}
export interface Execution {
  arn: string;
  displayName?: string | null;
  status: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | null;
  startTime: Time;
  endTime: Time;
  elapsedSec?: number | null;
  failureReason?: string | null;
  parameters: {
    [k: string]: string;
  };
}
export interface Summary {
  overallStatus: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'NotExecuted';
  nodeStatus: {
    [k: string]: number;
  };
  elapsedSec: number | null;
  lastScanned: Time;
  stepCount?: number;
}
export interface Graph {
  nodes: Node[];
  edges: Edge[];
  artifacts: Artifact[];
}
export interface Node {
  id: string;
  type: string;
  displayName?: string | null;
  description?: string | null;
  parent?: null | {
    step: string;
    branch: 'if' | 'else';
  };
  inputs: Location[];
  outputs: Location[];
  run?: Run;
}
export interface Location {
  name: string;
  uri: string;
  artifactId: number;
  resolved?: boolean;
}
export interface Run {
  status: 'Starting' | 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'NotStarted' | 'Unknown';
  startTime: Time;
  endTime: Time;
  elapsedSec: number | null;
  jobArn: string | null;
  metrics: {
    [k: string]: number;
  };
  failureReason: string | null;
  cacheHit: boolean;
  cacheSource?: string;
  attempts?: number;
  conditionOutcome?: 'True' | 'False';
  conditions?: {
    type: string;
    left?: unknown;
    right?: unknown;
  }[];
  errorMessage?: string;
  jobStatus?: string | null;
  bestTrainingJob?: string | null;
  reports?: {};
  check?: {};
  registry: null | {
    modelPackageArn: string;
    modelPackageGroup: string | null;
    version?: number | null;
    approvalStatus: 'Approved' | 'Rejected' | 'PendingManualApproval' | null;
    packageStatus?: string | null;
    creationTime?: Time;
  };
}
export interface Edge {
  from: string;
  to: string;
  via: 'dependsOn' | 'ref:Get' | 'condition:if' | 'condition:else';
}
export interface Artifact {
  id: number;
  uri: string;
  bucket: string | null;
  key: string | null;
  resolved?: boolean;
  producers: string[];
  consumers: string[];
  s3: null | Posture;
}
export interface Posture {
  encryption: 'aws:kms' | 'aws:kms:dsse' | 'AES256' | 'None' | 'Unknown';
  versioning: 'Enabled' | 'Suspended' | 'Disabled' | 'Unknown';
  publicAccess: 'Blocked' | 'Partial' | 'NotBlocked' | 'Unknown';
  tags:
    | {
        [k: string]: string;
      }
    | 'Unknown';
  region?: string;
  findings?: (
    'NotEncrypted' | 'PublicAccessNotBlocked' | 'PublicAccessPartiallyBlocked' | 'VersioningOff' | 'PostureUnknown'
  )[];
}
export interface Warning {
  code: string;
  target: string;
  message: string;
}
