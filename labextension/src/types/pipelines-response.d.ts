/* Generated from sagemaker_lineage_ext/core/schema/pipelines-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

export interface PipelinesResponse {
  region: string;
  pipelines: {
    name: string;
    arn: string;
    displayName?: string | null;
    description?: string | null;
    creationTime?: string | null;
    lastModifiedTime: string | null;
    lastExecutionTime?: string | null;
    latestExecution: null | {
      arn: string;
      status: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
      startTime: string | null;
    };
  }[];
  warnings: {}[];
}
