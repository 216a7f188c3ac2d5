/**
 * What an OCI API route handler is given and gives back. Handlers throw ApiError for the
 * service's refusals; the front door (../serve.ts) turns that into OCI's error JSON
 * (`{ code, message }` with an `opc-request-id`), records the request and answers.
 */
import type { IncomingMessage } from 'node:http';
import type { OciOperation } from '../faults.js';
import { ApiError } from '../validate.js';
import type { OciWorld } from '../world.js';

export interface OciCall {
  req: IncomingMessage;
  url: URL;
  /** The path's `:name` segments, percent-decoded. */
  params: Record<string, string>;
  /** The body as received (a retry token is matched on its hash). */
  raw: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One Compute/Identity/Network API operation, under /20160918. */
export interface ComputeRoute {
  method: string;
  path: string;
  /** The SDK's name for it: faults are armed per operation, and requests are recorded by it. */
  operation: OciOperation;
  handler: (w: OciWorld, call: OciCall) => Answer;
}

export const NOT_FOUND_MESSAGE = 'Authorization failed or requested resource not found.';

/** OCI's one answer for "no such resource" and "not yours": it never tells the two apart. */
export const notFound = () => new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND_MESSAGE);
