/**
 * What a Compute Engine route is and what its handler gets. The pipeline in ../compute-api.ts
 * has already authenticated the caller, checked the project and applied the injected faults
 * by the time a handler runs, so a handler only reads or changes the world and returns the
 * JSON Google would answer (or throws a GoogleApiError).
 */
import type { Route, PathParams } from '../router.js';
import type { GcpSeed } from '../seed.js';
import { regionOfZone } from '../seed.js';
import { invalidField } from '../google-errors.js';
import type { World } from '../world.js';

/** The emulator's state every handler may use. */
export interface ComputeEnv {
  world: World;
  seed: GcpSeed;
  /** The emulator's lifecycle clock (ms). */
  now: () => number;
  /** Page size of list calls when maxResults is not given. */
  pageSize: number;
  /** True once the emulator is closing (a blocked wait stops). */
  closing: () => boolean;
}

export interface ComputeCall {
  env: ComputeEnv;
  project: string;
  /** The `{name}` segments of the route's path, decoded. */
  params: PathParams;
  query: URLSearchParams;
  /** The parsed JSON body (undefined on GET and DELETE). */
  body: unknown;
  /** The caller's service account email (operations record it as `user`). */
  user: string;
  /** True once the client has gone away (a blocked wait stops). */
  gone: () => boolean;
}

export interface ComputeRoute extends Route {
  /** The API method's name as Google's discovery document has it: logged, and what faults select on. */
  api: string;
  /** Set on routes that change something: the IAM permission a read-only caller lacks. */
  write?: { permission: string };
  handler: (c: ComputeCall) => unknown;
}

/** A zone the world knows, or the 400 Compute Engine answers for one it does not. */
export function zoneOf(c: ComputeCall): string {
  const z = c.params.zone;
  if (!regionOfZone(c.env.seed, z)) throw invalidField('zone', z, 'Unknown zone.');
  return z;
}

/** The idempotency key of a write (`?requestId=`), when the caller sent one. */
export const requestIdOf = (c: ComputeCall): string | undefined => c.query.get('requestId') ?? undefined;
