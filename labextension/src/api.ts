/**
 * The one way the panel talks to the server extension:
 * `GET {base_url}/sagemaker-lineage/<route>?<params>`, authenticated like every
 * Jupyter API call (ServerConnection adds the token / XSRF header).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { errorMessage, LineageApiError } from './api-errors';
import type {
  IAccessDenied,
  IArtifactUses,
  ICheck,
  ICompare,
  IExecutions,
  IExport,
  IExportFormat,
  ILineage,
  IOpenLineage,
  IPipelines
} from './contract';

export { LineageApiError };

type Params = Record<string, string | number | boolean | null | undefined>;

/** The routes of the route table (`core/routes.py`) the panel reads. */
export type Route =
  | 'lineage'
  | 'pipelines'
  | 'executions'
  | 'compare'
  | 'artifact'
  | 'check'
  | 'openlineage'
  | 'export';

/** GET a route of the server extension; rejects with LineageApiError. */
export async function requestAPI<T>(
  route: Route,
  params: Params = {},
  signal?: AbortSignal
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const query = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`
    )
    .join('&');
  const url =
    URLExt.join(settings.baseUrl, 'sagemaker-lineage', route) +
    (query ? `?${query}` : '');
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      url,
      { method: 'GET', signal },
      settings
    );
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      throw error;
    }
    throw new LineageApiError(
      `the Jupyter server did not answer (${(error as Error).message})`,
      0
    );
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const errorBody = (
      body && typeof body === 'object' ? body : {}
    ) as Partial<IAccessDenied>;
    if (response.status === 404 && !errorBody.message) {
      throw new LineageApiError(
        'the sagemaker-lineage server extension is not loaded (404): see "Install in SageMaker Studio" in the README',
        404
      );
    }
    throw new LineageApiError(
      errorMessage(response.status, errorBody),
      response.status,
      errorBody
    );
  }
  if (body === null) {
    throw new LineageApiError(
      'the server answered with no JSON',
      response.status
    );
  }
  return body as T;
}

export function fetchPipelines(
  query: { region?: string; domain?: string; prefix?: string },
  signal?: AbortSignal
): Promise<IPipelines> {
  return requestAPI<IPipelines>('pipelines', query, signal);
}

export function fetchExecutions(
  query: { pipeline: string; region?: string; limit?: number },
  signal?: AbortSignal
): Promise<IExecutions> {
  return requestAPI<IExecutions>('executions', query, signal);
}

export function fetchLineage(
  query: {
    pipeline: string;
    region?: string;
    executionArn?: string;
    /** Each artifact also lists the other pipelines of the region that write or read it. */
    includeCrossPipeline?: boolean;
  },
  signal?: AbortSignal
): Promise<ILineage> {
  return requestAPI<ILineage>(
    'lineage',
    { ...query, includeCrossPipeline: query.includeCrossPipeline || undefined },
    signal
  );
}

/** Two executions compared (`base` absent: the one before `head`; `head` absent: the latest). */
export function fetchCompare(
  query: { pipeline: string; region?: string; base?: string; head?: string },
  signal?: AbortSignal
): Promise<ICompare> {
  return requestAPI<ICompare>('compare', query, signal);
}

/** The pipelines of the region whose steps write or read `uri` (an S3 URI or prefix). */
export function fetchArtifact(
  query: { uri: string; region?: string },
  signal?: AbortSignal
): Promise<IArtifactUses> {
  return requestAPI<IArtifactUses>('artifact', query, signal);
}

/** The posture gate (the default policy) on an execution's S3 data. */
export function fetchCheck(
  query: { pipeline: string; region?: string; executionArn?: string },
  signal?: AbortSignal
): Promise<ICheck> {
  return requestAPI<ICheck>('check', query, signal);
}

/** An execution as OpenLineage RunEvents. */
export function fetchOpenLineage(
  query: { pipeline: string; region?: string; executionArn?: string },
  signal?: AbortSignal
): Promise<IOpenLineage> {
  return requestAPI<IOpenLineage>('openlineage', query, signal);
}

/** The lineage of an execution drawn as Mermaid or Graphviz DOT text. */
export function fetchExport(
  query: {
    pipeline: string;
    region?: string;
    executionArn?: string;
    format: IExportFormat;
    artifacts?: boolean;
  },
  signal?: AbortSignal
): Promise<IExport> {
  return requestAPI<IExport>(
    'export',
    { ...query, artifacts: query.artifacts || undefined },
    signal
  );
}
