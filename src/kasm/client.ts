import { CliError, OperationalError } from '../cli/errors.js';
import type { KasmSection } from '../config/types.js';
import { resolveEndpoint } from './endpoint.js';
import { answerError, networkError } from './errors.js';
import { compactServer, compactSession, dockerAgents, parseAutoscaleConfig, parseProviderConfig, parseServer, parseSession, parseZone } from './parse.js';
import { parseRowsFromBytes } from './rows.js';
import { postJson, type RawAnswer } from './transport.js';
import type { DemandSnapshot, KasmClient, KasmServer, KasmVmProviderConfig } from './types.js';

export { dockerAgents } from './parse.js';

export interface KasmClientOptions {
  /** Per call (default 30 s). */
  timeoutMs?: number;
}

/** The client plus what `doctor` and tests need beyond the contract. */
export interface KasmApiClient extends KasmClient {
  /** The base URL, safe to print. */
  readonly baseUrl: string;
  /** Any API call by name; returns the answer object after Kasm's error checks. */
  call(name: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /**
   * get_servers, get_kasms and get_zones at once, each answer read row by row into the
   * compact form a pass keeps (compactServer/compactSession): the raw rows are never all
   * held at once.
   */
  readDemand(): Promise<DemandSnapshot>;
  /** `get_servers` rows that are Docker agents (`server_type: "host"`). */
  getDockerAgents(): Promise<KasmServer[]>;
}

/**
 * A Kasm API client (reference/kasm.md): every call is a POST of JSON to
 * `<url>/api/public/<name>` with the key in the body. Every failure is one
 * OperationalError line; the secret is scrubbed from anything that could echo it.
 * Bad `url`/`ca_file` throw InputError here, before any call.
 */
export function createKasmClient(section: KasmSection, opts: KasmClientOptions = {}): KasmApiClient {
  const ep = resolveEndpoint(section);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const secret = section.api_key_secret ?? '';

  const scrub = (s: string | undefined) => (s && secret.length > 0 ? s.split(secret).join('********') : s);
  const clean = (err: unknown): never => {
    if (err instanceof CliError) {
      const msg = scrub(err.message) ?? '';
      const hint = scrub(err.hint);
      if (msg === err.message && hint === err.hint) throw err;
      throw new OperationalError(msg, hint ? { hint } : {});
    }
    throw err;
  };

  async function call(name: string, extra: Record<string, unknown> = {}, answered?: RawAnswer): Promise<Record<string, unknown>> {
    const target = new URL(`${ep.base}/api/public/${name}`);
    const shown = `${ep.base}/api/public/${name}`;
    let answer: RawAnswer;
    try {
      // `answered`: the answer is already here (listCompact could not split it).
      answer = answered ?? (await postJson(target, { ...extra, api_key: section.api_key, api_key_secret: secret }, { agent: ep.agent, timeoutMs }));
    } catch (err) {
      return clean(networkError(name, ep.base, err, timeoutMs));
    }
    let doc: unknown;
    try {
      doc = answer.text.trim() === '' ? undefined : JSON.parse(answer.text);
    } catch {
      doc = undefined;
    }
    const failure = answerError(name, shown, answer, doc);
    if (failure) return clean(failure);
    return doc as Record<string, unknown>;
  }

  /**
   * A list call whose rows are turned into `compact` one at a time (rows.ts): the answer is
   * never held as one parsed tree. Same checks and errors as list().
   */
  async function listCompact<T>(name: string, key: string, compact: (row: unknown) => T): Promise<T[]> {
    const target = new URL(`${ep.base}/api/public/${name}`);
    const shown = `${ep.base}/api/public/${name}`;
    let answer: RawAnswer;
    try {
      answer = await postJson(target, { api_key: section.api_key, api_key_secret: secret }, { agent: ep.agent, timeoutMs });
    } catch (err) {
      return clean(networkError(name, ep.base, err));
    }
    let split: { doc: Record<string, unknown>; rows: T[] } | undefined;
    try {
      split = answer.status === 200 ? parseRowsFromBytes(answer.bytes, key, compact) : undefined;
    } catch {
      split = undefined; // a row that is not JSON: the whole-text parse below says what is wrong
    }
    if (!split) return (await list(name, key, undefined, answer)).map(compact);
    const failure = answerError(name, shown, answer, split.doc);
    if (failure) return clean(failure);
    return split.rows;
  }

  async function list(name: string, key: string, extra?: Record<string, unknown>, answered?: RawAnswer): Promise<unknown[]> {
    const doc = await call(name, extra, answered);
    const rows = doc[key];
    if (!Array.isArray(rows)) throw new OperationalError(`Kasm ${name} answered without a "${key}" list`, { hint: 'is this Kasm Workspaces 1.15 or later?' });
    return rows;
  }

  const upsertAnswer = (doc: Record<string, unknown>, sent: Record<string, unknown>): KasmVmProviderConfig => {
    const cfg = doc.vm_provider_config;
    if (cfg && typeof cfg === 'object' && !Array.isArray(cfg)) return parseProviderConfig(cfg);
    // Lenient: the call succeeded; keep what we know (never the secrets we sent) rather than fail after a change was made.
    return parseProviderConfig({
      vm_provider_name: sent.vm_provider_name,
      vm_provider_config_name: sent.vm_provider_config_name,
      vm_provider_config_id: doc.vm_provider_config_id ?? sent.vm_provider_config_id ?? '',
    });
  };

  return {
    baseUrl: ep.base,
    call,
    getServers: async () => (await list('get_servers', 'servers')).map(parseServer),
    readDemand: async () => {
      const [servers, kasms, zones] = await Promise.all([
        listCompact('get_servers', 'servers', compactServer),
        listCompact('get_kasms', 'kasms', compactSession),
        list('get_zones', 'zones').then((rows) => rows.map(parseZone)),
      ]);
      return { servers, kasms, zones };
    },
    getDockerAgents: async () => dockerAgents((await list('get_servers', 'servers')).map(parseServer)),
    getKasms: async () => (await list('get_kasms', 'kasms')).map(parseSession),
    getZones: async () => (await list('get_zones', 'zones')).map(parseZone),
    getVmProviderConfigs: async () => (await list('get_vm_provider_configs', 'vm_provider_configs')).map(parseProviderConfig),
    getAutoscaleConfigs: async () => (await list('get_autoscale_configs', 'autoscale_configs')).map(parseAutoscaleConfig),
    createVmProviderConfig: async (config) => {
      const doc = await call('create_vm_provider_config', { target_vm_provider_config: config });
      return upsertAnswer(doc, config);
    },
    updateVmProviderConfig: async (id, config) => {
      const target = { ...config, vm_provider_config_id: id };
      const doc = await call('update_vm_provider_config', { target_vm_provider_config: target });
      return upsertAnswer(doc, target);
    },
  };
}
