/**
 * The OCI side of tests that run against the OCI emulator: the OCIDs it is seeded with, the
 * seed, and a resolved provider entry pointing at it. Fixtures that need their own OCIDs
 * (doctor prints them) pass `ids`.
 */
import type { OciProvider } from '../../src/config/types.js';
import type { OciSeed, SeedShape } from '../../src/emulators/oci/index.js';

export interface OciIds {
  tenancy: string;
  user: string;
  compartment: string;
  image: string;
  subnet: string;
  nsg1: string;
  nsg2: string;
  ad1: string;
  ad2: string;
}

export const OCI_IDS: OciIds = {
  tenancy: 'ocid1.tenancy.oc1..aaaaaaaatenancy',
  user: 'ocid1.user.oc1..aaaaaaaauser',
  compartment: 'ocid1.compartment.oc1..aaaaaaaacomp',
  image: 'ocid1.image.oc1.iad.aaaaaaaaimage',
  subnet: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet',
  nsg1: 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg1',
  nsg2: 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg2',
  ad1: 'Uocm:US-ASHBURN-AD-1',
  ad2: 'Uocm:US-ASHBURN-AD-2',
};

/** E4.Flex (1–64 OCPUs) and a fixed VM.Standard2.4 in both ADs, then `moreShapes`. */
export function ociSeed(ids: OciIds = OCI_IDS, moreShapes: SeedShape[] = []): OciSeed {
  return {
    availabilityDomains: [ids.ad1, ids.ad2],
    compartments: [{ id: ids.compartment, name: 'kasm' }],
    images: [{ id: ids.image }],
    subnets: [{ id: ids.subnet }],
    networkSecurityGroups: [{ id: ids.nsg1 }, { id: ids.nsg2 }],
    shapes: [
      {
        shape: 'VM.Standard.E4.Flex',
        ocpus: 1,
        memoryInGBs: 16,
        isFlexible: true,
        ocpuOptions: { min: 1, max: 64 },
        memoryOptions: { minInGBs: 1, maxInGBs: 1024 },
      },
      { shape: 'VM.Standard2.4', ocpus: 4, memoryInGBs: 60 },
      ...moreShapes,
    ],
  };
}

/** A resolved OCI provider (E4.Flex, 2 OCPUs, 16 GB) signed with `key`, calling `endpoint`. */
export function emulatedOciProvider(
  key: { privatePem: string; fingerprint: string },
  endpoint: string,
  over: Partial<OciProvider> = {},
  ids: OciIds = OCI_IDS,
): OciProvider {
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'oci-test',
    max_instances: 10,
    startup_script: '#!/bin/bash\necho {server_id}\n',
    oci_user_ocid: ids.user,
    oci_fingerprint: key.fingerprint,
    oci_private_key: key.privatePem,
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: ids.tenancy,
    oci_compartment_ocid: ids.compartment,
    oci_nsg_ocids: [ids.nsg1],
    oci_availability_domains: [ids.ad1, ids.ad2],
    oci_image_ocid: ids.image,
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 16,
    oci_boot_volume_gb: 60,
    oci_custom_tags: {},
    oci_subnet_ocid: ids.subnet,
    endpoint,
    ...over,
  };
}
