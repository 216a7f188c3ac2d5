/**
 * The one way a user's value is shown back in a problem or an error. A value given in the
 * wrong place may be a secret (a private key pasted into a user OCID, a service account
 * JSON into a region, a token into a name): anything that looks like a PEM block, JSON
 * text or a long random-looking string is described by its kind and length, never shown.
 * Everything else is quoted and shortened.
 */
import { escapeControl } from './escape.js';

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----/;
/** An OCI API key fingerprint (16 hex pairs): long and random-looking, but public. */
const FINGERPRINT = /^([0-9a-fA-F]{2}:){15}[0-9a-fA-F]{2}$/;
/** OCIDs are long and random-looking too, but identifiers, not secrets. */
const OCID = /^ocid1\.[a-z0-9]+\.[a-z0-9]+\./;

/** Bits per character of the string's own symbol distribution. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * A token with a run of 20+ characters, between the separators names and paths use
 * (- _ . / : ~), that mixes letters and digits and is spread like random output: hex and
 * base64 keys and tokens, a PEM body line. Names such as ubuntu-2204-jammy-v20240126 or
 * my-project-123456 break into short or single-class runs and stay visible.
 */
function looksRandom(token: string): boolean {
  if (token.length < 20 || FINGERPRINT.test(token) || OCID.test(token)) return false;
  const classes = (t: string) => [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(t)).length;
  // Base64 (its alphabet only, both cases and digits): '/' is part of it, not a separator.
  if (token.length >= 24 && /^[A-Za-z0-9+/]+=*$/.test(token) && classes(token) === 3 && entropy(token) >= 4)
    return true;
  return token.split(/[-_./:~]+/).some((run) => {
    if (run.length < 20 || !/^[A-Za-z0-9+=]+$/.test(run)) return false;
    return classes(run) >= 2 && entropy(run) >= 3.3;
  });
}

/** What a secret-looking value is ("a PEM private key"), or undefined when it may be shown. */
export function secretKind(value: string): string | undefined {
  const t = value.trim();
  if (t.startsWith('{') && /"[^"]*"\s*:/.test(t))
    return /"private_key"\s*:/.test(t) ? 'a JSON key file' : 'JSON text';
  const pem = PEM.exec(value);
  if (pem) return /PRIVATE KEY/.test(pem[1]) ? 'a PEM private key' : `a PEM block (${pem[1].toLowerCase()})`;
  if (t.split(/\s+/).some(looksRandom)) return 'a long random-looking string (a key or token?)';
  return undefined;
}

/** `'value'` (shortened, control characters escaped), or `<kind> of N characters` for a secret-looking value. */
export function echoValue(value: unknown, max = 80): string {
  const s = typeof value === 'string' ? value : String(value);
  const kind = secretKind(s);
  if (kind) return `${kind} of ${s.length} characters (not shown)`;
  const shown = s.length > max ? `${s.slice(0, max - 3)}...` : s;
  // Newline and tab as \n and \t (readable in one line); every other control character, C1 included, as \xNN.
  return `'${escapeControl(shown.replace(/\n/g, '\\n').replace(/\t/g, '\\t'))}'`;
}
