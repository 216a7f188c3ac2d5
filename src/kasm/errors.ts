import { OperationalError } from '../core/errors.js';
import type { RawAnswer } from './transport.js';

/**
 * Every way a Kasm call fails, as one line an operator can act on. Kasm reports handler
 * errors as HTTP 200 with `error_message`, a bad key as 403 "Access Denied", a missing
 * permission as 401, unhandled errors as 500 with an HTML page (never dumped here), an
 * unknown path as 404 (Kasm 1.15's API, summarised in docs/kasm-api.md).
 */

/** The API-key permission each call needs, named as Kasm's admin UI names them. */
export const PERMISSION_FOR: Record<string, string> = {
  get_servers: 'Servers View (Agents View)',
  get_agents: 'Agents View',
  get_kasms: 'Sessions View',
  get_zones: 'Zones View',
  get_vm_provider_configs: 'VM Provider View',
  create_vm_provider_config: 'VM Provider Create',
  update_vm_provider_config: 'VM Provider Modify',
  get_autoscale_configs: 'Autoscale View',
  // Draining an agent: disable it (update_server), then deregister it (delete_server).
  update_server: 'Agents Modify',
  delete_server: 'Servers Delete',
};

/** What reconcile needs beyond reading, to remove an agent safely (docs/lifecycle.md). */
export const DRAIN_PERMISSIONS = ['Agents Modify', 'Servers Delete'] as const;

function quote(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return `"${one.length > 300 ? `${one.slice(0, 300)}…` : one}"`;
}

function looksHtml(a: RawAnswer): boolean {
  return a.contentType.includes('html') || /^\s*<(!doctype|html|head|body)/i.test(a.text);
}

function unauthorized(call: string): OperationalError {
  const perm = PERMISSION_FOR[call];
  return new OperationalError(`Kasm answered 401 Unauthorized to ${call}`, {
    hint: `the API key lacks a permission${perm ? `: give it "${perm}"` : ` for ${call}`} (Kasm Admin → Settings → Developers → API keys → edit permissions)${
      perm && DRAIN_PERMISSIONS.includes(perm as (typeof DRAIN_PERMISSIONS)[number])
        ? `; reconcile needs ${DRAIN_PERMISSIONS.join(' and ')} to drain agents before it terminates them`
        : ''
    }`,
  });
}

function accessDenied(call: string): OperationalError {
  return new OperationalError(`Kasm refused the API key on ${call} (403 Access Denied)`, {
    hint: 'check kasm.api_key and kasm.api_key_secret',
  });
}

/** Turns a non-successful answer into the error; returns undefined when the answer is a success. */
export function answerError(
  call: string,
  endpointUrl: string,
  a: RawAnswer,
  doc: unknown,
): OperationalError | undefined {
  const msg =
    doc && typeof doc === 'object' && !Array.isArray(doc)
      ? (doc as Record<string, unknown>).error_message
      : undefined;
  const hasMsg = msg !== undefined && msg !== null && msg !== '' && msg !== false;
  if (a.status === 401) return unauthorized(call);
  if (a.status === 403) return accessDenied(call);
  if (hasMsg) {
    const text = typeof msg === 'string' ? msg : JSON.stringify(msg);
    if (/^access denied\.?$/i.test(text.trim())) return accessDenied(call);
    if (/^unauthorized\.?$/i.test(text.trim())) return unauthorized(call);
    const status = a.status === 200 ? '' : ` (HTTP ${a.status})`;
    let hint: string | undefined;
    if (/not licensed/i.test(text))
      hint = 'autoscaling (VM provider configs) needs a Kasm licence that includes it';
    else if (a.status === 400 && /api_key/i.test(text)) hint = 'set kasm.api_key and kasm.api_key_secret';
    return new OperationalError(`Kasm ${call} failed: ${quote(text)}${status}`, hint ? { hint } : {});
  }
  if (a.status === 404) {
    return new OperationalError(`Kasm has no ${call} at ${endpointUrl} (HTTP 404)`, {
      hint: 'check kasm.url: the address of the Kasm web app (e.g. https://kasm.example.com), without /api; and kasm.auth (body: /api/public/, basic: /api/; kasm-scale doctor says which this server takes)',
    });
  }
  if (a.status >= 500) {
    return new OperationalError(
      `Kasm ${call} answered HTTP ${a.status}${looksHtml(a) ? ' with an HTML error page' : ''}`,
      {
        hint: 'Kasm (or a proxy in front of it) failed; check the Kasm API server logs and try again',
      },
    );
  }
  if (a.status === 400)
    return new OperationalError(`Kasm rejected ${call} (HTTP 400)`, {
      hint: 'check kasm.api_key and kasm.api_key_secret are set',
    });
  if (a.status < 200 || a.status >= 300)
    return new OperationalError(`Kasm ${call} answered HTTP ${a.status}`);
  if (doc === undefined || typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return new OperationalError(
      `Kasm ${call} answered something that is not a JSON object${looksHtml(a) ? ' (an HTML page)' : ''}`,
      {
        hint: `check kasm.url (${endpointUrl.replace(/\/api\/.*$/, '')}) points at Kasm itself, not a login page or another site`,
      },
    );
  }
  return undefined;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** A connection that never gave an answer: refused, DNS, TLS, timeout, dropped. */
export function networkError(call: string, base: string, err: unknown, timeoutMs?: number): OperationalError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  const where = `Kasm at ${base}`;
  const reachHint = `check kasm.url (${base}) and that Kasm is running and reachable from here`;
  if (code === 'ECONNREFUSED')
    return new OperationalError(`cannot reach ${where}: connection refused`, { hint: reachHint, cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new OperationalError(`cannot reach ${where}: the host name does not resolve (DNS)`, {
      hint: `check the host name in kasm.url (${base})`,
      cause: err,
    });
  }
  if (code === 'ETIMEDOUT') {
    const limit =
      timeoutMs === undefined
        ? 'in time'
        : `within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
    return new OperationalError(`no answer from ${where} to ${call} ${limit}`, {
      hint: reachHint,
      cause: err,
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new OperationalError(`cannot reach ${where}: no route to host`, { hint: reachHint, cause: err });
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(e?.message ?? '')) {
    return new OperationalError(`${where} dropped the connection during ${call}`, {
      hint: 'a proxy or Kasm itself closed it; try again, and check the Kasm API server logs if it persists',
      cause: err,
    });
  }
  if (code === 'CERT_HAS_EXPIRED')
    return new OperationalError(`TLS failed for ${where}: its certificate has expired`, {
      hint: 'renew the Kasm server certificate',
      cause: err,
    });
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new OperationalError(`TLS failed for ${where}: the certificate is not valid for this host name`, {
      hint: `use the host name the certificate was issued for in kasm.url`,
      cause: err,
    });
  }
  if (TLS_CODES.has(code)) {
    return new OperationalError(`TLS failed for ${where}: certificate not trusted (${code})`, {
      hint: 'set kasm.ca_file to the PEM of the CA that signed the Kasm certificate',
      cause: err,
    });
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new OperationalError(`TLS failed for ${where} (${code})`, {
      hint: `check kasm.url (${base}): is it https on the right port?`,
      cause: err,
    });
  }
  return new OperationalError(
    `cannot reach ${where}: ${(e?.message ?? String(err)).split('\n')[0]}${code ? ` (${code})` : ''}`,
    { hint: reachHint, cause: err },
  );
}
