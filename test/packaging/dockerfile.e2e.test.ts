/**
 * examples/docker/Dockerfile, checked without a Docker daemon: every COPY source exists,
 * the build stage's `npm run build` succeeds with only the files that stage copies (a
 * missing COPY is the usual way such an image breaks), and the runtime stage is what the
 * Kubernetes example relies on (numeric non-root user, the state dir a volume and default).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(ROOT, 'examples/docker/Dockerfile'), 'utf8');
const stages = text.split(/^FROM /m).slice(1);
const copies = (stage: string) =>
  [...stage.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) => m[1]!.trim().split(/\s+/).slice(0, -1));

describe('examples/docker/Dockerfile', () => {
  it('has a build stage and a runtime stage whose COPY sources all exist', () => {
    expect(stages).toHaveLength(2);
    for (const stage of stages)
      for (const sources of copies(stage))
        for (const s of sources) expect(existsSync(join(ROOT, s)), s).toBe(true);
  });

  it('its build stage builds with only the files it copies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-docker-'));
    try {
      for (const sources of copies(stages[0]!))
        for (const s of sources) cpSync(join(ROOT, s), join(dir, s), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: 'pipe' });
      expect(existsSync(join(dir, 'dist/cli/main.js'))).toBe(true);
      expect(existsSync(join(dir, 'dist/clouds/gcp/compute-protos.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as a numeric non-root user with the state volume as its default state dir', () => {
    const runtime = stages[1]!;
    expect(runtime).toMatch(/^USER [1-9]\d*(:\d+)?$/m);
    const volume = /^VOLUME \["([^"]+)"\]/m.exec(runtime)?.[1];
    const xdg = /XDG_STATE_HOME=(\S+)/.exec(runtime)?.[1];
    expect(volume).toBe(`${xdg}/kasm-scale`);
    expect(runtime).toMatch(/npm ci --omit=dev/);
  });
});
