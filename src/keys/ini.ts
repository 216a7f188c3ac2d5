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
 * Returns the file text with section `name` set to `entries` (replacing it in place, or
 * appended at the end after one blank line). Lines outside the section are kept as they are.
 */
export function upsertSection(text: string, name: string, entries: Array<[string, string]>): string {
  const lines = splitLines(text);
  const block = [`[${name}]`, ...entries.map(([k, v]) => `${k}=${v}`)];
  const [range] = findSections(lines, name);
  let out: string[];
  if (range) {
    out = [...lines.slice(0, range.start), ...block, ...lines.slice(range.end)];
  } else {
    out = lines.length > 0 && lines[lines.length - 1].trim() !== '' ? [...lines, '', ...block] : [...lines, ...block];
  }
  return `${out.join('\n')}\n`;
}
