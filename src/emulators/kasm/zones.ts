/** Zones: Kasm's `get_zones` (with what is free in each), and adding one from a test. */
import { ensureZone, type KasmCall, type KasmContext } from './context.js';
import { indexSessions } from './model.js';
import { zoneRow } from './views.js';

export const getZones: KasmCall = ({ state }) => {
  const index = indexSessions(state);
  return [200, { zones: state.zones.map((z) => zoneRow(state, z, index)) }];
};

export function addZone({ state, save }: KasmContext, name: string): void {
  ensureZone(state, name);
  save();
}
