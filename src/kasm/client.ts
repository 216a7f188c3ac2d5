import { CliError, OperationalError } from '../core/errors.js';
import type { KasmSection } from './schema.js';
import { resolveEndpoint } from './endpoint.js';
import { answerError, networkError } from './errors.js';
import {
  compactServer,
  compactSession,
  dockerAgents,
  parseAutoscaleConfig,
  parseProviderConfig,
  parseServer,
  parseSession,
  parseZone,
} from './parse.js';
import { parseRowsFromBytes } from './rows.js';
import { postJson, type RawAnswer } from './transport.js';
import type { DemandSnapshot, KasmAgentsApi, KasmClient, KasmServer, KasmVmProviderConfig } from './types.js';

export { dockerAgents } from './parse.js';

/** Kasm 1.15's delete_server refusal while sessions exist, and its unknown-server answer. */
const HAS_SESSIONS = /Server contains \((\d+)\) kasms/i;
const DOES_NOT_EXIST = /Server \(?[0-9a-f-]*\)? Does not Exist/i;

export interface KasmClientOptions {
  /** Per call (default 30 s). */
  timeoutMs?: number;
}

/** The client plus what `doctor` and tests need beyond the contract. */
export interface KasmApiClient extends KasmClient, KasmAgentsApi {
  /** The base URL, safe to print. */
  readonly baseUrl: string;
  /** Any API call by name; returns the answer object after Kasm's error checks. */
  call(name: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** `get_servers` rows that are Docker agents (`server_type: "host"`). */
  getDockerAgents(): Promise<KasmServer[]>;
  /**
   * get_servers, get_kasms and get_zones at once, each answer read row by row into the
   * compact form a pass keeps (compactServer/compactSession): the raw rows are never all
   * held at once.
   */
  readDemand(): Promise<DemandSnapshot>;
}

/**
 * A Kasm API client: every call is a POST of JSON. With `kasm.auth: body` (the default) it
 * goes to `<url>/api/public/<name>` with the key in the body (Kasm up to 1.19); with
 * `basic` to `<url>/api/<name>` with `Authorization: Basic base64(key:secret)` (Kasm's
 * newest Developer API). Every failure is one OperationalError line; the secret (and its
 * Basic form) is scrubbed from anything that could echo it. Bad `url`/`ca_file` throw
 * InputError here, before any call.
 */
export function createKasmClient(section: KasmSection, opts: KasmClientOptions = {}): KasmApiClient {
  const ep = resolveEndpoint(section);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const secret = section.api_key_secret ?? '';
  const style = section.auth ?? 'body';
  const basic = Buffer.from(`${section.api_key}:${secret}`).toString('base64');
  const route = (name: string) => (style === 'basic' ? `/api/${name}` : `/api/public/${name}`);

  const scrub = (s: string | undefined) =>
    s && secret.length > 0 ? s.split(secret).join('********').split(basic).join('********') : s;
  const clean = (err: unknown): never => {
    if (err instanceof CliError) {
      const msg = scrub(err.message) ?? '';
      const hint = scrub(err.hint);
      if (msg === err.message && hint === err.hint) throw err;
      throw new OperationalError(msg, hint ? { hint } : {});
    }
    throw err;
  };

  /**
   * One call. `expected` picks handler refusals (HTTP 200 + error_message) that are answers
   * to the caller rather than failures, e.g. delete_server's "Server contains (N) kasms".
   */
  async function send(
    name: string,
    extra: Record<string, unknown>,
  ): Promise<{ answer: RawAnswer; shown: string }> {
    const shown = `${ep.base}${route(name)}`;
    const target = new URL(shown);
    try {
      const answer =
        style === 'basic'
          ? await postJson(target, extra, {
              agent: ep.agent,
              timeoutMs,
              headers: { authorization: `Basic ${basic}` },
            })
          : await postJson(
              target,
              { ...extra, api_key: section.api_key, api_key_secret: secret },
              { agent: ep.agent, timeoutMs },
            );
      return { answer, shown };
    } catch (err) {
      return clean(networkError(name, ep.base, err, timeoutMs));
    }
  }

  async function request(
    name: string,
    extra: Record<string, unknown>,
    expected?: (message: string) => boolean,
    sent?: { answer: RawAnswer; shown: string },
  ): Promise<{ doc: Record<string, unknown>; refusal?: string }> {
    // `sent`: the answer is already here (listCompact could not read it row by row).
    const { answer, shown } = sent ?? (await send(name, extra));
    let doc: unknown;
    try {
      doc = answer.text.trim() === '' ? undefined : JSON.parse(answer.text);
    } catch {
      doc = undefined;
    }
    const msg = (doc as Record<string, unknown> | undefined)?.error_message;
    if (expected && answer.status === 200 && typeof msg === 'string' && expected(msg))
      return { doc: doc as Record<string, unknown>, refusal: msg };
    const failure = answerError(name, shown, answer, doc);
    if (failure) return clean(failure);
    return { doc: doc as Record<string, unknown> };
  }

  const call = async (name: string, extra: Record<string, unknown> = {}) => (await request(name, extra)).doc;

  /**
   * A list call whose rows are turned into `compact` one at a time (rows.ts): the answer is
   * never held as one parsed tree. Same checks and errors as list().
   */
  async function listCompact<T>(name: string, key: string, compact: (row: unknown) => T): Promise<T[]> {
    const sent = await send(name, {});
    let split: { doc: Record<string, unknown>; rows: T[] } | undefined;
    try {
      split = sent.answer.status === 200 ? parseRowsFromBytes(sent.answer.bytes, key, compact) : undefined;
    } catch {
      split = undefined; // a row that is not JSON: the whole-text parse below says what is wrong
    }
    if (!split) return (await list(name, key, undefined, sent)).map(compact);
    const failure = answerError(name, sent.shown, sent.answer, split.doc);
    if (failure) return clean(failure);
    return split.rows;
  }

  async function list(
    name: string,
    key: string,
    extra?: Record<string, unknown>,
    sent?: { answer: RawAnswer; shown: string },
  ): Promise<unknown[]> {
    const doc = (await request(name, extra ?? {}, undefined, sent)).doc;
    const rows = doc[key];
    if (!Array.isArray(rows))
      throw new OperationalError(`Kasm ${name} answered without a "${key}" list`, {
        hint: 'is this Kasm Workspaces 1.15 or later?',
      });
    return rows;
  }

  const upsertAnswer = (
    doc: Record<string, unknown>,
    sent: Record<string, unknown>,
  ): KasmVmProviderConfig => {
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
    getVmProviderConfigs: async () =>
      (await list('get_vm_provider_configs', 'vm_provider_configs')).map(parseProviderConfig),
    getAutoscaleConfigs: async () =>
      (await list('get_autoscale_configs', 'autoscale_configs')).map(parseAutoscaleConfig),
    createVmProviderConfig: async (config) => {
      const doc = await call('create_vm_provider_config', { target_vm_provider_config: config });
      return upsertAnswer(doc, config);
    },
    updateVmProviderConfig: async (id, config) => {
      const target = { ...config, vm_provider_config_id: id };
      const doc = await call('update_vm_provider_config', { target_vm_provider_config: target });
      return upsertAnswer(doc, target);
    },
    updateAgent: async (serverId, update) => {
      await call('update_server', { target_server: { server_id: serverId, server_type: 'host', ...update } });
    },
    deleteAgent: async (serverId) => {
      // Never `force`: the refusal while sessions exist is the point of the call.
      const { refusal } = await request(
        'delete_server',
        { target_server: { server_id: serverId } },
        (m) => HAS_SESSIONS.test(m) || DOES_NOT_EXIST.test(m),
      );
      if (refusal === undefined) return { outcome: 'deleted' };
      const n = HAS_SESSIONS.exec(refusal);
      if (n) return { outcome: 'has_sessions', sessions: Number(n[1]), message: refusal };
      return { outcome: 'not_found', message: refusal };
    },
  };
}
