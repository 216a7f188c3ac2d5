import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { fsErrorToInput, InputError } from '../core/errors.js';
import { echoValue } from '../core/echo.js';
import { expandHome } from '../core/files.js';
import type { KasmSection } from './schema.js';

/**
 * Where and how to reach Kasm: `kasm.url` checked (https, or http only on loopback, as the
 * issue allows for emulators and local trials) and an https Agent that trusts the system's
 * roots plus `kasm.ca_file`. Nothing global changes (no NODE_TLS_REJECT_UNAUTHORIZED).
 */

export interface KasmEndpoint {
  /** The base URL without credentials or trailing slash, safe to print. */
  base: string;
  url: URL;
  /**
   * Our own agent, without keep-alive: a pass makes a handful of calls, and a pooled socket
   * that Kasm (or a proxy) closed while idle would fail the next call with a reset.
   */
  agent: HttpAgent | HttpsAgent;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** `ca_file` is a path (`~` expands); PEM text given directly is accepted too. */
export function readCaPem(caFile: string): string {
  if (caFile.trimStart().startsWith('-----BEGIN')) return caFile;
  const path = expandHome(caFile);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw fsErrorToInput(err, path, 'kasm.ca_file');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InputError(`kasm.ca_file ${path} holds no PEM certificate`, {
      hint: 'give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)',
    });
  }
  return pem;
}

export function resolveEndpoint(section: Pick<KasmSection, 'url' | 'ca_file'>): KasmEndpoint {
  let url: URL;
  try {
    url = new URL(section.url);
  } catch {
    throw new InputError(`kasm.url ${echoValue(String(section.url))} is not a URL`, {
      hint: 'write it as https://kasm.example.com',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`kasm.url ${url.protocol}// is not supported`, {
      hint: 'write it as https://kasm.example.com',
    });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError(`kasm.url ${url.origin} uses plain http on a non-loopback host`, {
      hint: 'use https (the API key travels in every request); http is allowed only for 127.0.0.1, ::1 and localhost',
    });
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const base = url.toString().replace(/\/+$/, '');
  let agent: HttpAgent | HttpsAgent;
  if (url.protocol === 'http:') agent = new HttpAgent({ keepAlive: false });
  else if (section.ca_file)
    agent = new HttpsAgent({ ca: [...rootCertificates, readCaPem(section.ca_file)], keepAlive: false });
  else agent = new HttpsAgent({ keepAlive: false });
  return { base, url, agent };
}
