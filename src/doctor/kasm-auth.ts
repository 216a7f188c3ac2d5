/**
 * The doctor check that says which API key style the Kasm server takes: `body` (api_key in
 * the JSON body under /api/public/, Kasm up to 1.19) or `basic` (Authorization: Basic under
 * /api/, Kasm's newest Developer API). The configured style's answer is the one the other
 * Kasm checks already got (get_zones); the other style costs one more get_zones. A style
 * "is taken" when its route answers as Kasm does (even refusing the key); a 404 means this
 * Kasm has no such route.
 */
import type { KasmSection } from '../config/types.js';
import { createKasmClient } from '../kasm/client.js';
import { settle, fail, ok, warn, type Check, type Outcome } from '../core/checks.js';
import { oneLine } from '../core/errors.js';

type Style = 'body' | 'basic';
type Settled = { ok: true } | { ok: false; error: unknown };
const WHERE: Record<Style, string> = {
  body: 'api_key in the JSON body, /api/public/',
  basic: 'Authorization: Basic, /api/',
};

/** taken: the route answered as Kasm (ok or refusing the key); missing: 404; unknown: no answer (network, TLS, 5xx). */
function verdict(r: Settled): 'taken' | 'missing' | 'unknown' {
  if (r.ok) return 'taken';
  const line = oneLine(r.error);
  if (/\(HTTP 404\)/.test(line)) return 'missing';
  if (/refused the API key|401 Unauthorized|rejected \S+ \(HTTP 400\)|failed: "/.test(line)) return 'taken';
  return 'unknown';
}

export function kasmAuthCheck(
  section: KasmSection,
  configured: () => Promise<Settled>,
  timeoutMs: number,
): Check {
  const style: Style = section.auth ?? 'body';
  const other: Style = style === 'body' ? 'basic' : 'body';
  return {
    id: 'auth',
    title: 'API key style (kasm.auth)',
    async run(): Promise<Outcome> {
      const mine = verdict(await configured());
      const theirs = verdict(
        await settle(
          Promise.resolve().then(() =>
            createKasmClient({ ...section, auth: other }, { timeoutMs }).getZones(),
          ),
        ),
      );
      if (mine === 'taken') {
        const also =
          theirs === 'taken'
            ? `; it takes ${other} too`
            : theirs === 'missing'
              ? `; not ${other} (HTTP 404 under ${other === 'basic' ? '/api/' : '/api/public/'})`
              : '';
        return ok(`the server takes kasm.auth: ${style} (${WHERE[style]})${also}`);
      }
      if (mine === 'missing' && theirs === 'taken') {
        return fail(
          `the server does not take kasm.auth: ${style} (HTTP 404 under ${style === 'basic' ? '/api/' : '/api/public/'}); it takes ${other} (${WHERE[other]})`,
          `set auth: ${other} in the kasm section`,
        );
      }
      if (mine === 'missing' && theirs === 'missing')
        return fail(
          'neither /api/public/ (body) nor /api/ (basic) answers as a Kasm API',
          'check kasm.url: the address of the Kasm web app, without /api',
        );
      return warn(
        `cannot tell which key style the server takes (${style}: no answer)`,
        'see the reachable check',
      );
    },
  };
}
