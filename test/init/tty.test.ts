import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { gcpFields } from '../../src/clouds/gcp/schema.js';
import { type OciEmulator, startOciEmulator } from '../../src/emulators/oci/index.js';
import { ocidError } from '../../src/clouds/oci/ocid.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { serviceAccountKey } from '../helpers/keys.js';
import { KASM_SECRET, MANAGER_TOKEN, OCIDS } from './fixtures.js';
import { hasTmux, Terminal } from './tmux.js';

/**
 * `kasm-scale init` as a person uses it: the built CLI in a real pseudo-terminal (tmux),
 * keystrokes in, the screen and the resulting files checked. Few tests, each slow-ish.
 */
let dir: string;
let home: string;
let cleanup: () => Promise<void>;
let term: Terminal | undefined;
let emu: OciEmulator | undefined;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-init-tty-'));
  home = join(dir, 'home');
  mkdirSync(home);
});
afterEach(async () => {
  term?.close();
  term = undefined;
  await emu?.close();
  emu = undefined;
  await cleanup();
});

// No KASM_MANAGER_TOKEN: the wizard asks for the token the template needs.
const env = () => ({
  HOME: home,
  XDG_CONFIG_HOME: '',
  KASM_SCALE_CONFIG: '',
  KASM_MANAGER_TOKEN: '',
  TERM: 'xterm-256color',
});

/** `text` as a pattern that also matches it wrapped: inquirer breaks long messages at spaces to fit the pane. */
function wrapped(text: string): RegExp {
  return new RegExp(
    text
      .split(/\s+/)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+'),
  );
}

/** Declines the doctor / submit offers (shown only when those commands exist) until the final `Next:` line. */
async function declineOffers(t: Terminal): Promise<void> {
  for (;;) {
    const s = await t.waitFor(
      /^(Next: .*|\? (Run kasm-scale doctor|Submit the provider config).*)$/m,
      20_000,
    );
    if (/^Next: /m.test(s)) return;
    t.answer('n');
    await t.waitFor(/✔ (Run kasm-scale doctor|Submit the provider config)/);
  }
}

async function exitCode(t: Terminal): Promise<number> {
  await t.waitFor(/./, 1000); // the pane is alive
  const deadline = Date.now() + 20_000;
  while (!existsSync(t.exitFile)) {
    if (Date.now() > deadline) throw new Error(`init did not exit; screen:\n${t.screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Number(readFileSync(t.exitFile, 'utf8').trim());
}

describe.skipIf(!hasTmux())('kasm-scale init in a terminal', () => {
  it("OCI: generates a key, shows its fingerprint, offers the ADs OCI lists once the key is uploaded, rejects a bad OCID with the validator's message, writes 0600 files that validate", async () => {
    // OCI is an in-process emulator (--oci-endpoint): "uploading" the key registers it there.
    const ADS = ['Qwer:US-ASHBURN-AD-1', 'Qwer:US-ASHBURN-AD-2', 'Qwer:US-ASHBURN-AD-3'];
    emu = await startOciEmulator({ seed: { availabilityDomains: ADS } });
    term = new Terminal(dir, ['init', '--oci-endpoint', emu.url], env());
    const t = term;
    await t.reply('Which cloud', ''); // OCI is the default
    await t.reply('Name of this VM provider config', '');
    await t.reply('OCI API key', ''); // generate
    await t.reply('Private key file', '');

    const shown = await t.waitForPrompt('Have you added the public key');
    expect(shown).toContain('Profile → User Settings → API keys → Add API Key → Paste a public key');
    expect(shown).toContain('-----BEGIN PUBLIC KEY-----');
    const fingerprint = /Fingerprint: ([0-9a-f:]{47})/.exec(shown)?.[1];
    // openssl is the independent judge of the fingerprint shown on screen.
    const pub = join(home, '.oci', 'oci_api_key_public.pem');
    const expected = execSync(`openssl pkey -pubin -in '${pub}' -outform DER | openssl md5 -c`, {
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/)
      .pop();
    expect(fingerprint).toBe(expected);
    emu.registerApiKey({ tenancy: OCIDS.tenancy, user: OCIDS.user }, readFileSync(pub, 'utf8')); // pasted in the console
    t.answer('y');

    const bad = 'ocid1.tenancy.oc1..aaaaaaaanotauser';
    await t.reply('User OCID', bad);
    await t.waitFor(ocidError(bad, 'user')!); // the same words `config validate` prints
    t.answer(OCIDS.user);
    await t.reply('Tenancy OCID', OCIDS.tenancy);
    await t.reply('Compartment OCID', ''); // defaults to the tenancy
    await t.reply('Region', '');
    // Listed from OCI, all ticked: Enter takes them.
    const listed = await t.waitForPrompt('Availability domains');
    for (const ad of ADS) expect(listed).toContain(ad);
    t.key('Enter');
    await t.reply('Shape', '');
    await t.reply('Flex OCPUs', '');
    await t.reply('Flex memory', '');
    await t.reply('Burstable baseline', '');
    await t.reply('Image OCID', OCIDS.image);
    await t.reply('Subnet OCID', OCIDS.subnet);
    await t.reply('Network security group', '');
    await t.reply('SSH public key', '');
    await t.reply('Boot volume', '');
    await t.reply('Freeform tags', 'team=desktops');
    await t.reply('Startup script file', '');
    await t.reply('Most agents', '4');
    await t.reply('Kasm URL', 'http://127.0.0.1:9'); // nothing listens: init's own doctor fails
    await t.reply('Kasm API key (', 'kasmkey123');
    await t.reply('Kasm API key secret', KASM_SECRET);
    await t.reply('Kasm manager token', MANAGER_TOKEN);
    await t.reply('Autoscale config name', '');
    await t.reply('Kasm zone', '');
    await t.reply('Standby cores', '8');
    await t.reply('Standby memory', '');
    await t.reply('Standby GPUs', '');
    await t.reply('Downscale backoff', '');
    await t.reply('Minimum agents', '');
    await t.reply('Profile name', '');
    // Accept init's doctor: Kasm does not answer and the emulator knows no image, so the
    // setup does not work yet and init says so in its exit code.
    await t.waitFor(/Run kasm-scale doctor/, 20_000);
    t.answer('y');

    expect(await exitCode(t)).toBe(1);
    const screen = t.screen();
    expect(screen).toMatch(/doctor found problems; fix them, then run: kasm-scale doctor/);
    expect(screen).not.toContain(KASM_SECRET);
    expect(screen).toContain('config validate: no problems');
    const config = join(dir, 'kasm-scale.yaml');
    for (const f of [
      config,
      join(home, '.oci', 'oci_api_key.pem'),
      join(home, '.oci', 'config'),
      join(home, '.config', 'kasm-scale', 'kasm_api_key_secret'),
    ]) {
      expect(statSync(f).mode & 0o777, f).toBe(0o600);
    }
    const doc = parse(readFileSync(config, 'utf8'));
    expect(doc.providers[0].oci_fingerprint).toBe(fingerprint);
    expect(doc.providers[0].oci_compartment_ocid).toBe(OCIDS.tenancy);
    expect(doc.providers[0].oci_availability_domains).toEqual(ADS);
    expect(doc.providers[0].endpoint).toBe(emu.url);
    expect(emu.requests.map((r) => [r.operation, r.status])[0]).toEqual(['ListAvailabilityDomains', 200]);
    const v = await runCli(['config', 'validate', config], { env: env(), cwd: dir });
    expect(v.code, v.stderr).toBe(0);
  }, 90_000);

  it("GCP: reads a service account key file, rejects a bad project ID with the validator's message, writes a 0600 config that validates and never shows the key", async () => {
    // The key file a person downloaded from IAM, in their (temporary) home, given as ~/...
    const sa = serviceAccountKey('kasm-test-project');
    mkdirSync(join(home, 'keys'));
    writeFileSync(join(home, 'keys', 'sa.json'), JSON.stringify(sa), { mode: 0o600 });
    const PROJECT = 'kasm-tty-project';
    const bad = 'Bad_Project';
    // The message `config validate` gives for this value: from the field's own schema, not a copy.
    const badMessage = gcpFields.gcp_project.safeParse(bad).error?.issues[0]?.message;
    expect(badMessage).toBeTruthy();

    term = new Terminal(dir, ['init'], env());
    const t = term;
    await t.waitForPrompt('Which cloud');
    await t.waitFor('Google Cloud (GCP)');
    t.key('Down');
    t.key('Enter');
    await t.waitFor(/✔ Which cloud.*Google Cloud/);
    await t.reply('Name of this VM provider config', 'gcp-gpu-agents');
    await t.reply('Service account key JSON file', '~/keys/sa.json');
    // The default comes from the key file; a bad ID is refused under the prompt.
    const asked = await t.waitForPrompt('Project ID');
    expect(asked).toContain('(kasm-test-project)');
    t.answer(bad);
    await t.waitFor(wrapped(badMessage!));
    t.answer(PROJECT);
    await t.waitFor(`✔ Project ID ${PROJECT}`);
    await t.reply('Region', ''); // us-east4
    await t.reply('Zone', 'us-east4-c');
    await t.reply('Machine type', 'n1-standard-4');
    await t.reply('Image', '');
    await t.reply('Boot volume', '');
    await t.reply('Disk type', '');
    const net = await t.waitForPrompt('Network');
    expect(net).toContain(`projects/${PROJECT}/global/networks/default`); // the typed project, not the key's
    t.answer('');
    await t.reply('Subnetwork', '');
    await t.reply('Give agents a public IP?', 'n');
    await t.reply('Labels', 'team=desktops, env=prod');
    await t.reply('Network tags', 'kasm-agent, https-server');
    await t.reply('GPUs per agent', 'nvidia-tesla-t4:1');
    await t.reply('Startup script file', '');
    await t.reply('Most agents', '4');
    await t.reply('Kasm URL', 'https://kasm.example.com');
    await t.reply('Kasm API key (', 'kasmkey123');
    await t.reply('Kasm API key secret', KASM_SECRET);
    await t.reply('Kasm manager token', MANAGER_TOKEN);
    await t.reply('Autoscale config name', '');
    await t.reply('Kasm zone', '');
    await t.reply('Standby cores', '');
    await t.reply('Standby memory', '');
    await t.reply('Standby GPUs', '1');
    await t.reply('Downscale backoff', '600');
    await t.reply('Minimum agents', '');
    await declineOffers(t);

    expect(await exitCode(t)).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('config validate: no problems');
    // Neither the Kasm secret nor any of the service account's private key is on screen.
    expect(screen).not.toContain(KASM_SECRET);
    expect(screen).not.toContain('PRIVATE KEY');
    const keyLines = sa.private_key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    expect(keyLines.length).toBeGreaterThan(10);
    for (const l of keyLines) expect(screen).not.toContain(l.slice(0, 24));
    expect(screen).not.toContain(sa.private_key_id);

    const config = join(dir, 'kasm-scale.yaml');
    const secretFile = join(home, '.config', 'kasm-scale', 'kasm_api_key_secret');
    for (const f of [config, secretFile]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(secretFile, 'utf8')).toBe(KASM_SECRET);
    const text = readFileSync(config, 'utf8');
    expect(text).not.toContain(KASM_SECRET);
    expect(text).not.toContain('PRIVATE KEY');
    const doc = parse(text);
    expect(doc.kasm.api_key_secret).toBeUndefined();
    expect(doc.kasm.api_key_secret_file).toBe('~/.config/kasm-scale/kasm_api_key_secret');
    const p = doc.providers[0];
    expect(p.gcp_credentials).toBeUndefined();
    expect(p.gcp_credentials_file).toBe('~/keys/sa.json');
    expect(p).toMatchObject({
      vm_provider_name: 'gcp',
      vm_provider_config_name: 'gcp-gpu-agents',
      gcp_project: PROJECT,
      gcp_region: 'us-east4',
      gcp_zone: 'us-east4-c',
      gcp_machine_type: 'n1-standard-4',
      gcp_image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
      gcp_network: `projects/${PROJECT}/global/networks/default`,
      gcp_subnetwork: `projects/${PROJECT}/regions/us-east4/subnetworks/default`,
      gcp_public_ip: false,
      gcp_custom_labels: { team: 'desktops', env: 'prod' },
      gcp_network_tags: ['kasm-agent', 'https-server'],
      gcp_guest_accelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }],
      max_instances: 4,
    });
    expect(doc.autoscale[0]).toMatchObject({
      autoscale_config_name: 'gcp-gpu-agents',
      vm_provider_config_name: 'gcp-gpu-agents',
      standby_gpus: 1,
      downscale_backoff: 600,
    });

    const v = await runCli(['config', 'validate', config], { env: env(), cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    // And `config validate` says the very words the prompt showed for the bad ID.
    const badConfig = join(dir, 'bad.yaml');
    writeFileSync(badConfig, stringify({ ...doc, providers: [{ ...p, gcp_project: bad }] }));
    const vb = await runCli(['config', 'validate', badConfig], { env: env(), cwd: dir });
    expect(vb.code).toBe(2);
    expect(vb.stdout + vb.stderr).toContain(badMessage);
  }, 90_000);

  it('Ctrl-C at a question: exit 130, one line, no config file', async () => {
    term = new Terminal(dir, ['init'], env());
    await term.reply('Which cloud', '');
    await term.waitForPrompt('Name of this VM provider config');
    term.key('C-c');
    expect(await exitCode(term)).toBe(130);
    expect(term.screen()).toContain('init cancelled; no config file was written');
    expect(existsSync(join(dir, 'kasm-scale.yaml'))).toBe(false);
  }, 30_000);
});
