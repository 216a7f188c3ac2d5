import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CLOUD_LIST } from '../../clouds/registry.js';
import { expandHome } from '../../core/files.js';
import type { PathSegments } from '../problems.js';

/**
 * Sibling `*_file` keys: `oci_private_key_file: ~/.oci/oci_api_key.pem` reads the file into
 * `oci_private_key`. Paths expand `~` and are relative to the config file's folder.
 */
export const FILE_KEYS: Readonly<Record<string, string>> = Object.assign(
  {
    // The kasm: section's own; each cloud's come from the registry (its `fileKeys`).
    api_key_secret_file: 'api_key_secret',
    manager_token_file: 'manager_token',
  },
  ...CLOUD_LIST.map((c) => c.fileKeys),
);

export interface FileProblem {
  path: PathSegments;
  message: string;
  atKey?: boolean;
}

export function resolvePath(p: string, configFile: string, home: string): string {
  const expanded = expandHome(p.trim(), home);
  return isAbsolute(expanded) ? expanded : resolve(dirname(configFile), expanded);
}

/**
 * Reads every `*_file` key of one section object in place. Returns problems, and for each
 * value read, the path of the key it came from (so later problems point at that line).
 */
export async function readFileKeys(
  obj: Record<string, unknown>,
  at: PathSegments,
  configFile: string,
  home: string,
): Promise<{ problems: FileProblem[]; origins: Map<string, { keyPath: PathSegments; file: string }> }> {
  const problems: FileProblem[] = [];
  const origins = new Map<string, { keyPath: PathSegments; file: string }>();
  for (const [fileKey, target] of Object.entries(FILE_KEYS)) {
    const p = obj[fileKey];
    if (p === undefined) continue;
    if (typeof p !== 'string' || p.trim() === '') continue; // the schema reports the type
    if (obj[target] !== undefined && obj[target] !== '') {
      problems.push({
        path: [...at, fileKey],
        message: `give ${target} or ${fileKey}, not both`,
        atKey: true,
      });
      continue;
    }
    const file = resolvePath(p, configFile, home);
    try {
      const text = await readFile(file, 'utf8');
      // A passphrase file is used byte for byte (oci-cli's habit); other files are text.
      obj[target] = text;
      origins.set(target, { keyPath: [...at, fileKey], file });
    } catch (err) {
      problems.push({ path: [...at, fileKey], message: fileErrorMessage(err, file) });
    }
  }
  return { problems, origins };
}

/** `ca_file`: a path, kept as an absolute path; the file must be a readable PEM certificate. */
export async function checkCaFile(
  obj: Record<string, unknown>,
  at: PathSegments,
  configFile: string,
  home: string,
): Promise<FileProblem[]> {
  const p = obj.ca_file;
  if (typeof p !== 'string' || p.trim() === '') return [];
  const file = resolvePath(p, configFile, home);
  obj.ca_file = file;
  try {
    const text = await readFile(file, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      return [
        {
          path: [...at, 'ca_file'],
          message: `${file} holds no PEM certificate; expected a file with -----BEGIN CERTIFICATE-----`,
        },
      ];
    return [];
  } catch (err) {
    return [{ path: [...at, 'ca_file'], message: fileErrorMessage(err, file) }];
  }
}

function fileErrorMessage(err: unknown, file: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${file} does not exist; expected the path of a readable file`;
  if (code === 'EISDIR') return `${file} is a folder; expected the path of a file`;
  if (code === 'EACCES' || code === 'EPERM')
    return `${file} cannot be read (permission denied); check its owner and mode`;
  return `${file} cannot be read (${code ?? (err as Error).message})`;
}

/** Mode bits of the config file, for the "secret readable by others" warning. */
export async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}
