/**
 * The server extension's answers, as the panel reads them: the types generated
 * from the JSON Schemas the server validates its answers against
 * (`sagemaker_lineage_ext/core/schema/`, `npm run generate:types`; docs/api.md
 * explains every field and the AWS field it comes from), under the names the
 * panel uses. Optional fields may be absent: the panel draws an answer without them.
 */
import type { ArtifactResponse, ArtifactUse } from './types/artifact-response';
import type {
  ArtifactCheck,
  CheckResponse,
  RuleCheck
} from './types/check-response';
import type {
  ArgumentChange,
  CompareResponse,
  NumberChange,
  StepComparison,
  StepVerdict
} from './types/compare-response';
import type { AccessDeniedBody, ErrorResponse } from './types/error-response';
import type { ExportFormat, ExportResponse } from './types/export-response';
import type {
  ExecutionsResponse,
  ExecutionSummary
} from './types/executions-response';
import type {
  Artifact,
  Edge,
  Iteration,
  LineageResponse,
  Node,
  Posture,
  Risk,
  Run,
  AnswerWarning
} from './types/lineage-response';
import type { OpenlineageResponse } from './types/openlineage-response';
import type {
  PipelineSummary,
  PipelinesResponse
} from './types/pipelines-response';

/** `GET /sagemaker-lineage/lineage`: one pipeline's lineage graph. */
export type ILineage = LineageResponse;
/** A step: the definition's step and, when an execution was read, its `run`. */
export type IStep = Node;
/** What a step did in the execution (ListPipelineExecutionSteps and the job's Describe call). */
export type IRun = Run;
/** Every `run.status` SageMaker reports for a step, plus `NotStarted` and `Unknown`. */
export type RunStatus = Run['status'];
/** One iteration of a step in a ForEach body (`run.iterations`). */
export type IIteration = Iteration;
/** Why one step comes after another (`via`: dependsOn, forEach, ref:Get, condition:if/else). */
export type IEdge = Edge;
/** An S3 location with its producers, consumers and its bucket's posture (`s3`). */
export type IArtifact = Artifact;
export type IPosture = Posture;
export type IWarning = AnswerWarning;
/** A path from a flagged artifact to a model registration step (`graph.risks[]`). */
export type IRisk = Risk;
/** A step of another pipeline that writes or reads a URI (`/artifact`, `upstreamPipelines`). */
export type IArtifactUse = ArtifactUse;

/** `GET /sagemaker-lineage/pipelines`: the region's pipelines with their latest execution. */
export type IPipelines = PipelinesResponse;
export type IPipelineSummary = PipelineSummary;

/** `GET /sagemaker-lineage/executions`: a pipeline's recent executions, newest first. */
export type IExecutions = ExecutionsResponse;
export type IExecutionSummary = ExecutionSummary;

/** The body of a non-200 answer (400, 404, 500); an access-denied 500 names the IAM action. */
export type IErrorBody = ErrorResponse;
export type IAccessDenied = AccessDeniedBody;

/** `GET /sagemaker-lineage/compare`: what changed between two executions of a pipeline. */
export type ICompare = CompareResponse;
/** One step of either execution's definition, compared (`steps[]`). */
export type IStepComparison = StepComparison;
/** What changed most about a step: added, removed, newlyFailing, ..., unchanged. */
export type Verdict = StepVerdict;
export type INumberChange = NumberChange;
export type IArgumentChange = ArgumentChange;

/** `GET /sagemaker-lineage/artifact`: the pipelines of a region that write or read a URI. */
export type IArtifactUses = ArtifactResponse;

/** `GET /sagemaker-lineage/check`: the posture gate's verdict (default policy). */
export type ICheck = CheckResponse;
export type IArtifactCheck = ArtifactCheck;
export type IRuleCheck = RuleCheck;

/** `GET /sagemaker-lineage/openlineage`: an execution as OpenLineage RunEvents. */
export type IOpenLineage = OpenlineageResponse;

/** `GET /sagemaker-lineage/export`: the lineage drawn as Mermaid or Graphviz DOT text. */
export type IExport = ExportResponse;
export type IExportFormat = ExportFormat;
