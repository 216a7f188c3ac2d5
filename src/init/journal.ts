/**
 * What one `init` run wrote, so a run that fails part-way can take it back: files it
 * created are removed, files it replaced get their old bytes and mode back. A failed init
 * then leaves the machine as it found it, and the rerun does not trip over its own key
 * pair or profile. Whatever cannot be undone is named, so the message can say what to remove.
 */
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../core/files.js';

interface Entry {
  path: string;
  /** The bytes and mode before this run touched it; undefined: the run created it. */
  before?: { data: Buffer; mode: number };
}

export class WriteJournal {
  private entries: Entry[] = [];

  /** Call before writing `path` (once is enough; later calls for the same path are ignored). */
  async record(path: string): Promise<void> {
    if (this.entries.some((e) => e.path === path)) return;
    try {
      const st = await stat(path);
      this.entries.push({ path, before: { data: await readFile(path), mode: st.mode & 0o7777 } });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.entries.push({ path });
    }
  }

  /** The paths recorded so far (what this run has written or is about to). */
  written(): string[] {
    return this.entries.map((e) => e.path);
  }

  /** Undoes every recorded write, newest first; returns the paths that could not be put back. */
  async rollback(): Promise<string[]> {
    const left: string[] = [];
    for (const e of [...this.entries].reverse()) {
      try {
        if (e.before) {
          // Atomically: the file put back is a private key, or a cloud CLI's config with other profiles.
          await writeFileAtomic(e.path, e.before.data, { mode: e.before.mode });
          await chmod(e.path, e.before.mode);
        } else {
          await rm(e.path, { force: true });
        }
      } catch {
        left.push(e.path);
      }
    }
    this.entries = [];
    return left;
  }
}
