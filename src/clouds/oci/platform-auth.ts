/**
 * `oci_auth` modes other than api_key: the SDK's own authentication providers sign (keyId
 * `ST$<security token>`, the token carrying the session key's public half):
 * - instance_principal: InstancePrincipalsAuthenticationDetailsProviderBuilder (the VM's
 *   certificate from the instance metadata service, exchanged at the region's federation
 *   endpoint for a token; refreshed by the SDK);
 * - resource_principal: ResourcePrincipalAuthenticationDetailsProvider (v2.2: the
 *   OCI_RESOURCE_PRINCIPAL_VERSION/RPST/PRIVATE_PEM/REGION variables OCI sets for Functions,
 *   Container Instances, ...);
 * - security_token: SessionAuthDetailProvider (a profile `oci session authenticate` wrote:
 *   security_token_file + key_file).
 * Nothing here reimplements them; we only turn their errors into one line with the fix.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import { oneLine } from '../../core/errors.js';
import type { OciProvider } from './schema.js';
import { CloudError } from '../types.js';

export type OciPlatformProvider = Pick<
  OciProvider,
  'vm_provider_config_name' | 'oci_auth' | 'oci_config_file' | 'oci_profile'
>;

const HINT: Record<Exclude<OciProvider['oci_auth'], 'api_key'>, string> = {
  instance_principal:
    'run on an OCI instance whose dynamic group a policy allows to manage instances, with the instance metadata service (169.254.169.254) reachable',
  resource_principal:
    'set OCI_RESOURCE_PRINCIPAL_VERSION=2.2, OCI_RESOURCE_PRINCIPAL_RPST, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM and OCI_RESOURCE_PRINCIPAL_REGION (OCI sets them for functions and container instances)',
  security_token:
    'run "oci session authenticate" (or "oci session refresh") for the profile, and check oci_config_file and oci_profile',
};

export function ociConfigFilePath(p: Pick<OciProvider, 'oci_config_file'>): string {
  const f = p.oci_config_file ?? join(homedir(), '.oci', 'config');
  return f.startsWith('~/') ? join(homedir(), f.slice(2)) : f;
}

/** The SDK's provider for the mode; throws CloudError 'auth' (one line, no secret) when it cannot be built. */
export async function ociPlatformAuth(p: OciPlatformProvider): Promise<common.AuthenticationDetailsProvider> {
  const mode = p.oci_auth;
  if (mode === 'api_key') throw new Error('ociPlatformAuth is for the modes without an API key');
  try {
    switch (mode) {
      case 'instance_principal':
        return await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
      case 'resource_principal':
        return common.ResourcePrincipalAuthenticationDetailsProvider.builder();
      case 'security_token': {
        const auth = new common.SessionAuthDetailProvider(ociConfigFilePath(p), p.oci_profile ?? 'DEFAULT');
        if (!(await auth.getSecurityToken()))
          throw new Error(`profile ${p.oci_profile ?? 'DEFAULT'} has no security_token_file`);
        return auth;
      }
    }
  } catch (err) {
    throw platformAuthError(err, p);
  }
}

export function platformAuthError(err: unknown, p: OciPlatformProvider): CloudError {
  const mode = p.oci_auth as keyof typeof HINT;
  const raw = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
  const why = oneLine(raw)
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '<token>')
    .replace(/\s*For more info.*$/i, '')
    .slice(0, 240);
  return new CloudError({
    kind: 'auth',
    cloud: 'oci',
    message: `provider ${p.vm_provider_config_name}: oci_auth: ${mode}: no credentials (${why}); ${HINT[mode]}`,
    cause: new Error(why),
  });
}

/** Who the security token speaks for, from its claims (never the token itself): for doctor. */
export async function describePlatformIdentity(
  auth: common.AuthenticationDetailsProvider,
): Promise<{ principal: string; tenancy?: string; expires?: string }> {
  const keyId = await auth.getKeyId();
  const token = keyId.startsWith('ST$') ? keyId.slice(3) : '';
  const claims = ((): Record<string, unknown> => {
    try {
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      return {};
    }
  })();
  const str = (k: string) => (typeof claims[k] === 'string' ? claims[k] : undefined);
  const principal = str('sub') ?? str('opc-instance') ?? 'an OCI principal';
  const tenancy = str('res_tenant') ?? str('tenant');
  const expires = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : undefined;
  return { principal, tenancy, expires };
}
