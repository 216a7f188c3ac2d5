import { CliError } from '../../core/errors.js';
import { inspectKey, keySizeProblem } from './key-inspect.js';
import type { PathSegments } from '../../core/fields/path.js';
import { ociFields } from './schema.js';
import { isBlank, valid, type CheckContext } from '../../core/fields/check-context.js';
import { ociSpotProblems } from './spot.js';

/** OCI rules that involve more than one field. */
export function checkOci(p: Record<string, unknown>, at: PathSegments, ctx: CheckContext): void {
  if (isBlank(p.startup_script) && p.startup_script_file === undefined)
    ctx.add(
      [...at, 'startup_script'],
      'missing startup_script; expected the script Kasm runs on each new agent (inline, or startup_script_file: a path)',
    );

  // An unknown mode is reported by the schema; its key rules are then unknown too.
  const mode = p.oci_auth === undefined ? 'api_key' : valid(ociFields.oci_auth, p.oci_auth);
  if (mode === undefined) {
    // nothing more to say about how it signs
  } else if (mode !== 'api_key') {
    // Exactly one way to sign: the API key fields belong to api_key (Kasm's copy is submitted from another file).
    for (const k of ['oci_user_ocid', 'oci_fingerprint', 'oci_private_key', 'oci_private_key_file'] as const)
      if (p[k] !== undefined)
        ctx.add(
          [...at, k],
          `${k} is for oci_auth: api_key, but oci_auth is ${mode}; expected exactly one way to sign: remove ${k} or oci_auth`,
          { atKey: true },
        );
  } else {
    for (const [k, what] of [
      ['oci_user_ocid', 'the user OCID (ocid1.user.oc1..<id>)'],
      ['oci_fingerprint', 'the API key fingerprint (aa:bb:...:ff)'],
    ] as const)
      if (p[k] === undefined)
        ctx.add(
          [...at, k],
          `missing ${k}; expected ${what}, or an oci_auth mode that signs without an API key (see docs/credentials.md)`,
        );
  }
  if (mode !== undefined && mode !== 'security_token')
    for (const k of ['oci_config_file', 'oci_profile'] as const)
      if (p[k] !== undefined)
        ctx.add([...at, k], `${k} applies only to oci_auth: security_token; remove it or set oci_auth`, {
          atKey: true,
        });

  // Key, passphrase and fingerprint: the most common cause of NotAuthenticated.
  if (mode !== 'api_key') {
    // signed with the platform's identity (or an unknown mode): no API key to check
  } else if (isBlank(p.oci_private_key) && p.oci_private_key_file === undefined) {
    ctx.add(
      [...at, 'oci_private_key'],
      'missing oci_private_key; expected the API private key PEM (inline or ${ENV}), or oci_private_key_file: a path such as ~/.oci/oci_api_key.pem',
    );
  } else {
    const key = valid(ociFields.oci_private_key, p.oci_private_key);
    const passphrase =
      typeof p.oci_private_key_passphrase === 'string' ? p.oci_private_key_passphrase : undefined;
    if (key !== undefined)
      checkKey(key, passphrase, valid(ociFields.oci_fingerprint, p.oci_fingerprint), at, ctx);
  }

  const shape = valid(ociFields.oci_shape, p.oci_shape);
  if (shape !== undefined) {
    const flex = shape.endsWith('.Flex');
    const cpus = valid(ociFields.oci_flex_cpus, p.oci_flex_cpus);
    const mem = valid(ociFields.oci_flex_memory_gb, p.oci_flex_memory_gb);
    if (flex) {
      if (p.oci_flex_cpus === undefined)
        ctx.add(
          [...at, 'oci_flex_cpus'],
          `missing oci_flex_cpus; expected the number of OCPUs (${shape} is a Flex shape)`,
        );
      if (p.oci_flex_memory_gb === undefined)
        ctx.add(
          [...at, 'oci_flex_memory_gb'],
          `missing oci_flex_memory_gb; expected the memory in GB (${shape} is a Flex shape)`,
        );
      if (cpus !== undefined && mem !== undefined && (mem < cpus || mem > cpus * 64))
        ctx.add(
          [...at, 'oci_flex_memory_gb'],
          `${mem} GB for ${cpus} OCPUs is ${+(mem / cpus).toFixed(2)} GB per OCPU; expected 1–64 GB per OCPU (${cpus}–${cpus * 64} GB)`,
          { found: mem },
        );
    } else {
      for (const k of ['oci_flex_cpus', 'oci_flex_memory_gb', 'oci_baseline_ocpu_utilization'] as const)
        if (p[k] !== undefined)
          ctx.add(
            [...at, k],
            `${k} applies only to Flex shapes (names ending in .Flex); ${shape} is a fixed shape: remove ${k} or choose a Flex shape`,
            { atKey: true },
          );
    }
  }

  if (p.spot === true)
    for (const x of ociSpotProblems({
      oci_shape: shape,
      oci_baseline_ocpu_utilization: valid(
        ociFields.oci_baseline_ocpu_utilization,
        p.oci_baseline_ocpu_utilization,
      ),
      oci_config_override: valid(ociFields.oci_config_override, p.oci_config_override),
    }))
      ctx.add([...at, x.key], x.message, { atKey: true });
}

function checkKey(
  key: string,
  passphrase: string | undefined,
  fingerprint: string | undefined,
  at: PathSegments,
  ctx: CheckContext,
): void {
  const keyPath = [...at, 'oci_private_key'];
  const source = ctx.fromFile(keyPath) ?? 'oci_private_key';
  let info;
  try {
    info = inspectKey(key, passphrase === '' ? undefined : passphrase, {
      source,
      passphraseFlag: 'oci_private_key_passphrase (or oci_private_key_passphrase_file)',
    });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    let msg = err.hint ? `${err.message}; ${err.hint}` : err.message;
    // A passphrase file written with `echo` ends with a newline that becomes part of it.
    if (/passphrase/.test(err.message) && passphrase?.endsWith('\n'))
      msg += ' (the passphrase ends with a newline: write the file with printf, not echo)';
    ctx.add(
      /passphrase/.test(err.message) && passphrase !== undefined
        ? [...at, 'oci_private_key_passphrase']
        : keyPath,
      msg,
    );
    return;
  }
  if (info.kind === 'public') {
    ctx.add(
      keyPath,
      `${source} is a public key; expected the private key (the public one is what you upload to OCI)`,
    );
    return;
  }
  const weak = keySizeProblem(info, source);
  if (weak) ctx.add(keyPath, weak);
  if (passphrase && !info.encrypted)
    ctx.warn(
      `${[...at].join('.')}: oci_private_key_passphrase is set but the private key is not encrypted; the passphrase is ignored`,
    );
  if (fingerprint !== undefined && fingerprint.toLowerCase() !== info.fingerprint)
    ctx.add(
      [...at, 'oci_fingerprint'],
      `does not match the private key, whose fingerprint is ${info.fingerprint}; OCI would answer NotAuthenticated. Expected the fingerprint OCI shows for the uploaded public key of this private key`,
      {
        found: fingerprint,
      },
    );
}
