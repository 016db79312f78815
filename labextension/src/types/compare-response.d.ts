/* Generated from sagemaker_lineage_ext/core/schema/compare-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

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
 * What changed most about a step, in this order: added (only in the head's definition), removed (only in the base's), newlyFailing (Failed now, not before), newlyPassing (Succeeded now after Failed, Stopped or NotStarted), slower / faster (by at least 10 % and 5 s), changed (status, definition, inputs, outputs or metrics differ), unchanged.
 */
export type StepVerdict =
  'added' | 'removed' | 'newlyFailing' | 'newlyPassing' | 'slower' | 'faster' | 'changed' | 'unchanged';
/**
 * ListPipelineExecutionSteps StepStatus; NotStarted: the step is not in the execution's step list; Unknown: the step list could not be read to the end (denied, or cut off by the deadline).
 */
export type StepStatus =
  'Starting' | 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'NotStarted' | 'Unknown';
/**
 * Why a value of a step's definition differs: definition (the definitions differ there), parameter (a parameter it reads has another value), upstream (another step's property or property file it reads differs), execution (an execution variable such as Execution.PipelineExecutionId).
 */
export type ChangeCause = 'definition' | 'parameter' | 'upstream' | 'execution';
/**
 * Why one step comes after another: dependsOn (the step's DependsOn), forEach (a ForEach step to each step of its ForEachBody), ref:Get (a Get, Std:Join or Std:JsonGet argument reading the other step's properties or property file), condition:if / condition:else (a Condition step's IfSteps / ElseSteps).
 */
export type EdgeVia = 'dependsOn' | 'forEach' | 'ref:Get' | 'condition:if' | 'condition:else';

/**
 * 200 answer of GET /compare, sagemaker-lineage compare and %lineage NAME --compare (docs/api.md): what changed between two executions of one pipeline.
 */
export interface CompareResponse {
  demo?: DemoMarker;
  pipeline: Pipeline;
  base: Execution;
  head: Execution;
  summary: CompareSummary;
  /**
   * The parameters whose values differ.
   */
  parameters: ParameterChange[];
  /**
   * Every step of either definition: the head's in its definition order, then those only the base's definition has.
   */
  steps: StepComparison[];
  /**
   * The edges of both definitions (one per from, to, via), to draw the comparison.
   */
  edges: Edge[];
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
 * The comparison at a glance: step names by verdict (a step is listed once, under its verdict, except in changed, which lists every step with any difference), the executions' elapsed times.
 */
export interface CompareSummary {
  elapsedSec: NumberChange;
  slower: string[];
  faster: string[];
  newlyFailing: string[];
  newlyPassing: string[];
  added: string[];
  removed: string[];
  /**
   * Every step whose status, definition, inputs, outputs or metrics differ.
   */
  changed: string[];
  parametersChanged: string[];
  /**
   * The two executions ran different definitions.
   */
  definitionChanged: boolean;
  /**
   * Steps whose head run was a cache hit.
   */
  cacheHits: string[];
  /**
   * Steps with caching on in the head's definition whose head run was not a cache hit.
   */
  cacheMisses: string[];
}
/**
 * A number in the base and the head: delta = after - before; percent = delta / |before| x 100, one decimal, signed as the change (null when before is 0 or either is null).
 */
export interface NumberChange {
  before: number | null;
  after: number | null;
  delta: number | null;
  percent: number | null;
}
/**
 * A pipeline parameter whose value differs between the executions (ListPipelineParametersForExecution; null: not set in that execution).
 */
export interface ParameterChange {
  name: string;
  before: string | null;
  after: string | null;
}
/**
 * One step of either execution's definition, compared between the base and the head.
 */
export interface StepComparison {
  /**
   * The step's Name.
   */
  step: string;
  /**
   * The step's Type (the head's, else the base's).
   */
  type: string;
  verdict: StepVerdict;
  status: StatusChange;
  durationSec: NumberChange;
  /**
   * Every metric either run has.
   */
  metrics: MetricChange[];
  /**
   * The differences between the step's two definitions, resolved.
   */
  arguments: ArgumentChange[];
  inputs: LocationChange[];
  outputs: LocationChange[];
  /**
   * null unless either definition turns caching on for the step or either run was a cache hit.
   */
  cache: CacheComparison | null;
}
/**
 * run.status in the base and the head execution; null when the step is not in that execution's definition.
 */
export interface StatusChange {
  before: StepStatus | null;
  after: StepStatus | null;
}
/**
 * One metric of run.metrics (FinalMetricDataList) in the base and the head run; delta and percent as in NumberChange.
 */
export interface MetricChange {
  /**
   * MetricName.
   */
  name: string;
  before: number | null;
  after: number | null;
  delta: number | null;
  percent: number | null;
}
/**
 * One difference between the step's definitions (DescribePipelineDefinitionForExecution of each execution), with values resolved as each execution ran (its parameters, its steps' properties, its execution variables; a {...} placeholder where unknown).
 */
export interface ArgumentChange {
  /**
   * Where in the step: Arguments.HyperParameters.max_depth, Arguments.ProcessingInputs[0].S3Input.S3Uri, CacheConfig.Enabled, ...
   */
  path: string;
  /**
   * added (only in the head's definition), removed (only in the base's), changed.
   */
  kind: 'added' | 'removed' | 'changed';
  /**
   * The base's value (null when added).
   */
  before: {
    [k: string]: unknown;
  };
  /**
   * The head's value (null when removed).
   */
  after: {
    [k: string]: unknown;
  };
  cause: ChangeCause;
  /**
   * The parameter, step or execution variable behind a cause other than definition; null for definition.
   */
  source: string | null;
  /**
   * The path is in one of the step type's cache-key attributes (a change there is a cache miss).
   */
  cacheKey: boolean;
}
/**
 * An input or output of the step, by name, whose S3 URI differs between the runs (null: absent in that run).
 */
export interface LocationChange {
  name: string;
  before: string | null;
  after: string | null;
}
/**
 * Step caching in the base and the head, and why the head's run was a cache hit or a miss.
 */
export interface CacheComparison {
  before: CacheState;
  after: CacheState;
  /**
   * One sentence: the execution a hit reused, or what made a miss (the cache-key paths that changed, caching off, the base run not reusable).
   */
  reason: string;
  /**
   * Paths of arguments in the step type's cache key whose values differ from the base's.
   */
  keyChanges: string[];
}
/**
 * The step's CacheConfig in one execution's definition (Enabled, ExpireAfter) and its run's CacheHitResult (hit; source: SourcePipelineExecutionArn).
 */
export interface CacheState {
  enabled: boolean;
  /**
   * CacheConfig.ExpireAfter (an ISO 8601 duration such as P30D).
   */
  expireAfter: string | null;
  hit: boolean;
  source: ExecutionArn | null;
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
