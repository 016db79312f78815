/* Generated from sagemaker_lineage_ext/core/schema/error-response.schema.json by scripts/generate-types.mjs (npm run generate:types). Do not edit. */

/**
 * Body of every 400, 404 and 500 answer on every HTTP route (docs/api.md).
 */
export type ErrorResponse = ErrorBody | InternalErrorBody | AccessDeniedBody;

/**
 * 400 (the message names the parameter) and 404 (always the same sentence).
 */
export interface ErrorBody {
  message: string;
}
/**
 * 500: never the cause; the server log (or CloudWatch) has it under the requestId.
 */
export interface InternalErrorBody {
  message: 'internal error';
  requestId: string;
}
/**
 * 500 when the reading role may not read the pipeline itself: the IAM action to grant (one of the read-only actions in docs/api.md), never AWS's own message (it names the role); details in the log under the requestId.
 */
export interface AccessDeniedBody {
  message: string;
  requestId: string;
  code: 'AccessDenied';
  action: string;
}
