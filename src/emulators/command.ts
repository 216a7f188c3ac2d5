import { randomBytes } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { checkStateFileWritable } from './common/state-file.js';
import type { Output } from '../core/output.js';

/**
 * `kasm-scale emulator <oci|gcp|kasm>`: starts one local emulator, prints where it listens
 * (and, for Kasm, the API key it accepts), and runs until Ctrl-C or SIGTERM.
 */

export const EMULATORS = ['oci', 'gcp', 'kasm'] as const;
export type EmulatorName = (typeof EMULATORS)[number];

export interface EmulatorCommandOptions {
  name: string;
  port?: number | string;
  host?: string;
  stateFile?: string;
  apiKey?: string;
  apiKeySecret?: string;
  /** kasm: the API key style it accepts (body, basic or both). */
  auth?: string;
  /**
   * A kasm-scale config whose providers this emulator should accept: its OCI API keys /
   * GCP service accounts are registered (public halves only) and every image, subnet,
   * shape, zone ... it names is seeded, so `doctor` and `reconcile` work against it.
   */
  forConfig?: string;
  /** Resolves when the emulator should stop (tests); default: SIGINT or SIGTERM. */
  until?: Promise<void>;
}

interface Started {
  url: string;
  port: number;
  close(): Promise<void>;
}

type StartFn = (o: Record<string, unknown>) => Promise<Started>;

/** Each emulator loads only when asked for (and the OCI/GCP ones pull in no SDK here). */
const LOAD_START: Record<EmulatorName, () => Promise<StartFn>> = {
  oci: async () => (await import('./oci/index.js')).startOciEmulator as unknown as StartFn,
  gcp: async () => (await import('./gcp/index.js')).startGcpEmulator as unknown as StartFn,
  kasm: async () => (await import('./kasm/index.js')).startKasmEmulator as unknown as StartFn,
};

function parsePort(port: number | string | undefined): number {
  if (port === undefined) return 0;
  const n = typeof port === 'number' ? port : /^\d+$/.test(port.trim()) ? Number(port) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InputError(`--port ${String(port)} is not a port number`, {
      hint: 'give 0–65535 (0 picks a free port)',
    });
  return n;
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * The providers of this cloud in `--for CONFIG`. Loaded before the emulator listens: a bad
 * config is a usage error (exit 2), never an emulator running unseeded.
 */
async function loadFor(name: 'oci' | 'gcp', file: string) {
  const { loadConfig } = await import('../config/load.js');
  const config = await loadConfig(file);
  return config.providers.filter((p) => p.vm_provider_name === name);
}

/** Registers and seeds what the config's providers need (see EmulatorCommandOptions.forConfig). */
async function seedFor(
  name: 'oci' | 'gcp',
  started: Started,
  file: string,
  providers: Awaited<ReturnType<typeof loadFor>>,
  out: Output,
): Promise<void> {
  const { cloudEmulator } = await import('./registry.js');
  (await cloudEmulator(name)).seedStarted(started, providers);
  out.info(
    `accepting ${providers.length} ${name.toUpperCase()} provider(s) of ${file}; point their endpoint at ${started.url}`,
  );
}

/** --api-key and --auth are Kasm's, --for is OCI's and GCP's: given to the other kind it would do nothing, silently. */
function refuseOtherKindsFlags(name: EmulatorName, opts: EmulatorCommandOptions): void {
  const wrong =
    name === 'kasm'
      ? opts.forConfig !== undefined && '--for'
      : (opts.apiKey !== undefined && '--api-key') ||
        (opts.apiKeySecret !== undefined && '--api-key-secret') ||
        (opts.auth !== undefined && '--auth');
  if (wrong) {
    const owner = wrong === '--for' ? 'the oci and gcp emulators' : 'the kasm emulator';
    throw new InputError(`${wrong} is a flag of ${owner}, not of the ${name} emulator`, {
      hint: `leave it out, or run kasm-scale emulator ${wrong === '--for' ? 'oci|gcp' : 'kasm'}`,
    });
  }
}

export async function emulatorCommand(opts: EmulatorCommandOptions, out: Output): Promise<number> {
  if (!(EMULATORS as readonly string[]).includes(opts.name)) {
    throw new InputError(`unknown emulator "${opts.name}"`, {
      hint: `choose one of ${EMULATORS.join(', ')}`,
    });
  }
  const name = opts.name as EmulatorName;
  refuseOtherKindsFlags(name, opts);
  const port = parsePort(opts.port);
  const host = opts.host ?? '127.0.0.1';
  checkStateFileWritable(opts.stateFile);
  const { isLoopbackHost } = await import('../kasm/endpoint.js');
  const forProviders = opts.forConfig && name !== 'kasm' ? await loadFor(name, opts.forConfig) : undefined;
  const start = await LOAD_START[name]();
  const base = { port, host, stateFile: opts.stateFile };
  let creds: { api_key: string; api_key_secret: string; generated: boolean } | undefined;
  let started: Started;
  try {
    if (name === 'kasm') {
      const generated = !opts.apiKey || !opts.apiKeySecret;
      creds = {
        api_key: opts.apiKey ?? 'kasm-scale-emulator',
        api_key_secret: opts.apiKeySecret ?? randomBytes(12).toString('hex'),
        generated,
      };
      const auth = opts.auth ?? 'body';
      if (!['body', 'basic', 'both'].includes(auth))
        throw new InputError(`--auth ${auth} is not a Kasm API key style`, {
          hint: 'choose body, basic or both',
        });
      started = await start({ ...base, apiKey: creds.api_key, apiKeySecret: creds.api_key_secret, auth });
    } else {
      started = await start(base);
      if (opts.forConfig && forProviders) {
        try {
          await seedFor(name, started, opts.forConfig, forProviders, out);
        } catch (err) {
          await started.close(); // never keep running half-seeded
          throw err;
        }
      }
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new InputError(`port ${port} on ${host} is already in use`, {
        hint: 'choose another --port, or 0 for a free one',
      });
    if (code === 'EACCES')
      throw new InputError(`cannot listen on ${host}:${port}: permission denied`, {
        hint: 'use a port above 1023',
      });
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new InputError(`--host ${host} is not an address or a name that resolves`, {
        hint: 'give an address of this machine, such as 127.0.0.1 (the default) or 0.0.0.0',
      });
    if (code === 'EADDRNOTAVAIL')
      throw new InputError(`--host ${host} is not an address of this machine`, {
        hint: 'give an address of this machine, such as 127.0.0.1 (the default) or 0.0.0.0',
      });
    throw err;
  }
  if (!isLoopbackHost(host))
    out.warn(
      `listening on ${host}: the emulator's control routes (/__emulator/) have no authentication; keep it on a trusted network`,
    );
  if (out.json) {
    out.printJson({
      emulator: name,
      url: started.url,
      port: started.port,
      state_file: opts.stateFile ?? null,
      ...(creds ? { api_key: creds.api_key, api_key_secret: creds.api_key_secret } : {}),
    });
  } else {
    out.result(`${name} emulator listening on ${started.url}`);
    if (creds) {
      out.result(`  api_key:        ${creds.api_key}`);
      out.result(
        `  api_key_secret: ${creds.api_key_secret}${creds.generated ? ' (made up for this run; pass --api-key/--api-key-secret to choose)' : ''}`,
      );
      out.result(
        `  control routes: POST ${started.url}/__emulator/{registerAgent,addSession,assignWaitingSessions,setFault,...}`,
      );
    }
    if (opts.stateFile) out.result(`  state file:     ${opts.stateFile}`);
  }
  out.info('Press Ctrl-C to stop.');
  await (opts.until ?? signalled());
  await started.close();
  out.info(`${name} emulator stopped`);
  return 0;
}
