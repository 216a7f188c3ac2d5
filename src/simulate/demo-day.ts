/**
 * The built-in day of `kasm-scale demo`: three pools and a working day of two-core
 * sessions — a quiet night, the morning rush, a lunch dip, the afternoon and the evening
 * drain — with two bad hours:
 * - OCI's AD-1 has no host capacity from 08:00 to 09:00, in the middle of the rush, so
 *   launches move to AD-2;
 * - the spot-first pool (a chain: preemptible OCI first, on-demand OCI when spot runs out)
 *   meets a preemption wave from 14:00 to 14:30 and no spot capacity until 15:00: its
 *   agents are taken, their sessions counted as lost, and replacements fall through the
 *   chain to on-demand.
 */
import { emulatedGcpProvider, emulatedOciProvider, GCP_PROJECT, OCI_IDS } from './builtin.js';
import { gcpDemoServiceAccount, ociDemoKey } from './builtin.js';
import type { DemandGroup, SimEvent } from './engine.js';
import type { TraceFault } from './trace-faults.js';
import type { ConfigDocument } from './world.js';

export const DEMO_DATE = Date.UTC(2025, 0, 6);

export function demoDocument(): ConfigDocument {
  return {
    providers: [
      // Prices of the order of the clouds' on-demand list prices for these sizes, in one
      // currency so the demo's cost is one figure; set your own contract's in your config.
      emulatedOciProvider(ociDemoKey(), {
        max_instances: 20,
        price: { instance_hour: 0.074, currency: 'USD' },
      }),
      // Preemptible E4.Flex at about half the on-demand price (docs/spot.md).
      emulatedOciProvider(ociDemoKey(), {
        vm_provider_config_name: 'oci-spot',
        spot: true,
        // A compartment of its own: each provider of a chain lists only its own instances
        // (docs/provider-chains.md, "Providers that see each other").
        oci_compartment_ocid: 'ocid1.compartment.oc1..aaaaaaaaspot',
        max_instances: 10,
        price: { instance_hour: 0.037, currency: 'USD' },
      }),
      emulatedGcpProvider(gcpDemoServiceAccount(GCP_PROJECT), {
        machineType: 'e2-standard-4',
        max_instances: 8,
        price: { instance_hour: 0.134, currency: 'USD' },
      }),
    ],
    autoscale: [
      {
        autoscale_config_name: 'oci-pool',
        vm_provider_config_name: 'oci-main',
        zone_name: 'office',
        standby_cores: 8,
        standby_memory_mb: 16384,
        downscale_backoff: 1200,
      },
      {
        autoscale_config_name: 'gcp-pool',
        vm_provider_config_name: 'gcp-main',
        zone_name: 'labs',
        standby_cores: 4,
        standby_memory_mb: 8192,
        downscale_backoff: 1200,
      },
      {
        autoscale_config_name: 'spot-pool',
        vm_provider_config_names: ['oci-spot', 'oci-main'],
        zone_name: 'support',
        standby_cores: 4,
        standby_memory_mb: 8192,
        downscale_backoff: 1200,
      },
    ],
  };
}

/**
 * HH:MM → sessions, per zone (each session 2 cores, 4 GB). People arrive between passes
 * (times off the 10-minute grid), so some wait for the next pass and a boot.
 */
const OFFICE: Array<[string, number]> = [
  ['00:00', 2],
  ['01:00', 1],
  ['05:45', 2],
  ['06:15', 4],
  ['06:45', 7],
  ['07:05', 10],
  ['07:25', 14],
  ['07:45', 18],
  ['08:05', 22],
  ['08:25', 25],
  ['08:45', 27],
  ['09:15', 29],
  ['10:05', 30],
  ['11:45', 24],
  ['12:05', 18],
  ['12:25', 15],
  ['13:15', 20],
  ['13:35', 26],
  ['13:55', 28],
  ['15:45', 25],
  ['16:35', 20],
  ['17:05', 15],
  ['17:25', 10],
  ['17:55', 7],
  ['18:35', 4],
  ['19:15', 3],
  ['21:05', 1],
  ['22:45', 0],
];
const LABS: Array<[string, number]> = [
  ['00:00', 0],
  ['07:35', 3],
  ['08:05', 5],
  ['08:35', 7],
  ['09:25', 8],
  ['10:35', 10],
  ['11:55', 6],
  ['12:15', 5],
  ['13:25', 8],
  ['13:45', 9],
  ['16:25', 6],
  ['17:15', 3],
  ['18:25', 1],
  ['19:55', 0],
];

const SUPPORT: Array<[string, number]> = [
  ['00:00', 1],
  ['07:15', 3],
  ['08:45', 6],
  ['10:15', 8],
  ['12:35', 6],
  ['13:25', 8],
  ['16:55', 4],
  ['18:45', 1],
];

const sec = (hhmm: string) => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60;

export function demoSteps(): Array<{ at: number; groups: DemandGroup[] }> {
  const times = [...new Set([...OFFICE, ...LABS, ...SUPPORT].map(([t]) => sec(t)))].sort((a, b) => a - b);
  const level = (series: Array<[string, number]>, at: number) =>
    series.filter(([t]) => sec(t) <= at).at(-1)?.[1] ?? 0;
  return times.map((at) => ({
    at,
    groups: [
      { sessions: level(OFFICE, at), cores: 2, memoryMb: 4096, gpus: 0, zone: 'office' },
      { sessions: level(LABS, at), cores: 2, memoryMb: 4096, gpus: 0, zone: 'labs' },
      { sessions: level(SUPPORT, at), cores: 2, memoryMb: 4096, gpus: 0, zone: 'support' },
    ].filter((g) => g.sessions > 0),
  }));
}

export const BURST = { from: sec('08:00'), to: sec('09:00'), ad: OCI_IDS.ad1 };

export function demoEvents(): SimEvent[] {
  return [
    {
      at: BURST.from,
      label: `OCI ${BURST.ad.split(':')[1]}: out of host capacity for an hour`,
      apply: (w) => w.oci?.setFault({ kind: 'capacity', availabilityDomain: BURST.ad }),
    },
    {
      at: BURST.to,
      label: `OCI ${BURST.ad.split(':')[1]}: capacity is back`,
      apply: (w) => w.oci?.clearFaults(),
    },
  ];
}

/** The spot-first pool's bad half hour: preemptions, then no spot capacity to come back to. */
export const SPOT_WAVE = { from: sec('14:00'), to: sec('14:30'), outageTo: sec('15:00') };

export function demoFaults(): TraceFault[] {
  return [
    { kind: 'preemption', provider: 'oci-spot', from: SPOT_WAVE.from, to: SPOT_WAVE.to, ratePerHour: 4 },
    { kind: 'outage', provider: 'oci-spot', from: SPOT_WAVE.from, to: SPOT_WAVE.outageTo },
  ];
}
