import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * Every example an operator copies is checked here: manifests parse and say what the
 * README promises (Forbid, secrets as files, a state volume), and every kasm-scale
 * command line in them names a real command and real flags of the built CLI.
 */
const ROOT = resolve(__dirname, '../..');
const EX = join(ROOT, 'examples');
const read = (p: string) => readFileSync(join(EX, p), 'utf8');

function yamlDocs(p: string): unknown[] {
  const docs = parseAllDocuments(read(p));
  for (const d of docs) expect(d.errors, `${p}: ${d.errors.map((e) => e.message).join('; ')}`).toEqual([]);
  return docs.map((d) => d.toJS());
}

function walkYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walkYaml(p);
    return /\.ya?ml$/.test(e.name) ? [p.slice(EX.length + 1)] : [];
  });
}

/** The `kasm-scale ...` invocations in a shell text (line continuations joined). */
function kasmScaleCommands(text: string): string[][] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const found: string[][] = [];
  for (const m of joined.matchAll(/(?:^|[\s;&|(])kasm-scale\s+([^\n;&|>]*)/g)) {
    const words = m[1].trim().split(/\s+/).filter(Boolean);
    if (words[0]?.startsWith('--')) continue;
    found.push(words);
  }
  return found;
}

/**
 * Checks one invocation against `--help`: the command path exists (commander shows the
 * full path in its Usage line) and every `--flag` is listed. Returns why the command
 * is missing, if it is.
 */
async function checkInvocation(words: string[]): Promise<string | undefined> {
  const path: string[] = [];
  for (const w of words) {
    if (w.startsWith('-')) break;
    const r = await runCli([...path, w, '--help']);
    const usage = r.stdout.match(/^Usage: kasm-scale (.*)$/m)?.[1] ?? '';
    if (r.code === 0 && usage.startsWith([...path, w].join(' '))) path.push(w);
    else break;
  }
  if (path.length === 0) return `command "${words[0]}" is not in the CLI yet`;
  const help = (await runCli([...path, '--help'])).stdout;
  // A command with subcommands left as the path means the subcommand is missing.
  if (/^Commands:/m.test(help) && words[path.length] && !words[path.length].startsWith('-')) {
    return `command "${[...path, words[path.length]].join(' ')}" is not in the CLI yet`;
  }
  for (const flag of words.filter((w) => w.startsWith('--')).map((w) => w.split('=')[0])) {
    expect(help, `kasm-scale ${path.join(' ')} has no ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag}(?![\\w-])`, 'm'));
  }
  return undefined;
}

describe('examples/', () => {
  it('every YAML file parses', () => {
    const files = walkYaml(EX);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) yamlDocs(f);
  });

  describe('Kubernetes CronJob', () => {
    const docs = () => yamlDocs('kubernetes/cronjob.yaml') as Array<Record<string, any>>;
    const cron = () => docs().find((d) => d.kind === 'CronJob')!;

    it('forbids overlapping passes', () => {
      expect(cron().spec.concurrencyPolicy).toBe('Forbid');
      expect(cron().spec.schedule.split(/\s+/)).toHaveLength(5);
    });

    it('mounts secrets as files and the config refers to them with *_file keys, no inline secret', () => {
      const pod = cron().spec.jobTemplate.spec.template.spec;
      const secretVol = pod.volumes.find((v: any) => v.secret);
      expect(secretVol?.secret.secretName).toBeTruthy();
      const container = pod.containers[0];
      const mount = container.volumeMounts.find((m: any) => m.name === secretVol.name);
      expect(mount.readOnly).toBe(true);
      expect(JSON.stringify(container.env ?? [])).not.toMatch(/secretKeyRef/);
      const cm = docs().find((d) => d.kind === 'ConfigMap')!;
      const config = parseAllDocuments(cm.data['kasm-scale.yaml'])[0].toJS();
      expect(config.kasm.api_key_secret).toBeUndefined();
      expect(config.kasm.api_key_secret_file.startsWith(`${mount.mountPath}/`)).toBe(true);
      for (const p of config.providers) {
        expect(p.oci_private_key ?? p.gcp_credentials).toBeUndefined();
        const file = p.oci_private_key_file ?? p.gcp_credentials_file;
        if (file !== undefined) expect(file.startsWith(`${mount.mountPath}/`)).toBe(true);
      }
    });

    it('uses the platform identity (GKE Workload Identity), no cloud key file at all', () => {
      const pod = cron().spec.jobTemplate.spec.template.spec;
      const cm = docs().find((d) => d.kind === 'ConfigMap')!;
      const config = parseAllDocuments(cm.data['kasm-scale.yaml'])[0].toJS();
      for (const p of config.providers) {
        expect(p.gcp_auth ?? p.oci_auth).toMatch(/^(adc|instance_principal|resource_principal)$/);
        expect(p.oci_private_key_file ?? p.gcp_credentials_file).toBeUndefined();
      }
      const sa = docs().find((d) => d.kind === 'ServiceAccount')!;
      expect(pod.serviceAccountName).toBe(sa.metadata.name);
      expect(sa.metadata.annotations['iam.gke.io/gcp-service-account']).toMatch(/@.*\.iam\.gserviceaccount\.com$/);
    });

    it('keeps the state dir on a PVC and passes it to reconcile; the config comes from the ConfigMap', () => {
      const pod = cron().spec.jobTemplate.spec.template.spec;
      const stateVol = pod.volumes.find((v: any) => v.persistentVolumeClaim);
      expect(docs().some((d) => d.kind === 'PersistentVolumeClaim' && d.metadata.name === stateVol.persistentVolumeClaim.claimName)).toBe(true);
      const container = pod.containers[0];
      const stateMount = container.volumeMounts.find((m: any) => m.name === stateVol.name);
      const args: string[] = container.args;
      expect(args[0]).toBe('reconcile');
      expect(args[args.indexOf('--state-dir') + 1]).toBe(stateMount.mountPath);
      const cmVol = pod.volumes.find((v: any) => v.configMap);
      const cmMount = container.volumeMounts.find((m: any) => m.name === cmVol.name);
      expect(args[1]).toBe(`${cmMount.mountPath}/kasm-scale.yaml`);
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.securityContext.runAsNonRoot).toBe(true);
    });

    it('the ConfigMap config validates once the mounted secret files exist', async () => {
      const { dir, cleanup } = await tempDir('kasm-scale-k8s-');
      try {
        const pod = cron().spec.jobTemplate.spec.template.spec;
        const secretVol = pod.volumes.find((v: any) => v.secret);
        const mount: string = pod.containers[0].volumeMounts.find((m: any) => m.name === secretVol.name).mountPath;
        const cm = docs().find((d) => d.kind === 'ConfigMap')!;
        // Stand in for the Secret: the same file names under a temp folder, a real key pair.
        const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        writeFileSync(join(dir, 'oci_api_key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
        writeFileSync(join(dir, 'kasm_api_key_secret'), 'secret', { mode: 0o600 });
        const fp = createHash('md5').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').match(/../g)!.join(':');
        const text = (cm.data['kasm-scale.yaml'] as string).split(`${mount}/`).join(`${dir}/`).replace(/oci_fingerprint: \S+/, `oci_fingerprint: ${fp}`);
        writeFileSync(join(dir, 'kasm-scale.yaml'), text, { mode: 0o600 });
        const r = await runCli(['config', 'validate', join(dir, 'kasm-scale.yaml')]);
        expect(r.code, r.stderr).toBe(0);
      } finally {
        await cleanup();
      }
    });

    it('its reconcile arguments are real flags', async () => {
      const skip = await checkInvocation(cron().spec.jobTemplate.spec.template.spec.containers[0].args);
      expect(skip).toBeUndefined();
    });
  });

  describe('GitHub Actions workflow', () => {
    const wf = () => yamlDocs('github-actions/kasm-scale.yml')[0] as Record<string, any>;
    const runs = () => Object.values(wf().jobs).flatMap((j: any) => j.steps.map((s: any) => s.run).filter(Boolean)) as string[];

    it('validates on pull requests and plans on a schedule, treating exit 2 as changes present', () => {
      const on = wf().on;
      expect(on.pull_request).toBeDefined();
      expect(on.schedule[0].cron.split(/\s+/)).toHaveLength(5);
      const cmds = runs().flatMap(kasmScaleCommands);
      expect(cmds.some((c) => c[0] === 'config' && c[1] === 'validate')).toBe(true);
      const plan = cmds.find((c) => c[0] === 'reconcile')!;
      expect(plan).toEqual(expect.arrayContaining(['--dry-run', '--detailed-exitcode']));
      const planStep = runs().find((r) => r.includes('--detailed-exitcode'))!;
      expect(planStep).toMatch(/set \+e/);
      expect(planStep).toMatch(/^\s*2\)/m);
    });

    it('gets GCP credentials by OIDC workload identity federation, not a stored key', () => {
      const plan = (wf().jobs as Record<string, any>).plan;
      expect(plan.permissions['id-token']).toBe('write');
      const auth = plan.steps.find((s: any) => String(s.uses ?? '').startsWith('google-github-actions/auth@'));
      expect(auth.with.workload_identity_provider).toMatch(/^projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/);
      expect(auth.with.credentials_json).toBeUndefined();
      expect(JSON.stringify(wf())).not.toMatch(/GCP_CREDENTIALS|gcp_credentials/);
    });

    it('every kasm-scale command in it is a real command with real flags', async () => {
      const skipped: string[] = [];
      for (const words of runs().flatMap(kasmScaleCommands)) {
        const skip = await checkInvocation(words);
        if (skip) skipped.push(skip);
      }
      expect(skipped).toEqual([]);
    });
  });

  describe('systemd units', () => {
    /** A small INI reader: systemd's syntax is sections, `Key=value`, `#`/`;` comments. */
    function ini(text: string): Record<string, Record<string, string[]>> {
      const out: Record<string, Record<string, string[]>> = {};
      let section = '';
      for (const [i, raw] of text.split('\n').entries()) {
        const line = raw.trim();
        if (!line || line.startsWith('#') || line.startsWith(';')) continue;
        const head = line.match(/^\[([A-Za-z]+)\]$/);
        if (head) {
          section = head[1];
          out[section] ??= {};
          continue;
        }
        const kv = line.match(/^([A-Za-z][A-Za-z0-9]*)=(.*)$/);
        if (!kv || !section) throw new Error(`line ${i + 1} is not valid unit syntax: ${raw}`);
        (out[section][kv[1]] ??= []).push(kv[2]);
      }
      return out;
    }

    it('the service is a hardened oneshot with a StateDirectory and a real reconcile command', async () => {
      const s = ini(read('systemd/kasm-scale-reconcile.service'));
      expect(Object.keys(s)).toEqual(['Unit', 'Service']);
      expect(s.Service.Type).toEqual(['oneshot']);
      expect(s.Service.StateDirectory).toEqual(['kasm-scale']);
      expect(s.Service.NoNewPrivileges).toEqual(['yes']);
      expect(s.Service.ProtectSystem).toEqual(['strict']);
      expect(s.Service.User?.[0]).not.toBe('root');
      const exec = s.Service.ExecStart[0].split(/\s+/);
      expect(exec[0]).toMatch(/\/kasm-scale$/);
      expect(exec[exec.indexOf('--state-dir') + 1]).toBe('/var/lib/kasm-scale');
      const skip = await checkInvocation(exec.slice(1));
      expect(skip).toBeUndefined();
    });

    it('the timer starts the service every minute and installs into timers.target', () => {
      const t = ini(read('systemd/kasm-scale-reconcile.timer'));
      expect(Object.keys(t)).toEqual(['Unit', 'Timer', 'Install']);
      expect(t.Timer.OnCalendar).toEqual(['minutely']);
      expect(t.Install.WantedBy).toEqual(['timers.target']);
    });
  });

  it('the crontab line has 5 time fields and runs reconcile under flock -n', async () => {
    const lines = read('cron/kasm-scale.cron')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#') && !/^[A-Z_]+=/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('%');
    const [min, hour, dom, mon, dow, ...cmd] = lines[0].trim().split(/\s+/);
    for (const f of [min, hour, dom, mon, dow]) expect(f).toMatch(/^[*\d,/-]+$/);
    expect(cmd.slice(0, 2)).toEqual(['flock', '-n']);
    const words = kasmScaleCommands(cmd.join(' '))[0];
    expect(words[0]).toBe('reconcile');
    const skip = await checkInvocation(words);
    expect(skip).toBeUndefined();
  });

  it('the Dockerfile builds on node:20-slim, installs production deps only and runs as non-root', () => {
    const instr = read('docker/Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
      .map((l) => {
        const [op, ...rest] = l.trim().split(/\s+/);
        return { op: op.toUpperCase(), arg: rest.join(' ') };
      });
    const froms = instr.filter((i) => i.op === 'FROM').map((i) => i.arg.split(' ')[0]);
    expect(froms.every((f) => f === 'node:20-slim')).toBe(true);
    const lastFrom = instr.map((i) => i.op).lastIndexOf('FROM');
    const final = instr.slice(lastFrom);
    expect(final.some((i) => i.op === 'RUN' && i.arg.includes('npm ci --omit=dev'))).toBe(true);
    const user = final.filter((i) => i.op === 'USER').pop();
    expect(user?.arg).toBeTruthy();
    expect(['root', '0']).not.toContain(user!.arg);
    expect(final.find((i) => i.op === 'ENTRYPOINT')?.arg).toBe('["kasm-scale"]');
    // Every COPY source from the build context exists in the repository.
    for (const c of instr.filter((i) => i.op === 'COPY' && !i.arg.startsWith('--from'))) {
      const srcs = c.arg.split(/\s+/).slice(0, -1);
      for (const s of srcs) expect(existsSync(join(ROOT, s)), `COPY ${s}`).toBe(true);
    }
  });

  it('the demand trace parses: header, HH:MM times in order, non-negative integers', () => {
    const [header, ...rows] = read('demand-trace.csv').trimEnd().split('\n');
    expect(header).toBe('time,sessions,cores,memory_mb,gpus');
    let last = -1;
    let peak = 0;
    const byTime = new Map<number, number>();
    for (const row of rows) {
      const [time, ...nums] = row.split(',');
      expect(time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      const minute = Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
      expect(minute).toBeGreaterThanOrEqual(last);
      last = minute;
      expect(nums).toHaveLength(4);
      for (const n of nums) expect(n).toMatch(/^\d+$/);
      byTime.set(minute, (byTime.get(minute) ?? 0) + Number(nums[0]));
      peak = Math.max(peak, byTime.get(minute)!);
    }
    // A day: night, a morning rush, a lunch dip, an evening drain.
    expect(byTime.size).toBeGreaterThanOrEqual(24);
    expect(byTime.get(0)!).toBeLessThan(peak / 4);
    expect(byTime.get(12 * 60)!).toBeLessThan(byTime.get(10 * 60)!);
    expect(byTime.get(23 * 60)!).toBeLessThan(peak / 4);
  });
});
