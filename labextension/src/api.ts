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
  IExecutions,
  ILineage,
  IPipelines
} from './contract';

export { LineageApiError };

type Params = Record<string, string | number | boolean | null | undefined>;

/** GET a route of the server extension; rejects with LineageApiError. */
export async function requestAPI<T>(
  route: 'lineage' | 'pipelines' | 'executions',
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
  query: { pipeline: string; region?: string; executionArn?: string },
  signal?: AbortSignal
): Promise<ILineage> {
  return requestAPI<ILineage>('lineage', query, signal);
}
