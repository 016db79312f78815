/**
 * The server extension's answers, as the panel reads them.
 *
 * The shapes are generated from the JSON Schemas the server validates its answers
 * against (`src/types/*.d.ts`, `npm run generate:types`); this module names them
 * for the rest of the panel and adds the fields a newer server may send that an
 * older schema does not list yet. Every such field is optional: the panel must
 * draw an answer that lacks it.
 */
import type {
  Artifact,
  Edge,
  LineageResponse,
  Node,
  Posture,
  Run,
  Warning
} from './types/lineage-response';
import type { PipelinesResponse } from './types/pipelines-response';

export type { Artifact, Posture, Warning };

/** Every `run.status` SageMaker reports for a step (ListPipelineExecutionSteps `StepStatus`), plus `NotStarted`. */
export type RunStatus = Run['status'];

/** One iteration of a step inside a ForEach body (`run.iterations`). */
export interface IIteration {
  index: number;
  status: string;
  startTime?: string | null;
  endTime?: string | null;
  jobArn?: string | null;
  failureReason?: string | null;
}

/** A step's run: what ListPipelineExecutionSteps and the job's Describe call said. */
export type IRun = Run & {
  /** Selective execution: the execution this step's result was reused from. */
  reusedFrom?: string | null;
  /** Per-item runs of a step in a ForEach body. */
  iterations?: IIteration[];
};

/** A step: the definition's step plus its run in the shown execution. */
export type IStep = Omit<Node, 'run'> & { run?: IRun };

/** An edge; `forEach` joins a ForEach step to each step of its body (`items`: item count). */
export type IEdge = Omit<Edge, 'via'> & {
  via: Edge['via'] | 'forEach';
  items?: number | null;
};

/** An S3 artifact; `s3.readAt` is when its bucket's posture was read. */
export type IArtifact = Omit<Artifact, 's3'> & {
  s3: (Posture & { readAt?: string | null }) | null;
};

/** `GET /sagemaker-lineage/lineage`: SPEC's lineage response. */
export type ILineage = Omit<LineageResponse, 'pipeline' | 'graph'> & {
  /** Only on answers read from the embedded demo account. */
  demo?: boolean;
  pipeline:
    (NonNullable<LineageResponse['pipeline']> & { region?: string }) | null;
  graph: { nodes: IStep[]; edges: IEdge[]; artifacts: IArtifact[] };
};

/** `GET /sagemaker-lineage/pipelines`: the region's pipelines with their latest execution. */
export type IPipelines = PipelinesResponse & { demo?: boolean };
export type IPipelineSummary = PipelinesResponse['pipelines'][number];

/** One execution in `GET /sagemaker-lineage/executions` (ListPipelineExecutions). */
export interface IExecutionSummary {
  arn: string;
  displayName?: string | null;
  status?: string | null;
  startTime?: string | null;
  failureReason?: string | null;
}

/** `GET /sagemaker-lineage/executions`: a pipeline's recent executions, newest first. */
export interface IExecutions {
  pipeline: string;
  region: string;
  executions: IExecutionSummary[];
  warnings?: Warning[];
  demo?: boolean;
}

/** The body of every non-200 answer (SPEC: 400, 404, 500). */
export interface IErrorBody {
  message: string;
  requestId?: string;
  code?: string;
  action?: string;
}
