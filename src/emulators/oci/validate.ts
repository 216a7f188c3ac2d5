import { OCI_MODELS, OCI_ROOT_MODEL, OCI_UPDATE_MODEL } from '../../clouds/oci/fields.generated.js';
import { ociRestProblems } from '../../clouds/oci/values.js';

/**
 * What the OCI Compute API accepts in a LaunchInstance / UpdateInstance body: the fields,
 * value types, enum values and documented ranges of oci-core's own models, from the same
 * generated tables `config validate` checks overrides with (so the two cannot drift). The
 * SDK passes unknown keys, snake_case keys and wrong values straight to the wire, so the
 * emulator is where such a mistake must show up: it answers 400 InvalidParameter as the
 * real service does.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const invalid = (message: string) => new ApiError(400, 'InvalidParameter', message);

/** `launchInstanceDetails` + ['agentConfig', 'pluginsConfig', 0] → `launchInstanceDetails.agentConfig.pluginsConfig[0]` */
function at(root: string, path: (string | number)[]): string {
  return path.reduce<string>((p, seg) => (typeof seg === 'number' ? `${p}[${seg}]` : `${p}.${seg}`), root);
}

/** The first thing the service would refuse in a body of `model`, as its 400. */
function checkModel(root: string, model: string, body: unknown): void {
  const [first] = ociRestProblems(body, { t: 'model', models: [model] }, { rootRequired: false });
  if (!first) return;
  if (first.path.length === 0) throw invalid(`${root} ${first.message}`);
  if (first.kind === 'unknown')
    throw invalid(`Unknown field ${at(root, first.path)}${first.message.slice('unknown field'.length)}`);
  if (first.kind === 'missing')
    throw new ApiError(400, 'MissingParameter', `Missing required parameter ${at(root, first.path)}.`);
  throw invalid(`Invalid value for ${at(root, first.path)}: ${first.message}`);
}

/** Top-level fields LaunchInstance requires (oci-core declares them without `?`). */
const LAUNCH_REQUIRED = Object.entries(OCI_MODELS[OCI_ROOT_MODEL].fields)
  .filter(([, f]) => f.required)
  .map(([k]) => k);

/** Throws ApiError 400 on a body the real LaunchInstance would refuse. */
export function validateLaunch(body: unknown): asserts body is Record<string, unknown> {
  checkModel('launchInstanceDetails', OCI_ROOT_MODEL, body);
  const b = body as Record<string, any>;
  for (const req of LAUNCH_REQUIRED) {
    if (b[req] === undefined || b[req] === null || b[req] === '')
      throw new ApiError(400, 'MissingParameter', `Missing required parameter ${req}.`);
  }
  if (!b.sourceDetails && !b.imageId)
    throw new ApiError(400, 'MissingParameter', 'Missing required parameter sourceDetails.');
  if (!b.createVnicDetails?.subnetId && !b.subnetId)
    throw new ApiError(400, 'MissingParameter', 'Missing required parameter createVnicDetails.subnetId.');
  const userData = b.metadata?.user_data;
  if (userData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData))
    throw invalid('metadata.user_data must be base64');
  const size = Buffer.byteLength(JSON.stringify({ ...b.metadata, ...b.extendedMetadata }));
  if (size > 32_000) throw invalid('metadata and extendedMetadata together must be under 32,000 bytes');
}

export function validateUpdate(body: unknown): asserts body is Record<string, unknown> {
  checkModel('updateInstanceDetails', OCI_UPDATE_MODEL, body);
}
