/**
 * A pod's view of the cluster for tests: a TLS key and certificate for the emulated API
 * server (made by openssl, for 127.0.0.1), and the service-account files the in-cluster
 * config reads (token, ca.crt, namespace) under a prefix directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function selfSignedCert(dir: string): { key: string; cert: string } {
  const key = join(dir, 'api.key');
  const cert = join(dir, 'api.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** Writes <prefix>/var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace}; returns the prefix. */
export function serviceAccountFiles(prefix: string, token: string, ca: string, namespace: string): string {
  const dir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), token, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), ca);
  writeFileSync(join(dir, 'namespace'), namespace);
  return prefix;
}
