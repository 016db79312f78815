/* Generated from sagemaker_lineage_ext/core/schema/lineage-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

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
 * The execution's status, or NotExecuted when no execution was read.
 */
export type OverallStatus =
  'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'CompletedWithFailures' | 'NotExecuted';
/**
 * What a location holds: data (datasets, batch output, captured traffic), model (model artifacts, checkpoints), code (scripts, source bundles, jars), report (evaluation reports, statistics, constraints, baselines), debug (Debugger, Profiler, TensorBoard output, logs).
 */
export type Role = 'data' | 'model' | 'code' | 'report' | 'debug';
/**
 * ListPipelineExecutionSteps StepStatus; NotStarted: the step is not in the execution's step list; Unknown: the step list could not be read to the end (denied, or cut off by the deadline).
 */
export type StepStatus =
  'Starting' | 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'NotStarted' | 'Unknown';
/**
 * DescribeModelPackage.ModelApprovalStatus.
 */
export type ApprovalStatus = 'Approved' | 'Rejected' | 'PendingManualApproval';
/**
 * DescribeModelPackage.ModelPackageStatus.
 */
export type PackageStatus = 'Pending' | 'InProgress' | 'Completed' | 'Failed' | 'Deleting';
/**
 * ListPipelineExecutionSteps Metadata.Condition.Outcome: which branch a Condition step took.
 */
export type ConditionOutcome = 'True' | 'False';
/**
 * The *JobStatus of DescribeProcessingJob, DescribeTrainingJob, DescribeTransformJob or DescribeHyperParameterTuningJob.
 */
export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped' | 'Deleting' | 'DeleteFailed';
/**
 * Why one step comes after another: dependsOn (the step's DependsOn), forEach (a ForEach step to each step of its ForEachBody), ref:Get (a Get, Std:Join or Std:JsonGet argument reading the other step's properties or property file), condition:if / condition:else (a Condition step's IfSteps / ElseSteps).
 */
export type EdgeVia = 'dependsOn' | 'forEach' | 'ref:Get' | 'condition:if' | 'condition:else';
/**
 * GetBucketEncryption: the default rule's SSEAlgorithm; None when the bucket has no default encryption; Unknown when it could not be read.
 */
export type Encryption = 'AES256' | 'aws:kms' | 'aws:kms:dsse' | 'aws:fsx' | 'aws:backup' | 'None' | 'Unknown';
/**
 * GetBucketVersioning.Status; Disabled when never enabled; Unknown when it could not be read.
 */
export type Versioning = 'Enabled' | 'Suspended' | 'Disabled' | 'Unknown';
/**
 * GetPublicAccessBlock: Blocked (all four flags on), Partial (some), NotBlocked (none, or no configuration); Unknown when it could not be read.
 */
export type PublicAccess = 'Blocked' | 'Partial' | 'NotBlocked' | 'Unknown';
/**
 * A problem a reviewer would flag on a bucket.
 */
export type Finding =
  'NotEncrypted' | 'PublicAccessNotBlocked' | 'PublicAccessPartiallyBlocked' | 'VersioningOff' | 'PostureUnknown';
/**
 * How a step's location relates to a URI: exact (the same, trailing slash aside), contains (the location is a folder prefix of the URI), within (the URI is a folder prefix of the location). A {...} placeholder in a location matches any one path segment.
 */
export type UriRelation = 'exact' | 'contains' | 'within';

/**
 * 200 answer of GET /lineage, sagemaker-lineage dump and graph, and %lineage --json (docs/api.md).
 */
export interface LineageResponse {
  demo?: DemoMarker;
  /**
   * null only for a definition drawn without AWS (sagemaker-lineage graph).
   */
  pipeline: Pipeline | null;
  /**
   * null when no execution was read (includeLatestExec=false, or the pipeline never ran).
   */
  execution: Execution | null;
  summary: Summary;
  graph: Graph;
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
 * The answer at a glance. lastScanned: the latest run.endTime, else the pipeline's lastModifiedTime (not the time of the request).
 */
export interface Summary {
  overallStatus: OverallStatus;
  /**
   * How many nodes have each run.status (only statuses that occur; steps reused from another execution are counted in reused instead).
   */
  nodeStatus: {
    [k: string]: number;
  };
  /**
   * execution.elapsedSec.
   */
  elapsedSec: number | null;
  lastScanned: Time;
  /**
   * Number of nodes.
   */
  stepCount: number;
  /**
   * Nodes whose run was reused from another execution (run.reusedFrom): counted here, not in nodeStatus.
   */
  reused: number;
  /**
   * The ids of the nodes whose run.status is Failed, in graph order.
   */
  failedSteps: string[];
  /**
   * Only when the request's deadline cut reads off: how many steps are not fully read yet (their job, model package or reports, or whether they ran at all). The Incomplete warning names them; asking again reads only what is still missing.
   */
  incomplete?: number;
}
export interface Graph {
  nodes: Node[];
  edges: Edge[];
  artifacts: Artifact[];
  /**
   * Each path from a flagged artifact (one with s3.findings) to a step that registers a model package, shortest first found; empty when there is none.
   */
  risks: Risk[];
}
/**
 * One step of the pipeline definition (or a step that ran but is not in it). run: present only when an execution was read.
 */
export interface Node {
  /**
   * The step's Name.
   */
  id: string;
  /**
   * The step's Type in the definition (Processing, Training, Condition, ...).
   */
  type: string;
  /**
   * The step's DisplayName, else its name.
   */
  displayName: string;
  /**
   * The step's Description.
   */
  description: string | null;
  parent: NodeParent | null;
  inputs: Location[];
  outputs: Location[];
  run?: Run;
}
/**
 * The step that holds this one: a Condition step whose IfSteps (branch if) or ElseSteps (branch else) hold it, or a ForEach step whose ForEachBody holds it (branch body).
 */
export interface NodeParent {
  step: string;
  branch: 'if' | 'else' | 'body';
}
/**
 * One S3 input or output of a step: what its job used where it ran, else the definition resolved against the execution.
 */
export interface Location {
  /**
   * The input's or output's name (InputName, OutputName, channel name, ...).
   */
  name: string;
  uri: string;
  /**
   * The id of its entry in graph.artifacts.
   */
  artifactId: number;
  /**
   * False while the URI still holds a {...} placeholder only a run can fill; the same as its artifact's resolved.
   */
  resolved: boolean;
  role: Role;
}
/**
 * What a step did in the execution that was read: its ListPipelineExecutionSteps entry (the latest attempt: startTime: StartTime, endTime: EndTime, cacheSource: CacheHitResult.SourcePipelineExecutionArn, only on a cache hit; reusedFrom: SelectiveExecutionResult.SourcePipelineExecutionArn, the execution whose result a selective execution reused) and the job or model package it names.
 */
export interface Run {
  status: StepStatus;
  startTime: Time;
  endTime: Time;
  /**
   * Seconds from startTime to endTime (to now while it runs).
   */
  elapsedSec: number | null;
  /**
   * Metadata.<TrainingJob|ProcessingJob|TransformJob|TuningJob|Model|RegisterModel|Lambda|...>.Arn, or the CheckJobArn of a QualityCheck / ClarifyCheck step.
   */
  jobArn: string | null;
  /**
   * DescribeTrainingJob.FinalMetricDataList as MetricName -> Value (a tuning step: its best training job's, plus the tuning objective); null for a value that is not a finite number.
   */
  metrics: {
    [k: string]: number | null;
  };
  /**
   * FailureReason.
   */
  failureReason: string | null;
  /**
   * CacheHitResult.SourcePipelineExecutionArn is set.
   */
  cacheHit: boolean;
  cacheSource?: ExecutionArn;
  reusedFrom?: ExecutionArn;
  /**
   * AttemptCount (0 for a step that did not run).
   */
  attempts: number;
  registry: Registry | null;
  conditionOutcome?: ConditionOutcome;
  conditions?: ConditionCheck[];
  /**
   * Metadata.Fail.ErrorMessage (Fail steps).
   */
  errorMessage?: string;
  jobStatus?: JobStatus | null;
  /**
   * DescribeHyperParameterTuningJob.BestTrainingJob.TrainingJobName.
   */
  bestTrainingJob?: string | null;
  /**
   * Property file name -> the JSON document the step wrote there (GetObject).
   */
  reports?: {
    [k: string]: unknown;
  };
  check?: CheckMetadata;
  emr?: EmrRun;
  /**
   * Metadata.Lambda / Metadata.Callback OutputParameters as Name -> Value.
   */
  outputParameters?: {
    [k: string]: string;
  };
  /**
   * A step inside a ForEach body: one entry per item, by index.
   */
  iterations?: Iteration[];
}
/**
 * DescribeModelPackage of a model-registration step (creationTime: CreationTime).
 */
export interface Registry {
  /**
   * ModelPackageArn.
   */
  modelPackageArn: string;
  /**
   * ModelPackageGroupName.
   */
  modelPackageGroup: string | null;
  /**
   * ModelPackageVersion.
   */
  version: number | null;
  approvalStatus: ApprovalStatus | null;
  packageStatus: PackageStatus | null;
  creationTime: Time;
}
/**
 * One condition of a Condition step, with the values it compared as resolved for the run (a {...} placeholder where a value is unknown) and its outcome. Comparisons (Equals, NotEquals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo) carry left and right; In and NotIn carry value and values; Not carries expression; Or carries conditions.
 */
export interface ConditionCheck {
  /**
   * The condition's Type (LessThanOrEqualTo, Equals, In, Not, Or, ...).
   */
  type: string;
  /**
   * LeftValue, resolved.
   */
  left?: {
    [k: string]: unknown;
  };
  /**
   * RightValue, resolved.
   */
  right?: {
    [k: string]: unknown;
  };
  /**
   * In / NotIn: QueryValue, resolved.
   */
  value?: {
    [k: string]: unknown;
  };
  /**
   * In / NotIn: Values, each resolved.
   */
  values?: unknown[];
  expression?: ConditionCheck;
  /**
   * Or: its Conditions.
   */
  conditions?: ConditionCheck[];
  /**
   * What the condition came to with these values; null while a value is unknown.
   */
  outcome: boolean | null;
}
/**
 * ListPipelineExecutionSteps Metadata.QualityCheck or Metadata.ClarifyCheck, keys in lower camel case (every key AWS sends is kept).
 */
export interface CheckMetadata {
  checkType?: string;
  baselineUsedForDriftCheckStatistics?: string;
  baselineUsedForDriftCheckConstraints?: string;
  calculatedBaselineStatistics?: string;
  calculatedBaselineConstraints?: string;
  modelPackageGroupName?: string;
  violationReport?: string;
  checkJobArn?: string;
  skipCheck?: boolean;
  registerNewBaseline?: boolean;
}
/**
 * Metadata.EMR (clusterId: ClusterId, stepId: StepId, stepName: StepName, logFilePath: LogFilePath) or Metadata.EMRServerless (applicationId: ApplicationId, jobRunId: JobRunId, jobRunName: JobRunName, logFilePath: LogFilePath).
 */
export interface EmrRun {
  clusterId?: string;
  stepId?: string;
  stepName?: string;
  applicationId?: string;
  jobRunId?: string;
  jobRunName?: string;
  logFilePath?: string;
}
/**
 * One run of a step inside a ForEach body (ListPipelineExecutionSteps entries with IterationContext.Index).
 */
export interface Iteration {
  /**
   * IterationContext.Index.
   */
  index: number;
  status: StepStatus;
  startTime: Time;
  endTime: Time;
  jobArn: string | null;
  failureReason: string | null;
}
/**
 * One edge per (from, to, via).
 */
export interface Edge {
  /**
   * The step that comes first (a node id).
   */
  from: string;
  /**
   * The step that comes after it (a node id).
   */
  to: string;
  via: EdgeVia;
}
/**
 * One distinct S3 URI, with the steps that write and read it.
 */
export interface Artifact {
  /**
   * 1, 2, ... in order of first appearance.
   */
  id: number;
  uri: string;
  /**
   * null when the URI is not s3:// or its bucket is still a placeholder.
   */
  bucket: string | null;
  key: string | null;
  /**
   * False while the URI still holds a {...} placeholder.
   */
  resolved: boolean;
  /**
   * Node ids that write it.
   */
  producers: string[];
  /**
   * Node ids that read it.
   */
  consumers: string[];
  /**
   * null without a bucket, or when bucket metadata is switched off (ENABLE_S3_META=false).
   */
  s3: Posture | null;
  /**
   * Only with includeCrossPipeline=true: steps of other pipelines of the region whose outputs are this URI, contain it or lie inside it.
   */
  upstreamPipelines?: ArtifactUse[];
  /**
   * Only with includeCrossPipeline=true: steps of other pipelines of the region whose inputs are this URI, contain it or lie inside it.
   */
  downstreamPipelines?: ArtifactUse[];
}
/**
 * The security posture of an artifact's bucket, read with GetBucketEncryption, GetBucketVersioning, GetPublicAccessBlock, GetBucketTagging and GetBucketLocation. readAt: when it was read (it may come from a cache).
 */
export interface Posture {
  encryption: Encryption;
  versioning: Versioning;
  publicAccess: PublicAccess;
  /**
   * GetBucketTagging TagSet as Key -> Value, or Unknown when it could not be read.
   */
  tags:
    | {
        [k: string]: string;
      }
    | 'Unknown';
  /**
   * GetBucketLocation.LocationConstraint (us-east-1 when empty), or Unknown.
   */
  region: Region | 'Unknown';
  findings: Finding[];
  readAt: Time;
}
/**
 * One step of a pipeline of the region whose input or output relates to a URI: from the pipeline's current definition (DescribePipeline) resolved with its latest execution's parameters (ListPipelineParametersForExecution); what only a run can know stays a {...} placeholder.
 */
export interface ArtifactUse {
  /**
   * PipelineName.
   */
  pipeline: string;
  arn: PipelineArn;
  /**
   * The step's Name.
   */
  step: string;
  /**
   * The step's Type.
   */
  stepType: string;
  /**
   * The input's or output's name.
   */
  location: string;
  /**
   * The location as the definition resolves it.
   */
  uri: string;
  /**
   * False while the location holds a {...} placeholder.
   */
  resolved: boolean;
  relation: UriRelation;
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
