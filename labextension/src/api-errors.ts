/**
 * Errors of the server extension's answers, as the panel shows them. Pure (no
 * JupyterLab imports), so the unit tests can load it.
 */
import type { IAccessDenied } from './contract';

/** A non-200 answer, or no answer at all. `message` is what the panel shows. */
export class LineageApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: Partial<IAccessDenied> = {}
  ) {
    super(message);
    this.name = 'LineageApiError';
  }

  /** The IAM action a denied read names (`sagemaker:ListPipelines`), if any. */
  get action(): string | null {
    return this.body.action ?? deniedAction(this.message);
  }
}

/** The IAM action in an "access denied: the AWS role cannot call X" message. */
export function deniedAction(message: string): string | null {
  const match = /access denied[^:]*:.*?\b((?:sagemaker|s3):[A-Za-z]+)/i.exec(
    message
  );
  return match ? match[1] : null;
}

/** What a user reads for an error body: SPEC's message, plus the request id of a 500. */
export function errorMessage(
  status: number,
  body: Partial<IAccessDenied>
): string {
  const message = body.message || `the server answered ${status}`;
  if (status >= 500 && body.requestId) {
    return `${message} (requestId ${body.requestId}: the Jupyter server log has the details)`;
  }
  return message;
}
