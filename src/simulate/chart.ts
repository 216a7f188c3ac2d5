/**
 * Charts of a simulated day: in the terminal with Unicode eighth blocks (one small chart
 * per series, sharing the time axis), and as an SVG file. Pure functions of the samples.
 */

export interface Series {
  name: string;
  values: number[];
  /** CSS colour for SVG. */
  color: string;
}

export interface ChartInput {
  /** Seconds since the start of the run, one per sample. */
  times: number[];
  series: Series[];
}

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Reduces values to at most `width` columns, keeping each bucket's maximum (peaks matter for capacity). */
export function bucketMax(values: number[], width: number): number[] {
  if (values.length <= width) return values.slice();
  const out: number[] = [];
  for (let col = 0; col < width; col++) {
    const from = Math.floor((col * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((col + 1) * values.length) / width));
    let max = -Infinity;
    for (let i = from; i < to; i++) max = Math.max(max, values[i]);
    out.push(max);
  }
  return out;
}

/** One series as `rows` lines of blocks, tallest value = full height. */
export function blockRows(values: number[], rows: number, max: number): string[] {
  const lines: string[] = [];
  const scale = max > 0 ? (rows * 8) / max : 0;
  for (let r = rows - 1; r >= 0; r--) {
    let line = '';
    for (const v of values) {
      const eighths = Math.round(Math.max(0, v) * scale) - r * 8;
      line += BLOCKS[Math.max(0, Math.min(8, eighths))];
    }
    lines.push(line);
  }
  return lines;
}

export function formatClock(seconds: number): string {
  const h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor((seconds % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The terminal chart: a block per series, labelled with its peak, over a shared hour axis. */
export function renderTerminalChart(input: ChartInput, opts: { width?: number; rows?: number } = {}): string {
  const width = Math.max(10, Math.min(opts.width ?? 72, 200));
  const rows = opts.rows ?? 4;
  const labelWidth = Math.max(...input.series.map((s) => s.name.length), 8);
  const out: string[] = [];
  for (const s of input.series) {
    const cols = bucketMax(s.values, width);
    const max = Math.max(0, ...s.values);
    const lines = blockRows(cols, rows, max);
    lines.forEach((line, i) => {
      const label = i === 0 ? `${s.name} (max ${round(max)})` : '';
      out.push(`${label.padEnd(labelWidth + 12)}│${line}`);
    });
  }
  const cols = Math.min(width, input.times.length);
  const axis: string[] = Array.from({ length: cols }, () => '─');
  const labels: string[] = Array.from({ length: cols }, () => ' ');
  const n = input.times.length;
  for (let col = 0; col < cols; col += Math.max(1, Math.floor(cols / 6))) {
    // The time of the first sample in this column's bucket (as bucketMax groups them).
    const t = input.times[Math.min(n - 1, Math.floor((col * n) / cols))] ?? 0;
    axis[col] = '┬';
    const text = formatClock(t);
    for (let k = 0; k < text.length && col + k < cols; k++) labels[col + k] = text[k];
  }
  out.push(`${''.padEnd(labelWidth + 12)}└${axis.join('')}`);
  out.push(`${''.padEnd(labelWidth + 13)}${labels.join('')}`);
  return out.join('\n');
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

/** Whole-hour ticks from `first` to `last` (seconds), every 1, 2, 3, 4, 6 or 12 h: at most 10. */
export function hourTicks(first: number, last: number): number[] {
  const hours = Math.max(1, (last - first) / 3600);
  const every = [1, 2, 3, 4, 6, 12].find((h) => hours / h <= 10) ?? 24;
  const ticks: number[] = [];
  for (let t = Math.ceil(first / (every * 3600)) * every * 3600; t <= last; t += every * 3600) ticks.push(t);
  return ticks;
}

/** A self-contained SVG: one line per series on a shared axis, legend, hour ticks. */
export function renderSvgChart(
  input: ChartInput,
  opts: { width?: number; height?: number; title?: string } = {},
): string {
  const W = opts.width ?? 960;
  const H = opts.height ?? 420;
  // Room at the top for the title and, under it, the legend.
  const pad = { l: 50, r: 20, t: 62, b: 40 };
  const first = input.times[0] ?? 0;
  const last = input.times[input.times.length - 1] ?? first + 1;
  const span = Math.max(1, last - first);
  const max = Math.max(1, ...input.series.flatMap((s) => s.values));
  const x = (t: number) => pad.l + ((t - first) / span) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (opts.title) parts.push(`<text x="${pad.l}" y="20" font-size="14">${escapeXml(opts.title)}</text>`);
  parts.push(`<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#444"/>`);
  parts.push(`<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#444"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${round(v)}</text>`);
    parts.push(`<line x1="${pad.l}" y1="${y(v)}" x2="${W - pad.r}" y2="${y(v)}" stroke="#eee"/>`);
  }
  for (const t of hourTicks(first, last)) {
    parts.push(`<line x1="${x(t)}" y1="${H - pad.b}" x2="${x(t)}" y2="${H - pad.b + 4}" stroke="#444"/>`);
    parts.push(`<text x="${x(t)}" y="${H - pad.b + 16}" text-anchor="middle">${formatClock(t)}</text>`);
  }
  input.series.forEach((s, idx) => {
    const points = s.values
      .map((v, i) => `${x(input.times[i] ?? first).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    parts.push(`<polyline fill="none" stroke="${escapeXml(s.color)}" stroke-width="2" points="${points}"/>`);
    const lx = pad.l + 10 + idx * 170;
    parts.push(`<rect x="${lx}" y="${pad.t - 22}" width="12" height="12" fill="${escapeXml(s.color)}"/>`);
    parts.push(`<text x="${lx + 16}" y="${pad.t - 12}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
