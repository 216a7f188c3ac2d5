import { GCP_MESSAGES, type GcpFieldSpec } from './fields.generated.js';
import { deepMerge, isPlainObject } from '../../core/fields/merge.js';

/**
 * `spot: true` on a GCP provider: a Spot VM. Instance.scheduling gets
 * provisioningModel SPOT, instanceTerminationAction DELETE, automaticRestart false and
 * onHostMaintenance TERMINATE (Spot VMs cannot live-migrate or restart themselves).
 * DELETE rather than STOP: kasm-scale replaces a preempted agent with a new instance; a
 * stopped one would keep its disk (billed), count against max_instances, and come back
 * with a stale agent identity if anyone started it. Field names and enum values are read
 * from the compute protos (gcp-fields.generated.ts); a missing one fails at load.
 */

function fieldSpec(message: string, name: string): GcpFieldSpec {
  const f = GCP_MESSAGES[message]?.[name];
  if (!f)
    throw new Error(`${message}.${name} is not in the compute protos (regenerate gcp-fields.generated.ts)`);
  return f;
}

function enumValue(message: string, name: string, value: string): string {
  const v = fieldSpec(message, name).value;
  if (v.t !== 'enum' || !v.values.includes(value))
    throw new Error(`${message}.${name} has no enum value ${value} in the compute protos`);
  return value;
}

const SCHEDULING = 'scheduling';
const MESSAGE = (() => {
  const s = fieldSpec('Instance', SCHEDULING);
  if (!s.type) throw new Error('Instance.scheduling is not a message');
  return s.type;
})();

const SPOT_SCHEDULING: Record<string, unknown> = {
  provisioningModel: enumValue(MESSAGE, 'provisioningModel', 'SPOT'),
  instanceTerminationAction: enumValue(MESSAGE, 'instanceTerminationAction', 'DELETE'),
  automaticRestart: false,
  onHostMaintenance: enumValue(MESSAGE, 'onHostMaintenance', 'TERMINATE'),
};
if (fieldSpec(MESSAGE, 'automaticRestart').value.t !== 'bool')
  throw new Error('Scheduling.automaticRestart is not a bool');
/** The legacy flag: GCE takes either it or provisioningModel SPOT, not both. */
const LEGACY = 'preemptible';
fieldSpec(MESSAGE, LEGACY);

/** The Instance fields `spot: true` adds (merged over the rest, the override included). */
export function gcpSpotFields(): Record<string, unknown> {
  return { [SCHEDULING]: { ...SPOT_SCHEDULING } };
}

/**
 * Machine families GCE does not sell as Spot VMs, as far as Google's machine family pages
 * say: bare metal machine types (`-metal`) and the H3 and M2 series. Unsure facts are
 * decided on the side of a clear error now rather than a refused launch at 3 a.m.
 */
const NO_SPOT = [
  { test: /-metal$/, why: 'bare metal machine types are not offered as Spot VMs' },
  { test: /^h3-/, why: 'the H3 series does not offer Spot VMs' },
  { test: /^m2-/, why: 'the M2 series does not offer Spot VMs' },
];

/** Why `spot: true` cannot go with this provider, one line each. */
export function gcpSpotProblems(p: {
  gcp_machine_type?: unknown;
  gcp_config_override?: unknown;
}): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  const type = typeof p.gcp_machine_type === 'string' ? p.gcp_machine_type.split('/').pop()! : '';
  const no = NO_SPOT.find((n) => n.test.test(type));
  if (no) out.push({ key: 'gcp_machine_type', message: `spot: true: ${type}: ${no.why}` });
  const o = p.gcp_config_override;
  const s = isPlainObject(o) && isPlainObject(o[SCHEDULING]) ? o[SCHEDULING] : undefined;
  if (!s) return out;
  for (const [k, want] of Object.entries(SPOT_SCHEDULING))
    if (s[k] !== undefined && s[k] !== null && s[k] !== want)
      out.push({
        key: 'gcp_config_override',
        message: `spot: true and scheduling.${k} ${JSON.stringify(s[k])} contradict: spot sets ${JSON.stringify(want)}; remove it from the override`,
      });
  if (s[LEGACY] !== undefined && s[LEGACY] !== null)
    out.push({
      key: 'gcp_config_override',
      message: `spot: true and scheduling.${LEGACY} contradict: spot uses provisioningModel SPOT; remove ${LEGACY} from the override`,
    });
  return out;
}

/**
 * The override as launches use it and `config submit` sends it: the file's
 * `gcp_config_override`, plus the spot scheduling when `spot: true` (validation has
 * refused an override that contradicts it). One function, so Kasm and kasm-scale launch alike.
 */
export function gcpOverrideWithSpot(p: {
  spot?: boolean;
  gcp_config_override?: Record<string, unknown>;
}): Record<string, unknown> | undefined {
  if (!p.spot) return p.gcp_config_override;
  return deepMerge(p.gcp_config_override ?? {}, gcpSpotFields());
}

/**
 * What Compute Engine refuses in an Instance that asks for Spot (the emulator answers it
 * as 400 invalid): a machine family without Spot, or scheduling a Spot VM cannot have
 * (automatic restart, live migration).
 */
export function gcpSpotRequestProblem(
  body: Record<string, unknown>,
  machineType: string,
): string | undefined {
  const s = isPlainObject(body[SCHEDULING]) ? body[SCHEDULING] : {};
  if (s.provisioningModel !== 'SPOT' && s.preemptible !== true) return undefined;
  const no = NO_SPOT.find((n) => n.test.test(machineType));
  if (no) return `Invalid value for field 'resource.machineType': '${machineType}'. ${no.why}.`;
  if (s.automaticRestart === true)
    return "Invalid value for field 'resource.scheduling.automaticRestart': 'true'. Spot and preemptible instances cannot be automatically restarted.";
  if (s.onHostMaintenance === 'MIGRATE')
    return "Invalid value for field 'resource.scheduling.onHostMaintenance': 'MIGRATE'. Spot and preemptible instances must terminate on host maintenance.";
  return undefined;
}
