import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CLI } from '../helpers/cli.js';

/** tmux is what drives the wizard in a real pseudo-terminal; tests skip without it. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The built CLI in a 120×40 tmux pane, as a person at a terminal would run it. Each
 * terminal gets its own tmux server (-L socket) so parallel tests never share one; the
 * exit code lands in a file because the pane's shell outlives the CLI.
 */
export class Terminal {
  readonly exitFile: string;
  private readonly socket: string;

  constructor(
    private readonly dir: string,
    args: string[],
    env: Record<string, string>,
  ) {
    this.socket = `kasm-scale-init-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.exitFile = join(dir, 'exit-code');
    const script = join(dir, 'run.sh');
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}=${JSON.stringify(v)}`)
      .join('\n');
    writeFileSync(
      script,
      `${exports}\nunset NO_COLOR FORCE_COLOR\ncd ${JSON.stringify(dir)}\n${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${args.map((a) => JSON.stringify(a)).join(' ')}\necho $? > ${JSON.stringify(this.exitFile)}\nsleep 600\n`,
    );
    this.tmux('new-session', '-d', '-x', '120', '-y', '40', `bash ${script}`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The whole pane including what scrolled off (the public key is taller than a prompt). */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200');
  }

  /** Polls the screen (bounded) until `what` shows; the CLI is another process, so we wait on it. */
  async waitFor(what: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
      // The CLI has exited: what is not on the screen now never will be.
      const ended =
        existsSync(this.exitFile) &&
        !(typeof what === 'string' ? this.screen().includes(what) : what.test(this.screen()));
      if (ended || Date.now() > deadline)
        throw new Error(
          `${ended ? 'init exited' : 'timed out'} before showing ${String(what)}; screen:\n${s}`,
        );
      await delay(100);
    }
  }

  /** Types text literally (clearing what the prompt holds first) and presses Enter. */
  answer(text: string): void {
    this.tmux('send-keys', 'C-u');
    if (text) this.tmux('send-keys', '-l', text);
    this.tmux('send-keys', 'Enter');
  }

  key(name: string): void {
    this.tmux('send-keys', name);
  }

  /** Answers a prompt once it shows. */
  async reply(prompt: string | RegExp, text: string): Promise<void> {
    await this.waitForPrompt(prompt);
    this.answer(text);
  }

  /** Waits for an open prompt (`? message`) whose text matches. */
  async waitForPrompt(prompt: string | RegExp): Promise<string> {
    const re =
      typeof prompt === 'string'
        ? new RegExp(`^\\? ${prompt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm')
        : prompt;
    return this.waitFor(re);
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
