/**
 * A line-based editor for oci-cli's INI config (~/.oci/config). It replaces one section and
 * leaves every other line byte for byte as it was: comments, blank lines, other profiles and
 * their order. A general INI library would re-serialize the whole file and lose exactly that.
 *
 * Section rules follow oci-common's reader (and Python's configparser for oci-cli): a header
 * is a trimmed line `[name]`, names are case-sensitive, `#` and `;` start comments.
 */

export interface SectionRange {
  /** Index of the `[name]` header line. */
  start: number;
  /** One past the section's last key line; comments/blank lines after it are not part of it. */
  end: number;
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function headerName(line: string): string | undefined {
  const t = line.trim();
  if (t.length >= 2 && t.startsWith('[') && t.endsWith(']')) return t.slice(1, -1).trim();
  return undefined;
}

function isCommentOrBlank(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#') || t.startsWith(';');
}

/** Every section called `name` (more than one means a broken file). */
export function findSections(lines: string[], name: string): SectionRange[] {
  const found: SectionRange[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (headerName(lines[i]) !== name) continue;
    let next = i + 1;
    while (next < lines.length && headerName(lines[next]) === undefined) next++;
    // Comments and blank lines right before the next header usually describe that next
    // section: keep them outside the range we replace.
    let end = next;
    while (end > i + 1 && isCommentOrBlank(lines[end - 1])) end--;
    found.push({ start: i, end });
  }
  return found;
}

/**
 * The file with section `name` set to `entries` (replaced in place, or appended at the end
 * after one blank line). Works on bytes: every byte outside the section stays as it was,
 * CRLF line ends and bytes that are not UTF-8 included (the file is read as latin1, one
 * char per byte, so nothing is decoded or re-encoded). The new section takes the file's
 * line end (that of its first line; LF for a new file) and is written as UTF-8.
 */
export function upsertSection(file: Buffer, name: string, entries: Array<[string, string]>): Buffer {
  const text = file.toString('latin1');
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const eol = lines[0]?.endsWith('\r\n') ? '\r\n' : '\n';
  const block = Buffer.from(
    [`[${name}]`, ...entries.map(([k, v]) => `${k}=${v}`)].map((l) => `${l}${eol}`).join(''),
    'utf8',
  );
  const [range] = findSections(lines, name);
  const bytes = (s: string) => Buffer.from(s, 'latin1');
  if (range) {
    // The section's last line may be the file's last, without a line end: the block brings its own.
    return Buffer.concat([
      bytes(lines.slice(0, range.start).join('')),
      block,
      bytes(lines.slice(range.end).join('')),
    ]);
  }
  let before = text;
  if (before !== '' && !before.endsWith('\n')) before += eol;
  if (lines.length > 0 && lines[lines.length - 1].trim() !== '') before += eol;
  return Buffer.concat([bytes(before), block]);
}
