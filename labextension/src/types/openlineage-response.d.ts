/* Generated from sagemaker_lineage_ext/core/schema/openlineage-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

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
 * OpenLineage RunEvent eventType: START at the run's start, RUNNING while it runs (at the time of the read), COMPLETE / FAIL / ABORT at its end.
 */
export type OpenLineageEventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

/**
 * 200 answer of GET /openlineage, sagemaker-lineage openlineage (without --url or --datazone-domain) and %lineage --openlineage (docs/api.md): a pipeline execution as OpenLineage RunEvents.
 */
export interface OpenlineageResponse {
  demo?: DemoMarker;
  /**
   * The pipeline's name (DescribePipeline.PipelineName).
   */
  pipeline: string;
  region: Region;
  execution: ExecutionArn;
  /**
   * The jobs' OpenLineage namespace: arn:<partition>:sagemaker:<region>:<account>.
   */
  namespace: string;
  /**
   * The execution's START first and its COMPLETE/FAIL/ABORT (or RUNNING) last; the steps' events between, by time.
   */
  events: OpenLineageRunEvent[];
  warnings: AnswerWarning[];
}
/**
 * An OpenLineage RunEvent (spec 2-0-2), as the OpenLineage Python client serialises it.
 */
export interface OpenLineageRunEvent {
  eventTime: string;
  producer: string;
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
  eventType: OpenLineageEventType;
  run: OpenLineageRun;
  job: OpenLineageJob;
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
}
export interface OpenLineageRun {
  /**
   * A UUIDv7, stable: from the run's start time and its ARN (the execution's, or the execution's and the step's name).
   */
  runId: string;
  facets: OpenLineageFacets;
}
/**
 * Facets by name (OpenLineage's and this project's sagemakerLineage_* facets, whose JSON Schemas are in schema/facets/); each has _producer and _schemaURL.
 */
export interface OpenLineageFacets {
  [k: string]: {};
}
export interface OpenLineageJob {
  /**
   * arn:<partition>:sagemaker:<region>:<account>.
   */
  namespace: string;
  /**
   * The pipeline's name (the execution), or <pipeline>.<step> (a step).
   */
  name: string;
  facets: OpenLineageFacets;
}
/**
 * An S3 input or output of a step in OpenLineage's S3 naming; inputs have inputFacets, outputs outputFacets.
 */
export interface OpenLineageDataset {
  /**
   * s3://<bucket>.
   */
  namespace: string;
  /**
   * The object key (or key prefix).
   */
  name: string;
  facets: OpenLineageFacets;
  inputFacets?: OpenLineageFacets;
  outputFacets?: OpenLineageFacets;
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
