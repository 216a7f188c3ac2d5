/**
 * Compute instances after launch (launch.ts): list, get, update and terminate, with the
 * etag / `if-match` checks the SDK's optimistic updates rely on.
 */
import { listOrder } from '../list-order.js';
import type { StoredInstance } from '../store.js';
import { ApiError, validateUpdate } from '../validate.js';
import type { OciWorld } from '../world.js';
import { notFound, type Answer, type OciCall } from './call.js';
import { pageOf, requireParam } from './read-helpers.js';

export function listInstances(w: OciWorld, { url }: OciCall): Answer {
  const compartmentId = requireParam(url, 'compartmentId');
  const ad = url.searchParams.get('availabilityDomain');
  const ls = url.searchParams.get('lifecycleState');
  const displayName = url.searchParams.get('displayName');
  const items = w.state.instances
    .filter((i) => i.details.compartmentId === compartmentId)
    .filter((i) => !ad || i.details.availabilityDomain === ad)
    .filter((i) => !displayName || i.displayName === displayName)
    .map((i) => w.view(i))
    .filter((j) => !ls || j.lifecycleState === ls)
    .sort(listOrder(url.searchParams.get('sortBy'), url.searchParams.get('sortOrder')));
  return pageOf(w, items, url);
}

export function getInstance(w: OciWorld, { params }: OciCall): Answer {
  const i = existing(w, params.instanceId);
  return { status: 200, body: w.view(i), headers: { etag: w.etagOf(i) } };
}

export function updateInstance(w: OciWorld, { req, params, body }: OciCall): Answer {
  const id = params.instanceId;
  const i = existing(w, id);
  if (body === undefined) throw new ApiError(400, 'InvalidParameter', 'Request body is not valid JSON.');
  validateUpdate(body);
  checkIfMatch(w, i, req.headers['if-match']);
  if (w.stateOf(i) === 'TERMINATED' || w.stateOf(i) === 'TERMINATING')
    throw new ApiError(409, 'IncorrectState', `Instance ${id} is ${w.stateOf(i)}.`);
  const u = body as Record<string, any>;
  // Tag maps are replaced whole, as the real API does (no merge).
  if (u.freeformTags) i.freeformTags = { ...u.freeformTags };
  if (u.definedTags) i.definedTags = { ...u.definedTags };
  if (typeof u.displayName === 'string') i.displayName = u.displayName;
  i.version++;
  w.save();
  return { status: 200, body: w.view(i), headers: { etag: w.etagOf(i) } };
}

export function terminateInstance(w: OciWorld, { req, params }: OciCall): Answer {
  const i = existing(w, params.instanceId);
  checkIfMatch(w, i, req.headers['if-match']);
  if (i.terminateRequestedAt === undefined) {
    // Record whether it had reached RUNNING, so a late read still emits 'running' first.
    if (i.runningAt !== null && i.runningAt > w.now()) i.runningAt = null;
    i.terminateRequestedAt = w.now();
    i.version++;
    w.save();
  }
  return { status: 204 };
}

function existing(w: OciWorld, id: string): StoredInstance {
  const i = w.findInstance(id);
  if (!i) throw notFound();
  return i;
}

function checkIfMatch(w: OciWorld, i: StoredInstance, ifMatch: string | string[] | undefined): void {
  if (typeof ifMatch === 'string' && ifMatch !== w.etagOf(i))
    throw new ApiError(412, 'NoEtagMatch', 'The resource has changed since the etag was read.');
}
