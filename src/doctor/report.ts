import type { Output } from '../core/output.js';
import type { CheckResult, CheckStatus, DoctorReport, GroupResult } from '../core/checks.js';

export function buildReport(file: string, groups: GroupResult[]): DoctorReport {
  const all = groups.flatMap((g) => g.checks);
  const count = (s: CheckStatus) => all.filter((c) => c.status === s).length;
  const summary = {
    checks: all.length,
    passed: count('ok'),
    failed: count('fail'),
    warnings: count('warn'),
    skipped: count('skip'),
  };
  return { file, ok: summary.failed === 0, summary, groups };
}

/** The `--json` document: stable keys in snake_case, one entry per check. */
export function reportJson(r: DoctorReport) {
  return {
    file: r.file,
    ok: r.ok,
    summary: r.summary,
    groups: r.groups.map((g) => ({
      name: g.name,
      kind: g.kind,
      checks: g.checks.map((c) => ({
        id: c.id,
        title: c.title,
        status: c.status,
        detail: c.detail,
        hint: c.hint ?? null,
        request_id: c.requestId ?? null,
        ms: c.ms,
      })),
    })),
  };
}

/**
 * Human text: a heading per provider (and Kasm), then one line per check:
 * `  ✓ title: detail` or `  ✗ title: detail → fix: hint`.
 */
export function printReport(r: DoctorReport, out: Output): void {
  const c = out.json ? out.color : out.colorOut;
  const mark: Record<CheckStatus, string> = {
    ok: c.green('✓'),
    fail: c.red('✗'),
    warn: c.yellow('!'),
    skip: c.dim('–'),
  };
  const line = (x: CheckResult) => {
    const hint =
      x.hint && (x.status === 'fail' || x.status === 'warn') ? ` ${c.dim('→ fix:')} ${x.hint}` : '';
    const text = `${x.title}: ${x.detail}${hint}`;
    return `  ${mark[x.status]} ${x.status === 'skip' ? c.dim(text) : text}`;
  };
  for (const g of r.groups) {
    out.result(
      c.bold(
        g.kind === 'kasm'
          ? 'Kasm'
          : g.kind === 'lease'
            ? `Pass lease (${g.name})`
            : `${g.name} (${g.kind.toUpperCase()})`,
      ),
    );
    for (const x of g.checks) out.result(line(x));
  }
  const s = r.summary;
  const parts = [
    `${s.passed} passed`,
    `${s.failed} failed`,
    ...(s.warnings ? [`${s.warnings} warning${s.warnings === 1 ? '' : 's'}`] : []),
    ...(s.skipped ? [`${s.skipped} skipped`] : []),
  ];
  out.result(
    `${r.ok ? c.green('✓') : c.red('✗')} doctor: ${s.checks} check${s.checks === 1 ? '' : 's'}, ${parts.join(', ')}`,
  );
}
