import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay, listen, parseJsonBody, sendHtmlError, sendJson, sendText } from '../common/http.js';
import { loadStateFile, saveStateFile } from '../common/state-file.js';
import { settleCheckIns } from './agents.js';
import { KASM_API_ROUTES, parseApiPath, type ApiPath } from './api-routes.js';
import {
  acceptsStyle,
  allowed,
  authenticate,
  type KasmAuthAccepts,
  type KasmKeyPermissions,
} from './auth.js';
import { emptyState, type ApiAnswer, type KasmCall, type KasmContext } from './context.js';
import { createControl, type KasmControl } from './control.js';
import { answerControl, controlMethodOf } from './control-routes.js';
import { FaultBook, sendFault } from './faults.js';
import type { EmuState } from './model.js';
import { matchRoute } from './router.js';

export type { KasmFault, KasmFaultKind } from './faults.js';
export type { EmuAgent, EmuSession, EmuState } from './model.js';
export type { AddAutoscaleConfigInput, EmuAutoscaleConfig } from './autoscale-configs.js';
export type { RegisterAgentInput } from './agent-control.js';
export type { AddSessionInput } from './sessions.js';
export type { KasmKeyPermissions } from './auth.js';
export type { KasmControl } from './control.js';

/**
 * A local Kasm Workspaces API (Kasm 1.15's API, summarised in docs/kasm-api.md): the calls kasm-scale makes, Kasm's key
 * check and error forms, VM provider configs with masked secrets, Docker agents, sessions
 * and zones. Tests, `demo` and `kasm-scale emulator kasm` drive it through in-process
 * methods or the same methods as HTTP routes under /__emulator/ (no auth: loopback only).
 */

export interface KasmApiKey {
  apiKey: string;
  apiKeySecret: string;
  permissions?: KasmKeyPermissions;
}

export interface KasmEmulatorOptions {
  port?: number;
  host?: string;
  /** Injectable clock (ms since the epoch) for every date Kasm answers. */
  now?: () => number;
  /** Persist state as JSON here (loaded at start when it exists). */
  stateFile?: string;
  apiKey: string;
  apiKeySecret: string;
  /** Permissions of the main key (default 'all'). */
  permissions?: KasmKeyPermissions;
  /** More keys, e.g. a read-only one. */
  keys?: KasmApiKey[];
  /** Zones that exist at start (default: one named "default"). */
  zones?: string[];
  /** false: provider create/update answer "Access Denied. Auto Scaling is not licensed". */
  licensed?: boolean;
  /** An agent that stopped checking in (stopCheckingIn) is `missing` after this long (default 120 s). */
  missingAfterMs?: number;
  /** Which API key style the server takes (see auth.ts): 'body' (default, Kasm ≤ 1.19), 'basic', or 'both'. */
  auth?: KasmAuthAccepts;
}

export interface KasmEmulator extends KasmControl {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The credentials of the main key. */
  apiKey: string;
  apiKeySecret: string;
}

/** What Kasm's web server answers for a path it has no handler for. */
const NOT_FOUND = '404 Not Found\n\nThe path was not found.';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export async function startKasmEmulator(opts: KasmEmulatorOptions): Promise<KasmEmulator> {
  const keys: KasmApiKey[] = [
    { apiKey: opts.apiKey, apiKeySecret: opts.apiKeySecret, permissions: opts.permissions ?? 'all' },
    ...(opts.keys ?? []),
  ];
  const state: EmuState = loadStateFile<EmuState>(opts.stateFile) ?? emptyState(opts.zones ?? ['default']);
  const now = opts.now ?? Date.now;
  const missingAfterMs = opts.missingAfterMs ?? 120_000;
  const save = () => saveStateFile(opts.stateFile, state);
  const ctx: KasmContext = {
    state,
    now,
    save,
    settle: () => {
      if (settleCheckIns(state, now(), missingAfterMs)) save();
    },
    licensed: opts.licensed !== false,
  };
  const faults = new FaultBook();
  const callCounts: Record<string, number> = {};
  const control = createControl(ctx, faults, callCounts);
  const accepts = opts.auth ?? 'body';

  /** One API call whose route exists: count it, injected faults, body, key, permission, handler. */
  async function answerApi(
    req: IncomingMessage,
    res: ServerResponse,
    api: ApiPath,
    call: KasmCall,
    body: Buffer,
  ): Promise<void> {
    callCounts[api.call] = (callCounts[api.call] ?? 0) + 1;
    const { latencyMs, failure } = faults.take(api.call);
    if (latencyMs > 0) await delay(latencyMs);
    if (failure && sendFault(res, failure)) return;
    const doc = parseJsonBody(body);
    if (!isObject(doc)) return sendJson(res, 400, { error_message: 'Invalid JSON body' });
    // Kasm's key check: no credentials 400, wrong key or secret 403, lacking permission 401.
    const verdict = authenticate(api.style, req.headers.authorization, doc, keys);
    if (!verdict.ok) return sendJson(res, verdict.status, { error_message: verdict.message });
    if (!allowed(verdict.key.permissions, api.call))
      return sendJson(res, 401, { error_message: 'Unauthorized' });
    // A caller that went away while the answer was delayed (a killed pass) never reached
    // Kasm: the call is not carried out, so crash tests land exactly between two steps.
    if (res.destroyed || req.socket?.destroyed) return;
    ctx.settle();
    let answer: ApiAnswer;
    try {
      answer = call(ctx, doc);
    } catch {
      // An unhandled error in a Kasm handler: its web stack's 500 page.
      return sendHtmlError(res, 500);
    }
    sendJson(res, answer[0], answer[1]);
  }

  // Which route, before any key check: Kasm answers an unknown path 404 whoever asks.
  const started = await listen(
    async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      const path = (req.url ?? '/').split('?')[0];
      const method = req.method ?? 'GET';
      const controlMethod = controlMethodOf(path);
      if (controlMethod) return answerControl(control, res, method, controlMethod, body);
      const api = parseApiPath(path);
      const found = api && acceptsStyle(accepts, api.style) && matchRoute(KASM_API_ROUTES, method, api.path);
      if (!api || !found || found.kind === 'none') return sendText(res, 404, NOT_FOUND);
      if (found.kind === 'wrong-method') return sendText(res, 405, '405 Method Not Allowed');
      return answerApi(req, res, api, found.route.handler, body);
    },
    { port: opts.port, host: opts.host },
  );

  return {
    url: started.url,
    port: started.port,
    close: started.close,
    apiKey: opts.apiKey,
    apiKeySecret: opts.apiKeySecret,
    ...control,
  };
}
