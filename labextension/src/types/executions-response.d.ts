/* Generated from sagemaker_lineage_ext/core/schema/executions-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

/**
 * Present (and true) only on answers read from the embedded demo account, never on a real account's.
 */
export type DemoMarker = true;
/**
 * An AWS region name.
 */
export type Region = string;
export type ExecutionArn = string;
/**
 * PipelineExecutionStatus of DescribePipelineExecution / ListPipelineExecutions.
 */
export type ExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'CompletedWithFailures';
/**
 * ISO-8601 in UTC with milliseconds (2026-11-26T00:48:58.306Z), as AWS keeps it; null when AWS gave none.
 */
export type Time = string | null;

/**
 * 200 answer of GET /executions and sagemaker-lineage executions (docs/api.md).
 */
export interface ExecutionsResponse {
  demo?: DemoMarker;
  /**
   * The pipeline's name (DescribePipeline.PipelineName).
   */
  pipeline: string;
  region: Region;
  /**
   * Newest first, at most limit of them.
   */
  executions: ExecutionSummary[];
  warnings: AnswerWarning[];
}
/**
 * One ListPipelineExecutions entry. arn: PipelineExecutionArn; status: PipelineExecutionStatus; startTime: StartTime.
 */
export interface ExecutionSummary {
  arn: ExecutionArn;
  /**
   * PipelineExecutionDisplayName.
   */
  displayName: string | null;
  status: ExecutionStatus | null;
  startTime: Time;
  /**
   * PipelineExecutionFailureReason.
   */
  failureReason: string | null;
}
/**
 * Something the answer could not read or that a reader should know; the rest of the answer is still there.
 */
export interface AnswerWarning {
  /**
   * AccessDenied, NotFound, Throttled, Credentials, Timeout, NoSuchBucket, InvalidDefinition, UnknownStepType, UnknownStepReference, DependencyCycle, InternalError, Error, or the error code AWS answered.
   */
  code: string;
  /**
   * What it is about: an ARN, an s3://bucket, a step name, or request.
   */
  target: string;
  message: string;
}
