/**
 * The size an agent will report to Kasm once its instance runs: what the simulated
 * "startup script" registers, and what the OCI emulator's ListShapes answers, so the
 * plan's idea of a booting instance matches the agent it becomes.
 *
 * OCI: a flex shape takes oci_flex_cpus/oci_flex_memory_gb from the config; 1 OCPU is
 * 2 vCPUs on x86 and 1 on Ampere (A1/A2), as Kasm counts cores. Fixed shapes come from a
 * small table of common ones; anything else is taken as 1 OCPU / 16 GB (flex defaults).
 * GCP: the emulator's machine type table (predefined and custom-N-MB types), plus the
 * attached accelerators; an unknown type is taken as 4 vCPUs / 16 GB.
 */
import type { GcpProvider } from './gcp/schema.js';
import type { OciProvider } from './oci/schema.js';

export interface AgentShape {
  cores: number;
  memoryMb: number;
  gpus: number;
}

/** Fixed OCI shapes: OCPUs, GB, GPUs. */
const OCI_FIXED: Record<string, { ocpus: number; memoryGb: number; gpus: number }> = {
  'VM.Standard2.1': { ocpus: 1, memoryGb: 15, gpus: 0 },
  'VM.Standard2.2': { ocpus: 2, memoryGb: 30, gpus: 0 },
  'VM.Standard2.4': { ocpus: 4, memoryGb: 60, gpus: 0 },
  'VM.Standard2.8': { ocpus: 8, memoryGb: 120, gpus: 0 },
  'VM.Standard2.16': { ocpus: 16, memoryGb: 240, gpus: 0 },
  'VM.Standard.E2.1': { ocpus: 1, memoryGb: 8, gpus: 0 },
  'VM.Standard.E2.2': { ocpus: 2, memoryGb: 16, gpus: 0 },
  'VM.Standard.E2.4': { ocpus: 4, memoryGb: 32, gpus: 0 },
  'VM.Standard.E2.8': { ocpus: 8, memoryGb: 64, gpus: 0 },
  'VM.GPU2.1': { ocpus: 12, memoryGb: 72, gpus: 1 },
  'VM.GPU3.1': { ocpus: 6, memoryGb: 90, gpus: 1 },
  'VM.GPU3.2': { ocpus: 12, memoryGb: 180, gpus: 2 },
  'VM.GPU.A10.1': { ocpus: 15, memoryGb: 240, gpus: 1 },
  'VM.GPU.A10.2': { ocpus: 30, memoryGb: 480, gpus: 2 },
};

export const isFlexShape = (shape: string) => /\.Flex$/i.test(shape);
const vcpusPerOcpu = (shape: string) => (/\.A\d+(\.|$)/i.test(shape) ? 1 : 2);

/** OCPUs / GB / GPUs of the shape as ListShapes would describe it. */
export function ociShapeSpec(p: OciProvider): { ocpus: number; memoryGb: number; gpus: number } {
  const fixed = OCI_FIXED[p.oci_shape];
  if (fixed && !isFlexShape(p.oci_shape)) return fixed;
  return { ocpus: p.oci_flex_cpus ?? 1, memoryGb: p.oci_flex_memory_gb ?? 16, gpus: 0 };
}

export function ociAgentShape(p: OciProvider): AgentShape {
  const s = ociShapeSpec(p);
  return { cores: s.ocpus * vcpusPerOcpu(p.oci_shape), memoryMb: s.memoryGb * 1024, gpus: s.gpus };
}

export const GCP_UNKNOWN_MACHINE = { guestCpus: 4, memoryMb: 16384 };

export function gcpAgentShape(
  p: GcpProvider,
  spec:
    | { guestCpus: number; memoryMb: number; accelerators?: Array<{ guestAcceleratorCount: number }> }
    | undefined,
): AgentShape {
  const s = spec ?? GCP_UNKNOWN_MACHINE;
  const builtIn = (spec?.accelerators ?? []).reduce((n, a) => n + a.guestAcceleratorCount, 0);
  const attached = p.gcp_guest_accelerators.reduce((n, a) => n + a.acceleratorCount, 0);
  return { cores: s.guestCpus, memoryMb: s.memoryMb, gpus: builtIn + attached };
}
