/**
 * Makes the OCI emulator accept what a config will ask for: every OCI provider's API key
 * (the public half derived from oci_private_key, registered under the config's own
 * tenancy/user/fingerprint), its ADs, compartment, image, subnet, NSGs and shape.
 */
import type { OciEmulator, OciSeed, SeedShape } from './index.js';
import { inspectKey } from '../../clouds/oci/key-inspect.js';
import { isFlexShape, ociShapeSpec } from '../../clouds/agent-shapes.js';
import type { OciProvider } from '../../clouds/oci/schema.js';

const uniq = <T>(xs: T[]) => [...new Set(xs)];

export function seedOci(emu: OciEmulator, providers: OciProvider[]): void {
  const seed: Required<OciSeed> & { shapes: SeedShape[] } = {
    availabilityDomains: [],
    compartments: [],
    images: [],
    subnets: [],
    networkSecurityGroups: [],
    shapes: [],
  };
  for (const p of providers) {
    // The emulator keeps only the public half; the private key never leaves this process.
    const pub = inspectKey(p.oci_private_key ?? '', p.oci_private_key_passphrase).publicKeyPem;
    emu.registerApiKey(
      { tenancy: p.oci_tenancy_ocid, user: p.oci_user_ocid, fingerprint: p.oci_fingerprint },
      pub,
    );
    seed.availabilityDomains.push(...p.oci_availability_domains);
    seed.compartments.push({ id: p.oci_compartment_ocid, name: 'kasm' });
    seed.images.push({ id: p.oci_image_ocid });
    seed.subnets.push({ id: p.oci_subnet_ocid });
    seed.networkSecurityGroups.push(...p.oci_nsg_ocids.map((id) => ({ id })));
    const s = ociShapeSpec(p);
    const flex = isFlexShape(p.oci_shape);
    seed.shapes.push({
      shape: p.oci_shape,
      ocpus: flex ? 1 : s.ocpus,
      memoryInGBs: flex ? 16 : s.memoryGb,
      gpus: s.gpus,
      isFlexible: flex,
      ...(flex
        ? {
            ocpuOptions: { min: 1, max: 128 },
            memoryOptions: {
              minInGBs: 1,
              maxInGBs: 2048,
              defaultPerOcpuInGBs: 16,
              minPerOcpuInGBs: 1,
              maxPerOcpuInGBs: 64,
            },
          }
        : {}),
    } satisfies SeedShape);
  }
  emu.seed({
    availabilityDomains: uniq(seed.availabilityDomains),
    compartments: seed.compartments.filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i),
    images: seed.images.filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i),
    subnets: seed.subnets.filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i),
    networkSecurityGroups: seed.networkSecurityGroups.filter(
      (c, i, all) => all.findIndex((x) => x.id === c.id) === i,
    ),
    shapes: seed.shapes.filter((c, i, all) => all.findIndex((x) => x.shape === c.shape) === i),
  });
}
