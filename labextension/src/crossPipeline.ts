/**
 * Lineage across pipelines: the other pipelines of the region whose steps write or
 * read an artifact (`upstreamPipelines` / `downstreamPipelines` of a lineage read with
 * `includeCrossPipeline=true`, or `GET /artifact?uri=`), grouped by pipeline, then
 * step. Pure functions.
 */
import type { IArtifact, IArtifactUse, IArtifactUses } from './contract';

/** One step of another pipeline that writes or reads the artifact. */
export interface IStepUse {
  step: string;
  stepType: string;
  /** The names of its inputs or outputs that relate to the URI. */
  locations: string[];
  /** How they relate: exact, contains (a folder of the URI), within (inside it). */
  relations: IArtifactUse['relation'][];
  /** Their URIs as the pipeline's definition resolves them. */
  uris: string[];
}

/** Another pipeline, with its steps that write (upstream) or read (downstream) it. */
export interface IPipelineUse {
  pipeline: string;
  arn: string;
  steps: IStepUse[];
}

/** The other pipelines that write (`upstream`) and read (`downstream`) an artifact. */
export interface ICrossPipelines {
  upstream: IPipelineUse[];
  downstream: IPipelineUse[];
}

/**
 * `uses` grouped by pipeline (by name) then step (in the order first seen), each
 * location once; the uses of pipeline `exclude` (the one shown) are left out.
 */
export function groupUses(
  uses: IArtifactUse[],
  exclude?: string
): IPipelineUse[] {
  const pipelines = new Map<string, IPipelineUse>();
  for (const use of uses) {
    if (use.pipeline === exclude) {
      continue;
    }
    let pipeline = pipelines.get(use.pipeline);
    if (!pipeline) {
      pipeline = { pipeline: use.pipeline, arn: use.arn, steps: [] };
      pipelines.set(use.pipeline, pipeline);
    }
    let step = pipeline.steps.find(s => s.step === use.step);
    if (!step) {
      step = {
        step: use.step,
        stepType: use.stepType,
        locations: [],
        relations: [],
        uris: []
      };
      pipeline.steps.push(step);
    }
    if (!step.locations.includes(use.location)) {
      step.locations.push(use.location);
      step.relations.push(use.relation);
      step.uris.push(use.uri);
    }
  }
  return [...pipelines.values()].sort((a, b) =>
    a.pipeline.localeCompare(b.pipeline)
  );
}

/**
 * The other pipelines an artifact of a lineage answer names, or null when the answer
 * was read without `includeCrossPipeline` (then nobody looked).
 */
export function artifactCrossPipelines(
  artifact: IArtifact
): ICrossPipelines | null {
  if (!artifact.upstreamPipelines && !artifact.downstreamPipelines) {
    return null;
  }
  return {
    upstream: groupUses(artifact.upstreamPipelines ?? []),
    downstream: groupUses(artifact.downstreamPipelines ?? [])
  };
}

/** The other pipelines of a `/artifact` answer: its producers and consumers but `self`. */
export function answerCrossPipelines(
  answer: IArtifactUses,
  self: string
): ICrossPipelines {
  return {
    upstream: groupUses(answer.producers, self),
    downstream: groupUses(answer.consumers, self)
  };
}
