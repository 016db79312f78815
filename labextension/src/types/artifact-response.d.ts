/* Generated from sagemaker_lineage_ext/core/schema/artifact-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

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
 * How a step's location relates to a URI: exact (the same, trailing slash aside), contains (the location is a folder prefix of the URI), within (the URI is a folder prefix of the location). A {...} placeholder in a location matches any one path segment.
 */
export type UriRelation = 'exact' | 'contains' | 'within';
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
 * 200 answer of GET /artifact, sagemaker-lineage artifact and %lineage --artifact (docs/api.md): the pipelines of a region that write or read an S3 URI or prefix.
 */
export interface ArtifactResponse {
  demo?: DemoMarker;
  region: Region;
  /**
   * The URI or prefix asked about, as given.
   */
  uri: string;
  /**
   * Steps whose outputs relate to the URI, by pipeline name then step.
   */
  producers: ArtifactUse[];
  /**
   * Steps whose inputs relate to the URI, by pipeline name then step.
   */
  consumers: ArtifactUse[];
  /**
   * The pipelines that appear in producers or consumers, by name.
   */
  pipelines: ScannedPipeline[];
  /**
   * How many pipelines of the region (in the domain, when one was given) were read.
   */
  scanned: number;
  warnings: AnswerWarning[];
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
 * A pipeline that writes or reads the URI: its ListPipelines entry (lastModifiedTime: LastModifiedTime) and its newest ListPipelineExecutions entry (null when it never ran or could not be read).
 */
export interface ScannedPipeline {
  name: string;
  arn: PipelineArn;
  lastModifiedTime: Time;
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
