import { OCI_MODELS, OCI_ROOT_MODEL, type OciFieldSpec } from './fields.generated.js';
import { deepMerge } from '../../core/fields/merge.js';
import { OCI_MODEL_NAME_KEY, translateOciOverride } from './override.js';

/**
 * `spot: true` on an OCI provider: preemptible capacity. The request is
 * LaunchInstanceDetails.preemptibleInstanceConfig with a TERMINATE preemption action
 * that does not keep the boot volume (a preempted agent is replaced, not resumed). Every
 * key name, model name and the discriminator value are read from oci-core's own model
 * typings (oci-fields.generated.ts): nothing here is spelt by hand except which field
 * to look up, and a missing one fails at load, not on the wire.
 */

function field(model: string, camel: string): OciFieldSpec {
  const f = OCI_MODELS[model]?.fields[camel];
  if (!f)
    throw new Error(`${model}.${camel} is not in oci-core's models (regenerate oci-fields.generated.ts)`);
  return f;
}

const CONFIG = 'preemptibleInstanceConfig';
const CONFIG_SPEC = field(OCI_ROOT_MODEL, CONFIG);
const CONFIG_MODEL = CONFIG_SPEC.models![0];
const ACTION = 'preemptionAction';
const ACTION_SPEC = field(CONFIG_MODEL, ACTION);
/** The subtype whose discriminator says "terminate" (the only preemption action oci-core knows). */
const TERMINATE_MODEL: string = (() => {
  const m = ACTION_SPEC.models!.find((x) => OCI_MODELS[x].discriminator?.value === 'TERMINATE');
  if (!m) throw new Error('oci-core has no TERMINATE preemption action');
  return m;
})();
const TERMINATE = OCI_MODELS[TERMINATE_MODEL].discriminator!;
const PRESERVE = 'preserveBootVolume';
const PRESERVE_SPEC = field(TERMINATE_MODEL, PRESERVE);

/** The REST (camelCase) fields `spot: true` adds to LaunchInstanceDetails. */
export function ociSpotDetails(): Record<string, unknown> {
  return { [CONFIG]: { [ACTION]: { [TERMINATE.field]: TERMINATE.value, [PRESERVE]: false } } };
}

/**
 * The same fields in the Python SDK's form Kasm's `oci_config_override` is written in
 * (snake_case, OCI_MODEL_NAME hints), for `config submit`: Kasm builds its launch with
 * the Python SDK, so this is what makes a launch by Kasm preemptible too.
 */
export function ociSpotOverride(): Record<string, unknown> {
  return {
    launch_instance_details: {
      [CONFIG_SPEC.snake]: {
        [OCI_MODEL_NAME_KEY]: CONFIG_MODEL,
        [ACTION_SPEC.snake]: {
          [OCI_MODEL_NAME_KEY]: TERMINATE_MODEL,
          [field(TERMINATE_MODEL, TERMINATE.field).snake]: TERMINATE.value,
          [PRESERVE_SPEC.snake]: false,
        },
      },
    },
  };
}

/** LaunchInstanceDetails fields OCI does not combine with preemptible capacity (OCI's "Preemptible Instances" page). */
const NOT_WITH_PREEMPTIBLE = [
  [CONFIG, 'spot: true sets it; remove it from the override'],
  ['capacityReservationId', 'preemptible capacity cannot use a capacity reservation'],
  ['dedicatedVmHostId', 'preemptible capacity cannot run on a dedicated VM host'],
] as const;
for (const [f] of NOT_WITH_PREEMPTIBLE) field(OCI_ROOT_MODEL, f);

/**
 * Why `spot: true` cannot go with this provider, one line each: an override that already
 * decides the capacity type, a bare metal shape or VM.Standard.E2.1.Micro, a burstable
 * baseline (OCI: preemptible capacity supports no bare metal and no burstable instances).
 */
export function ociSpotProblems(p: {
  oci_shape?: unknown;
  oci_baseline_ocpu_utilization?: unknown;
  oci_config_override?: unknown;
}): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  const shape = typeof p.oci_shape === 'string' ? p.oci_shape : '';
  if (/^BM\./i.test(shape))
    out.push({
      key: 'oci_shape',
      message: `spot: true needs a VM shape; ${shape} is bare metal, which OCI does not offer as preemptible capacity`,
    });
  else if (/^VM\.Standard\.E2\.1\.Micro$/i.test(shape))
    out.push({
      key: 'oci_shape',
      message: `spot: true: ${shape} (Always Free) is not offered as preemptible capacity; choose another VM shape`,
    });
  const baseline = p.oci_baseline_ocpu_utilization;
  if (typeof baseline === 'string' && baseline !== 'BASELINE_1_1')
    out.push({
      key: 'oci_baseline_ocpu_utilization',
      message: `spot: true cannot be burstable (${baseline}); OCI preemptible instances run at BASELINE_1_1: remove the key`,
    });
  const override =
    typeof p.oci_config_override === 'object' && p.oci_config_override !== null
      ? (p.oci_config_override as Record<string, unknown>)
      : undefined;
  const { details } = translateOciOverride(override);
  for (const [f, why] of NOT_WITH_PREEMPTIBLE)
    if (details[f] !== undefined && details[f] !== null)
      out.push({
        key: 'oci_config_override',
        message: `spot: true and launch_instance_details.${field(OCI_ROOT_MODEL, f).snake} contradict: ${why}`,
      });
  const shapeConfig = details.shapeConfig as Record<string, unknown> | undefined;
  const b = shapeConfig?.baselineOcpuUtilization;
  if (typeof b === 'string' && b !== 'BASELINE_1_1')
    out.push({
      key: 'oci_config_override',
      message: `spot: true cannot be burstable (shape_config.baseline_ocpu_utilization ${b}); remove it from the override`,
    });
  return out;
}

/**
 * The override as launches use it and `config submit` sends it: the file's
 * `oci_config_override`, plus the spot fields when `spot: true` (validation has refused an
 * override that contradicts them). One function, so Kasm and kasm-scale launch alike.
 */
export function ociOverrideWithSpot(p: {
  spot?: boolean;
  oci_config_override?: Record<string, unknown>;
}): Record<string, unknown> | undefined {
  if (!p.spot) return p.oci_config_override;
  return deepMerge(p.oci_config_override ?? {}, ociSpotOverride());
}

/**
 * What OCI refuses in a LaunchInstanceDetails that asks for preemptible capacity (the
 * emulator answers it as 400 InvalidParameter): the same facts as ociSpotProblems.
 */
export function ociSpotRestProblem(d: Record<string, unknown>): string | undefined {
  if (!d[CONFIG]) return undefined;
  const shapeConfig = (d.shapeConfig ?? {}) as Record<string, unknown>;
  const [first] = ociSpotProblems({
    oci_shape: d.shape,
    oci_baseline_ocpu_utilization: shapeConfig.baselineOcpuUtilization,
  });
  if (first) return first.message.replace(/^spot: true/, 'preemptible capacity');
  for (const [f, why] of NOT_WITH_PREEMPTIBLE.slice(1))
    if (d[f] !== undefined && d[f] !== null)
      return `${f} cannot be set with preemptibleInstanceConfig: ${why}`;
  return undefined;
}
