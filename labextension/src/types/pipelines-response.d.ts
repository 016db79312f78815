/* Generated from sagemaker_lineage_ext/core/schema/pipelines-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

/**
 * Present (and true) only on answers read from the embedded demo account, never on a real account's.
 */
export type DemoMarker = true;
/**
 * An AWS region name.
 */
export type Region = string;
export type PipelineArn = string;
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
 * 200 answer of GET /pipelines and sagemaker-lineage list (docs/api.md).
 */
export interface PipelinesResponse {
  demo?: DemoMarker;
  region: Region;
  /**
   * By name, numbers in names in numeric order (large-pipeline-10 before large-pipeline-200).
   */
  pipelines: PipelineSummary[];
  warnings: AnswerWarning[];
}
/**
 * One ListPipelines entry and its latest execution. arn: PipelineArn; creationTime, lastModifiedTime, lastExecutionTime: CreationTime, LastModifiedTime, LastExecutionTime.
 */
export interface PipelineSummary {
  /**
   * PipelineName.
   */
  name: string;
  arn: PipelineArn;
  /**
   * PipelineDisplayName, else the name.
   */
  displayName: string;
  /**
   * PipelineDescription.
   */
  description: string | null;
  creationTime: Time;
  lastModifiedTime: Time;
  lastExecutionTime: Time;
  /**
   * null when the pipeline never ran, or its executions could not be read (with a warning).
   */
  latestExecution: LatestExecution | null;
}
/**
 * The newest ListPipelineExecutions entry of a pipeline: arn: PipelineExecutionArn; status: PipelineExecutionStatus; startTime: StartTime.
 */
export interface LatestExecution {
  arn: ExecutionArn;
  status: ExecutionStatus | null;
  startTime: Time;
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
