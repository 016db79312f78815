/* Generated from sagemaker_lineage_ext/core/schema/check-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

/**
 * Present (and true) only on answers read from the embedded demo account, never on a real account's.
 */
export type DemoMarker = true;
export type PipelineArn = string;
/**
 * An AWS region name.
 */
export type Region = string;
/**
 * DescribePipeline.PipelineStatus.
 */
export type PipelineStatus = 'Active' | 'Deleting';
/**
 * ISO-8601 in UTC with milliseconds (2026-11-26T00:48:58.306Z), as AWS keeps it; null when AWS gave none.
 */
export type Time = string | null;
export type ExecutionArn = string;
/**
 * PipelineExecutionStatus of DescribePipelineExecution / ListPipelineExecutions.
 */
export type ExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'CompletedWithFailures';
/**
 * A bucket rule of the posture gate: encryption (GetBucketEncryption: a default encryption rule), public-access (GetPublicAccessBlock: all four flags on), versioning (GetBucketVersioning: Enabled).
 */
export type PolicyRule = 'encryption' | 'public-access' | 'versioning';
/**
 * pass; fail (the rule is broken); unknown (the value could not be read, or the bucket is not known); excepted (broken or unknown, but an exception of the policy covers it).
 */
export type CheckOutcome = 'pass' | 'fail' | 'unknown' | 'excepted';
/**
 * A problem a reviewer would flag on a bucket.
 */
export type Finding =
  'NotEncrypted' | 'PublicAccessNotBlocked' | 'PublicAccessPartiallyBlocked' | 'VersioningOff' | 'PostureUnknown';
/**
 * DescribeModelPackage.ModelApprovalStatus.
 */
export type ApprovalStatus = 'Approved' | 'Rejected' | 'PendingManualApproval';

/**
 * 200 answer of GET /check, sagemaker-lineage check --format json and %lineage --check (docs/api.md): the posture gate's verdict on the S3 data of a pipeline's execution.
 */
export interface CheckResponse {
  demo?: DemoMarker;
  pipeline: Pipeline;
  /**
   * The execution whose data was checked; null when the pipeline never ran (the definition's data is checked).
   */
  execution: Execution | null;
  /**
   * No artifact fails (and, unless unknown is allowed, none is unknown), and the time limit cut no read short (else an Incomplete warning with target check). The CLI exits 1 when false.
   */
  passed: boolean;
  policy: PolicySummary;
  counts: CheckCounts;
  /**
   * One entry per artifact with an s3:// URI, in graph.artifacts order.
   */
  results: ArtifactCheck[];
  /**
   * The paths from the artifacts that fail the gate to model registration steps (as graph.risks, flagged by the policy).
   */
  risks: Risk[];
  warnings: AnswerWarning[];
}
/**
 * DescribePipeline, ListTags (tags) and the region that was read. arn: PipelineArn; status: PipelineStatus; creationTime, lastModifiedTime, lastRunTime: CreationTime, LastModifiedTime, LastRunTime.
 */
export interface Pipeline {
  /**
   * PipelineName.
   */
  name: string;
  arn: PipelineArn;
  region: Region;
  /**
   * PipelineDisplayName, else the name.
   */
  displayName: string;
  /**
   * PipelineDescription.
   */
  description: string | null;
  status: PipelineStatus | null;
  creationTime: Time;
  lastModifiedTime: Time;
  lastRunTime: Time;
  /**
   * ListTags: Key -> Value (empty, with a warning, when they could not be read).
   */
  tags: {
    [k: string]: string;
  };
}
/**
 * DescribePipelineExecution (else the execution's ListPipelineExecutions entry) and ListPipelineParametersForExecution (parameters). arn: PipelineExecutionArn; status: PipelineExecutionStatus; startTime: CreationTime (StartTime); endTime: LastModifiedTime once the status is final, else null.
 */
export interface Execution {
  arn: ExecutionArn;
  /**
   * PipelineExecutionDisplayName.
   */
  displayName: string | null;
  status: ExecutionStatus | null;
  startTime: Time;
  endTime: Time;
  /**
   * Seconds from startTime to endTime (to now while it runs).
   */
  elapsedSec: number | null;
  /**
   * FailureReason.
   */
  failureReason: string | null;
  /**
   * ListPipelineParametersForExecution: Name -> Value, as the execution ran.
   */
  parameters: {
    [k: string]: string;
  };
}
/**
 * The policy the gate applied.
 */
export interface PolicySummary {
  /**
   * default, or the policy file it was read from.
   */
  source: string;
  /**
   * The rules switched on.
   */
  rules: PolicyRule[];
  /**
   * fail: a value that could not be read fails the gate; allow: it does not (allowUnknown, or the file's unknown = "allow").
   */
  unknown: 'fail' | 'allow';
  exceptions: PolicyExceptionEntry[];
}
/**
 * Buckets (a name; * and ? match any characters) and optionally a key prefix, excepted from some rules, with the reason.
 */
export interface PolicyExceptionEntry {
  bucket: string;
  prefix: string | null;
  /**
   * @minItems 1
   */
  rules: [PolicyRule, ...PolicyRule[]];
  reason: string;
}
/**
 * Artifacts checked, and how many of them have each outcome (an artifact's outcome is its worst check's).
 */
export interface CheckCounts {
  artifacts: number;
  passed: number;
  failed: number;
  unknown: number;
  excepted: number;
}
/**
 * The policy's rules on one S3 artifact of the lineage (graph.artifacts[]).
 */
export interface ArtifactCheck {
  artifactId: number;
  uri: string;
  bucket: string | null;
  key: string | null;
  producers: string[];
  consumers: string[];
  outcome: CheckOutcome;
  checks: RuleCheck[];
}
/**
 * One rule on one artifact's bucket posture.
 */
export interface RuleCheck {
  rule: PolicyRule;
  outcome: CheckOutcome;
  /**
   * The s3 value the rule read (s3.encryption, s3.publicAccess or s3.versioning); null when the posture was not read.
   */
  value: string | null;
  /**
   * What was found, in words.
   */
  message: string;
  /**
   * The reason of the exception that covers it (outcome excepted), else null.
   */
  reason: string | null;
}
/**
 * A path from a flagged artifact to a model registration step (a RegisterModel step, or one whose run has a registry): the artifact's findings reach that model package.
 */
export interface Risk {
  /**
   * The flagged artifact (graph.artifacts[].id).
   */
  artifactId: number;
  /**
   * Its URI.
   */
  uri: string;
  /**
   * What flags it: its bucket's findings (the posture gate: the rules it breaks, as findings).
   *
   * @minItems 1
   */
  findings: [Finding, ...Finding[]];
  /**
   * The node id of the model registration step it reaches.
   */
  modelStep: string;
  /**
   * run.registry.modelPackageArn of that step; null without a run or registry.
   */
  modelPackageArn: string | null;
  /**
   * run.registry.approvalStatus of that step.
   */
  approvalStatus: ApprovalStatus | null;
  /**
   * The node ids on the path in order, from the first step that reads the artifact to modelStep.
   *
   * @minItems 1
   */
  steps: [string, ...string[]];
  /**
   * The artifact ids on the path in order, the flagged one first.
   *
   * @minItems 1
   */
  artifacts: [number, ...number[]];
  /**
   * The path as one sentence.
   */
  message: string;
}
/**
 * Something the answer could not read or that a reader should know; the rest of the answer is still there.
 */
export interface AnswerWarning {
  /**
   * AccessDenied, NotFound, Throttled, Credentials, Timeout, Incomplete, NoSuchBucket, InvalidDefinition, UnknownStepType, UnknownStepReference, DependencyCycle, InternalError, Error, or the error code AWS answered.
   */
  code: string;
  /**
   * What it is about: an ARN, an s3://bucket, a step name, or request.
   */
  target: string;
  message: string;
}
