/* Generated from sagemaker_lineage_ext/core/schema/export-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

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
 * A drawing of the lineage: mermaid (a Mermaid flowchart LR), dot (a Graphviz digraph, rankdir LR).
 */
export type ExportFormat = 'mermaid' | 'dot';

/**
 * 200 answer of GET /export (docs/api.md): an execution's lineage drawn as text, the drawing sagemaker-lineage dump --format mermaid|dot writes.
 */
export interface ExportResponse {
  demo?: DemoMarker;
  /**
   * The pipeline's name (DescribePipeline.PipelineName).
   */
  pipeline: string;
  region: Region;
  /**
   * The execution drawn (its PipelineExecutionArn); null when the pipeline never ran and its definition is drawn.
   */
  execution: ExecutionArn | null;
  format: ExportFormat;
  /**
   * Whether the S3 artifacts are drawn between the steps that write and read them.
   */
  artifacts: boolean;
  /**
   * The drawing: one node per step (coloured by run.status, labelled with its name, type and elapsed time) and per artifact when drawn, one arrow per edge (styled by via); node ids are generated and every name is escaped for the format.
   */
  text: string;
  /**
   * The lineage read's warnings (what the drawing could not show).
   */
  warnings: AnswerWarning[];
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
