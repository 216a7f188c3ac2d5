import { Option, type Command } from 'commander';
import type { OciConfigFlags } from '../../keys/command.js';
import { action, common, examples, type CommonOptions } from '../action.js';

const PASSPHRASE_HELP =
  'read the passphrase from FILE (- = stdin); its bytes are used as-is, a trailing newline included (as oci-cli does)';

/** `kasm-scale keys generate | fingerprint | oci-config` (issue 2). */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('OCI API key pair, fingerprint and ~/.oci/config profile');

  const generate = keys
    .command('generate')
    .description('make an RSA 2048 OCI API key pair (PKCS#8 private key, public key PEM), both files 0600')
    .option('--dir <dir>', 'folder for the key files (created 0700)', '~/.oci')
    .option('--name <name>', 'file name stem: NAME.pem and NAME_public.pem', 'oci_api_key')
    .option('--passphrase-file <file>', `encrypt the private key (PKCS#8, AES-256); ${PASSPHRASE_HELP}`)
    .option('--force', 'replace existing key files');
  common(generate);
  examples(generate, [
    'kasm-scale keys generate',
    'kasm-scale keys generate --dir ./keys --name kasm_autoscale --json',
    'printf %s "$PASSPHRASE" | kasm-scale keys generate --passphrase-file -',
  ]);
  generate.action(
    action<CommonOptions & { dir?: string; name?: string; passphraseFile?: string; force?: boolean }>(
      async ({ options, out }) => {
        const { generateCommand } = await import('../../keys/command.js');
        return generateCommand(options, out);
      },
    ),
  );

  const fingerprint = keys
    .command('fingerprint')
    .description("print a key's OCI fingerprint (MD5 of the DER public key, as the OCI console shows it)")
    .argument('<file>', 'public key PEM, or private key (PKCS#1, PKCS#8, encrypted); - = stdin')
    .option('--passphrase-file <file>', `for an encrypted private key: ${PASSPHRASE_HELP}`);
  common(fingerprint);
  examples(fingerprint, [
    'kasm-scale keys fingerprint ~/.oci/oci_api_key.pem',
    'kasm-scale keys fingerprint ~/.oci/oci_api_key_public.pem --json',
    'kasm-scale keys fingerprint encrypted.pem --passphrase-file ~/.oci/passphrase',
  ]);
  fingerprint.action(
    action<CommonOptions & { passphraseFile?: string }>(async ({ options, args, out }) => {
      const { fingerprintCommand } = await import('../../keys/command.js');
      return fingerprintCommand(args[0], options, out);
    }),
  );

  const ociConfig = keys
    .command('oci-config')
    .description(
      'add or replace one profile in an oci-cli compatible config file (fingerprint computed from the key), file 0600',
    )
    .requiredOption('--user <ocid>', 'user OCID (ocid1.user.oc1..…)')
    .requiredOption('--tenancy <ocid>', 'tenancy OCID (ocid1.tenancy.oc1..…)')
    .requiredOption('--region <region>', 'region identifier, such as us-ashburn-1')
    .requiredOption('--key-file <file>', 'the private key file (stored as an absolute path)')
    .option('--profile <name>', 'profile (section) name', 'DEFAULT')
    .option('--config <file>', 'config file to edit; other profiles and comments are kept', '~/.oci/config')
    .option('--force', 'replace the profile if it exists')
    .option('--passphrase-file <file>', `for an encrypted key: ${PASSPHRASE_HELP}`)
    .addOption(
      new Option(
        '--save-passphrase',
        'also store the passphrase as pass_phrase in the profile (the SDK reads it from there)',
      ),
    );
  common(ociConfig);
  examples(ociConfig, [
    'kasm-scale keys oci-config --user ocid1.user.oc1..aaaa… --tenancy ocid1.tenancy.oc1..aaaa… --region us-ashburn-1 --key-file ~/.oci/oci_api_key.pem',
    'kasm-scale keys oci-config --profile KASM --config ./oci-config --force --user … --tenancy … --region eu-frankfurt-1 --key-file ./keys/kasm.pem --json',
  ]);
  ociConfig.action(
    action<CommonOptions & OciConfigFlags>(async ({ options, out }) => {
      const { ociConfigCommand } = await import('../../keys/command.js');
      return ociConfigCommand(options, out);
    }),
  );
}
